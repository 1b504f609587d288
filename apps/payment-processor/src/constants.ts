/** Limits of the public contract (see README "API"). */
export const LIMITS = {
  /** Largest accepted request body, in bytes after base64 decoding. */
  maxBodyBytes: 16 * 1024,
  idempotencyKey: /^[\x20-\x7E]{1,255}$/,
  merchantId: /^[A-Za-z0-9_-]{1,64}$/,
  minAmount: 1,
  maxAmount: 99_999_999_999,
  maxReferenceChars: 128,
  maxDescriptionChars: 512,
} as const;

/** PostgreSQL SQLSTATE codes the handler reacts to. */
export const SQLSTATE = {
  invalidPassword: '28P01',
  invalidAuthorization: '28000',
  adminShutdown: '57P01',
  crashShutdown: '57P02',
  cannotConnectNow: '57P03',
  serializationFailure: '40001',
  deadlockDetected: '40P01',
} as const;

/** Node/pg error codes that mean "the database is not reachable right now". */
export const CONNECTION_ERROR_CODES = [
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
] as const;

export const DEFAULTS = {
  /** Seconds a 503 asks the client to wait before retrying. */
  retryAfterSeconds: 1,
  /** Seconds the secret stays cached in an execution environment (a 28P01 bypasses it). */
  secretMaxAgeSeconds: 300,
  connectionTimeoutMillis: 3_000,
  /** Server-side cap on one statement, so a stuck lock cannot hold the Lambda to its timeout. */
  statementTimeoutMillis: 5_000,
  serviceName: 'payment-processor',
  metricsNamespace: 'Tap/Payments',
  appRoleName: 'payment_app',
} as const;

/** Every error code the API answers with. */
export const ERROR_CODES = {
  invalidEvent: 'invalid_event',
  invalidJson: 'invalid_json',
  invalidField: 'invalid_field',
  missingField: 'missing_field',
  unknownField: 'unknown_field',
  invalidIdempotencyKey: 'invalid_idempotency_key',
  unsupportedMediaType: 'unsupported_media_type',
  payloadTooLarge: 'payload_too_large',
  idempotencyKeyReused: 'idempotency_key_reused',
  notFound: 'not_found',
  paymentNotFound: 'payment_not_found',
  methodNotAllowed: 'method_not_allowed',
  serviceUnavailable: 'service_unavailable',
  internal: 'internal_error',
} as const;

export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];
