import type { z } from 'zod';

import { toFieldIssues } from '@paygate/contracts';
import { validationError } from '@paygate/domain';

/** Decodes untrusted input with a contract, or throws the 422 that names every bad field. */
export function decode<T extends z.ZodType>(schema: T, input: unknown, root: string): z.output<T> {
  const parsed = schema.safeParse(input ?? {});
  if (!parsed.success) throw validationError(toFieldIssues(parsed.error, root));
  return parsed.data;
}
