import type { Request } from 'express';

import { DomainError } from '@paygate/domain';

/**
 * The one value of a header that must be sent once. Node joins repeated headers into "a, b" (and keeps
 * only the first of some, such as Authorization), which would make two idempotency keys look like one new
 * key, so a repeat is a 400 duplicate_header before anything is read or written.
 */
export function singleHeader(req: Request, name: string, displayName: string): string | undefined {
  const values = req.headersDistinct[name.toLowerCase()];
  if (values === undefined || values.length === 0) return undefined;
  if (values.length > 1) {
    throw new DomainError(
      'duplicate_header',
      `Send the ${displayName} header once; this request has it ${values.length} times.`,
      [{ field: displayName, message: `sent ${values.length} times`, reason: 'duplicate_header' }],
    );
  }
  return values[0];
}
