# Helpers for .ci/run and scripts that prepare a machine of this kind.

section() { printf '\n=== %s ===\n' "$*"; }

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

ensure_pnpm() {
  local version="$1"
  if command -v pnpm >/dev/null 2>&1 && [ "$(pnpm --version)" = "$version" ]; then return; fi
  npm install -g "pnpm@${version}" >/dev/null
  echo "pnpm $(pnpm --version)"
}

APT_UPDATED=0
ensure_apt_package() {
  local package="$1" binary="$2"
  if [ -x "$binary" ]; then return; fi
  if [ "$APT_UPDATED" = 0 ]; then as_root apt-get update -qq; APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$package" >/dev/null
  echo "installed $package"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") >/dev/null 2>&1; }

wait_for_port() {
  local port="$1" name="$2" tries=0
  until port_open "$port"; do
    tries=$((tries + 1))
    if [ "$tries" -gt 120 ]; then echo "$name did not come up on port $port" >&2; return 1; fi
    sleep 1
  done
}

# Starts whichever of PostgreSQL, Redis and RabbitMQ is not answering, with the commands this kind of
# machine uses (see TOOLCHAIN.md), and waits for each.
ensure_services() {
  if ! port_open 5432; then
    echo "starting PostgreSQL"
    as_root pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start
    wait_for_port 5432 PostgreSQL
  fi
  if ! port_open 6379; then
    echo "starting Redis"
    as_root redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log
    wait_for_port 6379 Redis
  fi
  if ! port_open 5672; then
    echo "starting RabbitMQ"
    as_root rabbitmq-server -detached
    as_root rabbitmqctl await_startup >/dev/null 2>&1 || true
    wait_for_port 5672 RabbitMQ
  fi
  echo "PostgreSQL, Redis and RabbitMQ answer"
}
