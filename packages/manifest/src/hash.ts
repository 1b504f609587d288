import canonicalize from 'canonicalize';
import { createHash } from 'node:crypto';

/**
 * RFC 8785 (JSON Canonicalization Scheme) serialization of `value`: sorted keys (UTF-16 code units),
 * ECMAScript number spelling, no whitespace.
 *
 * @example
 * canonicalJson({ b: 4.50, a: 2e-3 }); // '{"a":0.002,"b":4.5}'
 */
export function canonicalJson(value: unknown): string {
  const json = canonicalize(value);
  if (json === undefined) throw new TypeError('value has no JSON representation');
  return json;
}

/**
 * Lowercase hex SHA-256 of the canonical JSON of a manifest's `configuration`. Key order, whitespace and number
 * spelling (`1024`, `1024.0`, `1.024e3`) of the source file do not change it.
 *
 * @example
 * computeConfigHash(manifest.configuration); // '3f1c…' (64 hex characters)
 */
export function computeConfigHash(configuration: unknown): string {
  return createHash('sha256').update(canonicalJson(configuration), 'utf8').digest('hex');
}
