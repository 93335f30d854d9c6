import type { Request } from 'express';
import { Router } from 'express';

import { USER_SESSION_COOKIE } from '@paygate/contracts';
import { DomainError } from '@paygate/domain';

import type { Services } from '../../deps';
import { authOf } from './context';
import { readCookie } from './cookies';
import type { Limits } from './limits';
import { methodNotAllowed } from './method-not-allowed';
import { singleHeader } from './single-header';

/** How long an EventSource waits before it reconnects after the stream dropped. */
const RECONNECT_AFTER_MS = 2_000;
/** What a client told "too many streams" is asked to wait. */
const STREAMS_RETRY_AFTER_S = 10;

/**
 * GET /api/v1/events: Server-Sent Events of the caller's transaction changes (`transaction.updated`, id =
 * the transaction_events id, data = the transaction as the API answers it) and balances
 * (`balance.updated`, no id). `Last-Event-ID` (or `?last_event_id=`, for a first connection that resumes)
 * replays what came after it. Comment lines keep an idle stream open. Works with the API key or the web
 * session cookie; the stream ends when that credential is no longer live.
 */
export function eventsRouter(services: Services, limits: Limits): Router {
  const router = Router();
  router
    .route('/')
    .get(limits.client, async (req, res) => {
      const { user } = authOf(res);
      const lastEventId = lastEventIdOf(req);
      // The client may leave while the stream is being opened: whichever comes second frees the slot.
      const client: { gone: boolean; close: (() => void) | undefined } = { gone: false, close: undefined };
      req.on('close', () => {
        client.gone = true;
        client.close?.();
      });
      const outcome = await services.events.open({
        userId: user.id,
        sink: {
          write: (chunk) => res.write(chunk),
          end: () => res.end(),
          get writableLength() {
            return res.writableLength;
          },
        },
        lastEventId,
        stillAllowed: stillAllowedFor(req, services, user.id),
        start: () => {
          res.status(200).set({
            'Content-Type': 'text/event-stream; charset=utf-8',
            'Cache-Control': 'no-cache, no-transform',
            Connection: 'keep-alive',
            // nginx would otherwise buffer the stream.
            'X-Accel-Buffering': 'no',
          });
          res.flushHeaders();
          res.write(`retry: ${RECONNECT_AFTER_MS}\n\n`);
        },
      });
      if (outcome.status !== 'opened') {
        res.setHeader('Retry-After', String(STREAMS_RETRY_AFTER_S));
        res.status(outcome.status === 'closing' ? 503 : 429).json({
          error: outcome.status === 'closing' ? 'service_unavailable' : 'rate_limit_exceeded',
          // The seed's 429 message, which clients match; Retry-After says when to try again.
          message: 'Too many requests. Please try again later.',
          retry_after: STREAMS_RETRY_AFTER_S,
          request_id: res.locals.requestId,
        });
        return;
      }
      client.close = outcome.close;
      if (client.gone) outcome.close();
    })
    .all(limits.client, methodNotAllowed(['GET']));
  return router;
}

function lastEventIdOf(req: Request): number | undefined {
  const header = singleHeader(req, 'last-event-id', 'Last-Event-ID');
  const query = typeof req.query.last_event_id === 'string' ? req.query.last_event_id : undefined;
  const value = header ?? query;
  if (value === undefined || value === '') return undefined;
  if (!/^\d{1,15}$/.test(value)) {
    throw new DomainError(
      'validation_error',
      'Last-Event-ID must be the id of an event this stream sent.',
      'last_event_id',
    );
  }
  return Number(value);
}

/** The stream lives as long as the credential that opened it: the session cookie, or the API key. */
function stillAllowedFor(req: Request, services: Services, userId: number): () => Promise<boolean> {
  const apiKey = req.headers['x-api-key'] ?? /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
  if (typeof apiKey === 'string' && apiKey.length > 0) {
    return async () => (await services.authenticator.authenticate(apiKey.trim()))?.user.id === userId;
  }
  const token = readCookie(req, USER_SESSION_COOKIE);
  return async () => token !== undefined && (await services.userSessions.authenticate(token))?.user.id === userId;
}
