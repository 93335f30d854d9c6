import type { WebhookEndpoint, WebhookEventType } from '@paygate/domain';

import type { Pool } from '../pool';
import { withTransaction } from '../pool';
import type { EndpointRow } from './webhook-rows';
import { ENDPOINT_COLUMNS, toEndpoint } from './webhook-rows';

export interface CreateEndpointInput {
  userId: number;
  url: string;
  events: WebhookEventType[];
  description: string | null;
  secretCiphertext: string;
  /** The user's endpoints at most (WEBHOOK_ENDPOINTS_PER_USER_MAX). */
  endpointCountMax: number;
}

export type CreateEndpointResult =
  { outcome: 'created'; endpoint: WebhookEndpoint } | { outcome: 'limit_reached'; endpointCount: number };

/** A user's outgoing webhook endpoints. Every read and write names the user: another's endpoint is not found. */
export class WebhookEndpointsRepository {
  constructor(private readonly pool: Pool) {}

  /**
   * The user's row is locked first, so two creates at once cannot both pass the count and exceed the limit.
   */
  async create(input: CreateEndpointInput): Promise<CreateEndpointResult> {
    return withTransaction(this.pool, async (client) => {
      await client.query('SELECT 1 FROM users WHERE id = $1 FOR UPDATE', [input.userId]);
      const counted = await client.query<{ count: number }>(
        'SELECT count(*)::int AS count FROM webhook_endpoints WHERE user_id = $1',
        [input.userId],
      );
      const endpointCount = counted.rows[0]?.count ?? 0;
      if (endpointCount >= input.endpointCountMax) return { outcome: 'limit_reached', endpointCount };
      const inserted = await client.query<EndpointRow>(
        `INSERT INTO webhook_endpoints (user_id, url, events, description, secret_ciphertext)
         VALUES ($1, $2, $3::jsonb, $4, $5) RETURNING ${ENDPOINT_COLUMNS}`,
        [input.userId, input.url, JSON.stringify(input.events), input.description, input.secretCiphertext],
      );
      const row = inserted.rows[0];
      if (row === undefined) throw new Error('INSERT ... RETURNING returned no row');
      return { outcome: 'created', endpoint: toEndpoint(row) };
    });
  }

  /** Bounded by the per-user limit, so one page is all of them. */
  async list(userId: number): Promise<WebhookEndpoint[]> {
    const { rows } = await this.pool.query<EndpointRow>(
      `SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE user_id = $1 ORDER BY id`,
      [userId],
    );
    return rows.map(toEndpoint);
  }

  async get(userId: number, id: number): Promise<WebhookEndpoint | null> {
    const { rows } = await this.pool.query<EndpointRow>(
      `SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE user_id = $1 AND id = $2`,
      [userId, id],
    );
    const row = rows[0];
    return row === undefined ? null : toEndpoint(row);
  }

  /** Its deliveries and their attempts go with it (ON DELETE CASCADE); the events stay. */
  async delete(userId: number, id: number): Promise<boolean> {
    const { rowCount } = await this.pool.query('DELETE FROM webhook_endpoints WHERE user_id = $1 AND id = $2', [
      userId,
      id,
    ]);
    return rowCount === 1;
  }

  /** Attempts from now on sign with the new secret; an attempt already in flight keeps the old one. */
  async rotateSecret(userId: number, id: number, secretCiphertext: string): Promise<WebhookEndpoint | null> {
    const { rows } = await this.pool.query<EndpointRow>(
      `UPDATE webhook_endpoints SET secret_ciphertext = $3, secret_rotated_at = now()
        WHERE user_id = $1 AND id = $2 RETURNING ${ENDPOINT_COLUMNS}`,
      [userId, id, secretCiphertext],
    );
    const row = rows[0];
    return row === undefined ? null : toEndpoint(row);
  }
}
