import type { ConnectionOptions } from 'node:tls';
import { ConfigurationError } from './errors';

/** How connections built from a Secrets Manager secret use TLS (`DB_SSL`). */
export type DatabaseSsl = 'require' | 'disable';

/**
 * `require` (the default): TLS with the server certificate and host name verified (libpq's verify-full)
 * against Node's CAs plus `NODE_EXTRA_CA_CERTS`, which the image points at the runtime's bundle holding
 * the RDS CAs. `disable` is for a local database without TLS only.
 *
 * @example
 * resolveSsl(process.env.DB_SSL); // { rejectUnauthorized: true } when unset
 */
export function resolveSsl(value: string | undefined): false | ConnectionOptions {
  const mode = value === undefined || value === '' ? 'require' : value;
  if (mode === 'require') return { rejectUnauthorized: true };
  if (mode === 'disable') return false;
  throw new ConfigurationError(`DB_SSL must be "require" or "disable", got "${mode}".`);
}

const TLS_ERROR_CODES = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** True when TLS could not be set up: a server without TLS, or a certificate that does not verify. Retrying cannot help. */
export function isTlsError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = 'code' in error ? String((error as { code: unknown }).code) : '';
  const message = error instanceof Error ? error.message : '';
  return TLS_ERROR_CODES.has(code) || /does not support SSL connections/i.test(message);
}
