import cc from 'currency-codes';
import { z } from 'zod';
import { ERROR_CODES, LIMITS } from './constants';
import { HttpError } from './errors';
import type { PaymentRequest } from './types';

/** Codes in the ISO 4217 list that are not money one can pay with (metals, bond units, test, "no currency"). */
function isPayableCurrency(code: string): boolean {
  const record = cc.code(code);
  return (
    record !== undefined &&
    record.code === code &&
    Number.isInteger(record.digits) &&
    !record.countries.every((country) => /^zz/i.test(country))
  );
}

/** Minor-unit exponent of an ISO 4217 currency (JPY 0, USD 2, KWD 3). */
export function currencyExponent(code: string): number | undefined {
  return isPayableCurrency(code) ? cc.code(code)?.digits : undefined;
}

/** A UTF-16 surrogate without its pair cannot be encoded as UTF-8, so PostgreSQL would not store it verbatim. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const codePoints = (value: string): number => [...value].length;

/** Text PostgreSQL can store verbatim: well-formed UTF-16 (no lone surrogates) and no NUL. */
const storableText = (max: number) =>
  z
    .string()
    .refine((value) => !LONE_SURROGATE.test(value) && !value.includes('\u0000'), {
      message: 'must be well-formed Unicode without NUL characters',
    })
    .refine((value) => codePoints(value) <= max, { message: `must be at most ${max} characters` });

const paymentRequestSchema = z
  .object({
    merchantId: z.string().regex(LIMITS.merchantId, 'must be 1-64 characters of A-Z a-z 0-9 _ -'),
    amount: z
      .number()
      .int('must be an integer amount in minor units')
      .min(LIMITS.minAmount, `must be at least ${LIMITS.minAmount}`)
      .max(LIMITS.maxAmount, `must be at most ${LIMITS.maxAmount}`),
    currency: z.string().refine(isPayableCurrency, 'must be an ISO 4217 alphabetic currency code such as USD'),
    reference: storableText(LIMITS.maxReferenceChars).optional(),
    description: storableText(LIMITS.maxDescriptionChars).optional(),
  })
  .strict();

/**
 * Validates a parsed JSON body; throws a 400 {@link HttpError} naming the first offending field.
 *
 * @example
 * parsePaymentRequest({ merchantId: 'm_1', amount: 1250, currency: 'EUR' });
 */
export function parsePaymentRequest(input: unknown): PaymentRequest {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new HttpError(400, ERROR_CODES.invalidJson, 'The request body must be a JSON object.');
  }
  const result = paymentRequestSchema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (issue.code === 'unrecognized_keys') {
    throw new HttpError(400, ERROR_CODES.unknownField, `Unknown field "${issue.keys[0]}" is not accepted.`, issue.keys[0]);
  }
  const field = issue.path.map(String).join('.');
  if (issue.code === 'invalid_type' && issue.received === 'undefined') {
    throw new HttpError(400, ERROR_CODES.missingField, `"${field}" is required.`, field);
  }
  const message = issue.code === 'invalid_type' ? `must be a ${issue.expected}` : issue.message;
  throw new HttpError(400, ERROR_CODES.invalidField, `"${field}" ${message}.`, field);
}

/**
 * Validates the Idempotency-Key header value: 1-255 printable ASCII characters.
 */
export function parseIdempotencyKey(value: string | undefined): string {
  if (value === undefined) {
    throw new HttpError(400, ERROR_CODES.missingField, 'The Idempotency-Key header is required.', 'Idempotency-Key');
  }
  if (!LIMITS.idempotencyKey.test(value)) {
    throw new HttpError(
      400,
      ERROR_CODES.invalidIdempotencyKey,
      'The Idempotency-Key header must be 1-255 printable ASCII characters.',
      'Idempotency-Key',
    );
  }
  return value;
}
