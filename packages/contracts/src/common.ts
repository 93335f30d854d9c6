import { z } from 'zod';

import { ERROR_CODES } from '@paygate/domain/errors';
import { IDEMPOTENCY_KEY_LENGTH_MAX } from '@paygate/domain/limits';
import { formatAmount, parseAmount } from '@paygate/domain/money';
import { JsonDecimal } from '@paygate/domain/strict-json';

/** Shapes shared by several contracts. Wire names are snake_case; TypeScript names are camelCase. */

export const ISO_TIME = z.iso
  .datetime({ offset: false })
  .meta({ description: 'UTC time, ISO 8601 with milliseconds.', example: '2026-11-27T10:15:30.123Z' });

export const CurrencyCode = z
  .string()
  .regex(/^[A-Z]{3}$/, 'currency must be an ISO 4217 code such as USD')
  .meta({ description: 'ISO 4217 currency code.', example: 'USD' });

/**
 * A JSON number: a finite double, or a JsonDecimal, which is how the API's body parser hands over a number
 * a double would change (10.000, 10.0000000000000001, 1e3), so rules can judge the text that was sent.
 */
export const JsonNumber = z
  .custom<number | JsonDecimal>(
    (value) => (typeof value === 'number' && Number.isFinite(value)) || value instanceof JsonDecimal,
    { error: 'expected a JSON number' },
  )
  .meta({ type: 'number' });

export const AmountInput = z
  .union([JsonNumber, z.string()])
  .superRefine((value, context) => {
    const parsed = parseAmount(value);
    if (!parsed.ok) context.addIssue({ code: 'custom', message: parsed.message, params: { reason: parsed.reason } });
  })
  .meta({
    description:
      'A positive amount with at most 2 decimals, up to 1000000000.00, as a JSON number or a decimal string.',
    example: '100.50',
  });

export const AmountText = z
  .string()
  .regex(/^-?\d+\.\d{2}$/)
  .meta({ description: 'An amount as a decimal string with exactly 2 decimals.', example: '100.50' });

export const EntityId = z.number().int().positive().meta({ example: 42 });

/** The key the reference shows; on /docs, "Try it" sends a fresh UUID in its place. */
export const IDEMPOTENCY_KEY_SAMPLE = 'b7f3c1e2-4d5a-4f6b-9c8d-0e1f2a3b4c5d';

export const IdempotencyKey = z
  .string()
  .min(1)
  .max(IDEMPOTENCY_KEY_LENGTH_MAX)
  .regex(/^[\x20-\x7e]+$/, 'Idempotency-Key must be printable ASCII')
  .meta({
    description: '1-255 printable ASCII characters, unique per logical operation.',
    example: IDEMPOTENCY_KEY_SAMPLE,
  });

export const ErrorBody = z
  .object({
    error: z.enum(ERROR_CODES),
    message: z.string(),
    details: z.unknown().optional(),
    request_id: z.string(),
  })
  .meta({
    id: 'Error',
    description: 'Every error, on every route, has this shape.',
    example: {
      error: 'validation_error',
      message: 'amount: amount must be positive',
      details: [{ field: 'amount', message: 'amount must be positive', reason: 'negative' }],
      request_id: '5f0c7a0e-4a49-4a8e-8d0f-2f0b8f3d9b11',
    },
  });
export type ErrorBody = z.infer<typeof ErrorBody>;

export const RateLimitErrorBody = z
  .object({
    error: z.literal('rate_limit_exceeded'),
    message: z.literal('Too many requests. Please try again later.'),
    retry_after: z.number().int().nonnegative(),
    request_id: z.string(),
  })
  .meta({
    id: 'RateLimitError',
    example: {
      error: 'rate_limit_exceeded',
      message: 'Too many requests. Please try again later.',
      retry_after: 42,
      request_id: '5f0c7a0e-4a49-4a8e-8d0f-2f0b8f3d9b11',
    },
  });

/**
 * The insufficient_balance answer, built from the refusal's facts. A replay encodes the same stored facts,
 * the first request's id included, so it is byte-identical to the first answer.
 */
export function encodeInsufficientBalance(refusal: {
  availableMinor: bigint;
  requestedMinor: bigint;
  currency: string;
  requestId: string | null;
}): ErrorBody {
  const available = formatAmount(refusal.availableMinor);
  const requested = formatAmount(refusal.requestedMinor);
  return {
    error: 'insufficient_balance',
    message: `Insufficient balance: ${available} ${refusal.currency} available, ${requested} ${refusal.currency} requested.`,
    details: { available_balance: available, requested_amount: requested, currency: refusal.currency },
    request_id: refusal.requestId ?? '',
  };
}
