import { lookup } from 'node:dns/promises';

import type { CreateWebhookEndpointBody, WebhookDeliveryPageWire } from '@paygate/contracts';
import { encodeWebhookDelivery } from '@paygate/contracts';
import type { DeliveryWithAttempts, WebhookDeliveriesRepository, WebhookEndpointsRepository } from '@paygate/db';
import type { WebhookEndpoint, WebhookUrlProblem } from '@paygate/domain';
import {
  AddressAllowlist,
  decodeCursor,
  DomainError,
  encodeCursor,
  generateWebhookSecret,
  resolvedWebhookUrlProblem,
  validationError,
  WEBHOOK_EVENT_TYPES,
  WebhookSecretBox,
  withTimeout,
} from '@paygate/domain';

/**
 * A user's outgoing webhook endpoints: add one (its URL must reach a public address; the secret is made
 * here, sealed for the database and shown once), list, read, delete, rotate the secret, page through
 * deliveries and retry one. Every call names the user: another user's endpoint is a 404, never a 403, so ids
 * reveal nothing.
 */

export interface WebhookEndpointsOptions {
  secretKey: string;
  allowPrivateCidrs: readonly string[];
  countMaxPerUser: number;
  dnsTimeoutMs: number;
}

export class WebhookEndpoints {
  readonly #box: WebhookSecretBox;
  readonly #allowlist: AddressAllowlist;

  constructor(
    private readonly endpoints: WebhookEndpointsRepository,
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly options: WebhookEndpointsOptions,
  ) {
    this.#box = new WebhookSecretBox(options.secretKey);
    this.#allowlist = new AddressAllowlist(options.allowPrivateCidrs);
  }

  async create(
    userId: number,
    body: CreateWebhookEndpointBody,
  ): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
    await this.#assertUrlAllowed(body.url);
    const secret = generateWebhookSecret();
    const created = await this.endpoints.create({
      userId,
      url: body.url,
      events: body.events === undefined ? [...WEBHOOK_EVENT_TYPES] : [...new Set(body.events)],
      description: body.description ?? null,
      secretCiphertext: this.#box.seal(secret),
      endpointCountMax: this.options.countMaxPerUser,
    });
    if (created.outcome === 'limit_reached') {
      throw new DomainError(
        'webhook_endpoint_limit_reached',
        `You already have ${created.endpointCount} webhook endpoints, the most a user may have; delete one first.`,
        { endpoint_count_max: this.options.countMaxPerUser },
      );
    }
    return { endpoint: created.endpoint, secret };
  }

  list(userId: number): Promise<WebhookEndpoint[]> {
    return this.endpoints.list(userId);
  }

  async get(userId: number, id: number): Promise<WebhookEndpoint> {
    return found(await this.endpoints.get(userId, id), id);
  }

  async delete(userId: number, id: number): Promise<WebhookEndpoint> {
    const endpoint = found(await this.endpoints.get(userId, id), id);
    if (!(await this.endpoints.delete(userId, id))) throw notFound(id);
    return endpoint;
  }

  async rotateSecret(userId: number, id: number): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
    const secret = generateWebhookSecret();
    const endpoint = found(await this.endpoints.rotateSecret(userId, id, this.#box.seal(secret)), id);
    return { endpoint, secret };
  }

  async deliveryPage(
    userId: number,
    id: number,
    query: { limit: number; cursor?: string | undefined },
  ): Promise<WebhookDeliveryPageWire> {
    const position = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    if (query.cursor !== undefined && position === undefined) {
      throw validationError([
        { field: 'cursor', message: 'is not a cursor this API issued', reason: 'invalid_cursor' },
      ]);
    }
    found(await this.endpoints.get(userId, id), id);
    const page = await this.deliveries.page(userId, id, query.limit, position?.id ?? null);
    const last = page.items.at(-1);
    return {
      items: page.items.map(encodeItem),
      limit: query.limit,
      has_more: page.nextBeforeId !== null,
      next_cursor:
        page.nextBeforeId !== null && last !== undefined
          ? encodeCursor({ createdAtMs: last.delivery.createdAt.getTime(), id: last.delivery.id })
          : null,
    };
  }

  async retry(userId: number, id: number, deliveryId: number): Promise<DeliveryWithAttempts> {
    found(await this.endpoints.get(userId, id), id);
    const retried = await this.deliveries.retry(userId, id, deliveryId);
    if (retried === null) throw new DomainError('not_found', `No delivery ${deliveryId} of webhook endpoint ${id}.`);
    return retried;
  }

  async #assertUrlAllowed(url: string): Promise<void> {
    const resolve = async (host: string): Promise<string[]> => {
      const lookedUp = await withTimeout(
        lookup(host, { all: true, verbatim: true }),
        this.options.dnsTimeoutMs,
        `DNS for ${host} took longer than ${this.options.dnsTimeoutMs} ms`,
      );
      return lookedUp.map((entry) => entry.address);
    };
    const problem = await resolvedWebhookUrlProblem(url, this.#allowlist, resolve);
    if (problem !== null) throw urlRefused(problem);
  }
}

const PROBLEM_MESSAGES: Record<WebhookUrlProblem, string> = {
  invalid_url: 'is not a URL',
  scheme_not_allowed: 'only http and https URLs are allowed',
  credentials_not_allowed: 'must not carry a user name or password',
  address_not_allowed: 'resolves to an address that is not public (loopback, link-local or private)',
  host_not_resolved: 'its host name does not resolve',
};

function urlRefused(problem: WebhookUrlProblem): DomainError {
  const message = PROBLEM_MESSAGES[problem];
  return new DomainError('webhook_url_not_allowed', `url: ${message}.`, [{ field: 'url', message, reason: problem }]);
}

function encodeItem(item: DeliveryWithAttempts) {
  return encodeWebhookDelivery(item.delivery, item.attempts);
}

function found(endpoint: WebhookEndpoint | null, id: number): WebhookEndpoint {
  if (endpoint === null) throw notFound(id);
  return endpoint;
}

function notFound(id: number): DomainError {
  return new DomainError('not_found', `No webhook endpoint ${id}.`);
}
