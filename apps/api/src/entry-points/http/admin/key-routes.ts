import type { RequestHandler } from 'express';
import { Router } from 'express';
import { z } from 'zod';

import { UserIdParams } from '@paygate/contracts';
import { DomainError } from '@paygate/domain';

import type { Services } from '../../../deps';
import { methodNotAllowed } from '../method-not-allowed';
import { decode } from '../validate';
import { contextOf } from './repair-context';

const KeyParams = z.strictObject({
  user_id: z
    .string()
    .regex(/^[1-9]\d{0,15}$/, 'user_id must be a positive integer')
    .transform(Number),
  prefix: z.string().regex(/^pgk_[A-Za-z0-9_-]{1,16}$/, 'prefix must be a key prefix as shown, e.g. pgk_AbC123'),
});

/**
 * A user's API keys from the console: issue (the key is in this answer only) and revoke by the prefix the
 * console shows. Both take {reason}, need the `operator` role and an allowed Origin (the guards), and
 * write their audit row in the same transaction as the change.
 */
export function keyRoutes(services: Services, guards: RequestHandler[]): Router {
  const router = Router();

  router
    .route('/users/:user_id/keys')
    .post(...guards, async (req, res) => {
      const { user_id: userId } = decode(UserIdParams, req.params, 'path');
      const { reason, operatorId, requestId } = contextOf(req.body, res);
      const issued = await services.keyAdmin.issue(userId, { operatorId, reason, requestId });
      if (!issued) throw new DomainError('not_found', `No user ${userId}.`);
      res.status(201).json({ api_key: issued.apiKey, prefix: issued.keyPrefix, audit_id: issued.auditId });
    })
    .all(methodNotAllowed(['POST']));

  router
    .route('/users/:user_id/keys/:prefix/revoke')
    .post(...guards, async (req, res) => {
      const { user_id: userId, prefix } = decode(KeyParams, req.params, 'path');
      const { reason, operatorId, requestId } = contextOf(req.body, res);
      const revoked = await services.keyAdmin.revoke(userId, prefix, { operatorId, reason, requestId });
      if (revoked.outcome === 'not_found') {
        throw new DomainError('not_found', `User ${userId} has no active key ${prefix}.`);
      }
      // Keys are cached for AUTH_CACHE_TTL_MS: this process forgets the user's at once, others within it.
      services.authenticator.forgetUser(userId);
      res.json({
        action: 'revoke_key',
        outcome: revoked.outcome,
        message:
          revoked.count === 1 ? `Key ${prefix} revoked.` : `${revoked.count} keys with prefix ${prefix} revoked.`,
        payment: null,
        audit_id: revoked.auditId,
      });
    })
    .all(methodNotAllowed(['POST']));

  return router;
}
