import type { z } from 'zod';

import type { FieldIssue } from '@paygate/domain/errors';

/** Turns zod's issues into the field list a client sees in `details` of a 422. */
export function toFieldIssues(error: z.ZodError, root = 'body'): FieldIssue[] {
  return error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    const reason =
      issue.code === 'custom' && typeof issue.params?.reason === 'string' ? issue.params.reason : issue.code;
    if (issue.code === 'unrecognized_keys') {
      const keys = issue.keys.join(', ');
      return { field: path || root, message: `unknown field${issue.keys.length > 1 ? 's' : ''}: ${keys}`, reason };
    }
    return { field: path || root, message: issue.message, reason };
  });
}
