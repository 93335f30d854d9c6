# Paygate: the original project's Makefile commands, on Docker Compose, plus local equivalents that need
# only Node, pnpm and the local PostgreSQL, RabbitMQ and Redis. `make` alone prints the list.

.DEFAULT_GOAL := help
SHELL := /bin/sh

# Compose v2 (`docker compose`) when the plugin is there, else v1 (`docker-compose`). Evaluated only by the
# targets that use it, so `make help` and the local targets work on machines without Docker.
COMPOSE ?= $(shell if docker compose version >/dev/null 2>&1; then echo "docker compose"; \
	elif command -v docker-compose >/dev/null 2>&1; then echo docker-compose; fi)
# The optional services, so that `down` and `clean` remove them too when they were started.
ALL_PROFILES := --profile monitoring --profile tools
BENCH ?= api
# `make operator`: the console's operator to create (the password is generated and shown once).
EMAIL ?= ops@example.com
ROLE ?= operator

.PHONY: help up down build migrate seed operator test lint logs shell clean monitoring start test-local lint-local bench

help: ## Show this list
	@echo "Usage: make <target>    (make help: this list)"
	@echo ""
	@echo "Docker Compose (docker compose, or docker-compose v1):"
	@awk 'BEGIN { FS = ":.*## " } /^[a-z-]+:.*## / && !/\(local\)/ && $$1 != "help" { printf "  %-14s %s\n", $$1, $$2 }' $(MAKEFILE_LIST)
	@echo ""
	@echo "Local, without Docker (Node 20, pnpm 12.4.2, PostgreSQL/RabbitMQ/Redis on 127.0.0.1):"
	@awk 'BEGIN { FS = ":.*## " } /^[a-z-]+:.*## \(local\)/ { sub(/\(local\) /, "", $$2); printf "  %-14s %s\n", $$1, $$2 }' $(MAKEFILE_LIST)

# The targets that run Docker Compose. Asked for without Docker, make says so in one line and exits
# non-zero before running anything (docker-compose v1 answers a missing engine with a Python traceback of a
# hundred lines). `make`, `make help` and the local targets never look for Docker.
DOCKER_TARGETS := up down build migrate seed operator test lint logs shell clean monitoring
LOCAL_HINT := use the local targets instead (make start, make test-local, make lint-local)
ifneq ($(filter $(DOCKER_TARGETS),$(MAKECMDGOALS)),)
ifeq ($(COMPOSE),)
$(error make $(MAKECMDGOALS): neither 'docker compose' nor 'docker-compose' is installed; install Docker, or $(LOCAL_HINT))
endif
ifneq ($(shell docker info >/dev/null 2>&1 && echo running),running)
$(error make $(MAKECMDGOALS): no Docker engine is running ('docker info' failed); start Docker, or $(LOCAL_HINT))
endif
endif

up: ## Build if needed and start all services (web :5500, console :5600, api :8000, bank :8001, RabbitMQ UI :15672)
	$(COMPOSE) up -d --build
	@echo "web http://localhost:5500  console http://localhost:5600  api http://localhost:8000 (docs /docs)  RabbitMQ UI http://localhost:15672 (guest/guest)"
	@echo "next: make seed (demo users of CREDENTIALS.md), make operator (the console's first operator), make logs"

down: ## Stop all services (data volumes are kept)
	$(COMPOSE) $(ALL_PROFILES) down --remove-orphans

build: ## Build the Docker images (api, worker, bank-sim, web, console)
	$(COMPOSE) build

migrate: ## Run database migrations (the one-shot migrate service; `up` runs it too)
	$(COMPOSE) run --rm migrate

seed: ## Seed the demo users alice, bob and charlie (see CREDENTIALS.md)
	$(COMPOSE) exec -T api node dist/cli/seed.js

# stdin from /dev/null: with nothing piped, the CLI generates the password and prints it once.
operator: ## Create an operator of the console (EMAIL=ops@example.com ROLE=operator|viewer); prints its password once
	$(COMPOSE) exec -T api node dist/cli/main.js operator create --email $(EMAIL) --role $(ROLE) </dev/null

test: ## Run the test suite in a container against the stack's PostgreSQL, RabbitMQ and Redis
	$(COMPOSE) --profile tools run --rm toolbox pnpm test

lint: ## Run linters and type checks (eslint, tsc) in a container
	$(COMPOSE) --profile tools run --rm --no-deps toolbox sh -c "pnpm lint && pnpm typecheck"

logs: ## Follow the logs of all services
	$(COMPOSE) logs -f --tail=200

shell: ## Open a shell in the api container (CLI: node dist/cli/main.js help)
	$(COMPOSE) exec api sh

clean: ## Remove containers and volumes (all data: database, queues, metrics)
	$(COMPOSE) $(ALL_PROFILES) down -v --remove-orphans

monitoring: ## Start Prometheus too (http://localhost:9090)
	$(COMPOSE) --profile monitoring up -d --build

start: ## (local) Build, migrate, seed when empty and run every app: pnpm start, with .env loaded if present
	@set -a; if [ -f .env ]; then . ./.env; fi; set +a; echo "pnpm start"; exec pnpm start

test-local: ## (local) Run the test suite: pnpm test
	pnpm test

lint-local: ## (local) Run linters and type checks: pnpm lint && pnpm typecheck
	pnpm lint && pnpm typecheck

bench: ## (local) Run the benchmark (BENCH=api): pnpm bench
	pnpm bench $(BENCH)
