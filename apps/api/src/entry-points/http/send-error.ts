import type { Response } from 'express';

import type { ErrorCode } from '@paygate/domain';
import { HTTP_STATUS_BY_CODE } from '@paygate/domain';

/** Every error leaves in DESIGN.md's one shape. */
export function sendError(res: Response, code: ErrorCode, message: string, details?: unknown): void {
  const body: Record<string, unknown> = { error: code, message };
  if (details !== undefined) body.details = details;
  body.request_id = res.locals.requestId;
  res.status(HTTP_STATUS_BY_CODE[code]).json(body);
}
