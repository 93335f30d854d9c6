import type { Response } from 'express';

import type { OperatorRecord } from '@paygate/db';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      operator?: OperatorRecord;
    }
  }
}

export function operatorOf(res: Response): OperatorRecord {
  const operator = res.locals.operator;
  if (!operator) throw new Error('operator route reached without an operator session');
  return operator;
}
