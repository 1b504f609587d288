import cc from 'currency-codes';
import { z } from 'zod';
import { ERROR_CODES, LIMITS } from './constants';
import { HttpError } from './errors';
import type { PaymentRequest } from './types';

/** Payable codes seen so far: the list lookup is a linear scan. Bounded by the list, invalid input is never kept. */
const payable = new Set<string>();

/** Codes in the ISO 4217 list that are not money one can pay with (metals, bond units, test, "no currency"). */
function isPayableCurrency(code: string): boolean {
  if (payable.has(code)) return true;
  const record = cc.code(code);
  const ok =
    record !== undefined &&
    record.code === code &&
    Number.isInteger(record.digits) &&
    !record.countries.every((country) => /^zz/i.test(country));
  if (ok) payable.add(code);
  return ok;
}

/** Minor-unit exponent of an ISO 4217 currency (JPY 0, USD 2, KWD 3). */
export function currencyExponent(code: string): number | undefined {
  return isPayableCurrency(code) ? cc.code(code)?.digits : undefined;
}

/** A UTF-16 surrogate without its pair cannot be encoded as UTF-8, so PostgreSQL would not store it verbatim. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** True unless `value` has a UTF-16 surrogate without its pair. */
export const isWellFormedText = (value: string): boolean => !LONE_SURROGATE.test(value);

/** Text PostgreSQL can store verbatim: well-formed UTF-16 (no lone surrogates) and no NUL. */
const isStorable = (value: string): boolean => isWellFormedText(value) && !value.includes('\u0000');

// Code points never outnumber UTF-16 units, so the common short string is counted without spreading it.
const withinCodePoints = (value: string, max: number): boolean => value.length <= max || [...value].length <= max;

const storableText = (max: number) =>
  z
    .string()
    .refine(isStorable, { message: 'must be well-formed Unicode without NUL characters' })
    .refine((value) => withinCodePoints(value, max), { message: `must be at most ${max} characters` });

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

/** The fields {@link acceptedAsIs} checks one by one. */
type FastPathField = 'merchantId' | 'amount' | 'currency' | 'reference' | 'description';
/** `A` when both name the same keys, else `never`. */
type SameKeys<A, B> = [A] extends [B] ? ([B] extends [A] ? A : never) : never;

const isOptionalText = (value: unknown, max: number): value is string | undefined =>
  value === undefined || (typeof value === 'string' && isStorable(value) && withinCodePoints(value, max));

/**
 * The same rules as `paymentRequestSchema` without zod's per-call allocations, for the common case:
 * a body that passes is returned as zod would return it (schema key order, only the keys given);
 * anything else (or an explicit `undefined`) returns undefined and goes through zod for its exact error.
 */
function acceptedAsIs(input: Record<string, unknown>): PaymentRequest | undefined {
  for (const key in input) {
    if (!Object.hasOwn(paymentRequestSchema.shape, key)) return undefined;
    if (input[key] === undefined) return undefined;
  }
  // Typed by the schema's own keys: a field added to or removed from the schema breaks this line at compile
  // time, so the two rule sets cannot drift apart silently.
  const { merchantId, amount, currency, reference, description } = input as Record<
    SameKeys<FastPathField, keyof typeof paymentRequestSchema.shape>,
    unknown
  >;
  if (typeof merchantId !== 'string' || !LIMITS.merchantId.test(merchantId)) return undefined;
  if (typeof amount !== 'number' || !Number.isInteger(amount) || amount < LIMITS.minAmount || amount > LIMITS.maxAmount) {
    return undefined;
  }
  if (typeof currency !== 'string' || !isPayableCurrency(currency)) return undefined;
  if (!isOptionalText(reference, LIMITS.maxReferenceChars) || !isOptionalText(description, LIMITS.maxDescriptionChars)) {
    return undefined;
  }
  const request: PaymentRequest = { merchantId, amount, currency };
  if (reference !== undefined) request.reference = reference;
  if (description !== undefined) request.description = description;
  return request;
}

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
  const valid = acceptedAsIs(input as Record<string, unknown>);
  if (valid) return valid;
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
