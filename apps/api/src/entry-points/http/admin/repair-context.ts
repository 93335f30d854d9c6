import type { Response } from 'express';

import { RepairBody } from '@paygate/contracts';

import type { RepairContext } from '../../../services/repair-context';
import { decode } from '../validate';
import { operatorOf } from './operator-context';

/** Who asks for a change, why (the body's required reason), and under which request id. */
export function contextOf(body: unknown, res: Response): RepairContext {
  const { reason } = decode(RepairBody, body, 'body');
  return { operatorId: operatorOf(res).id, reason, requestId: res.locals.requestId };
}
