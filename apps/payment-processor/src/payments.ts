import canonicalize from 'canonicalize';
import crypto from 'node:crypto';
import type { PoolClient } from 'pg';
import type { Payment, PaymentRequest } from './types';

interface PaymentRow {
  id: string;
  merchant_id: string;
  amount: string;
  currency: string;
  reference: string | null;
  status: 'accepted';
  created_at: Date;
  request_hash: string;
}

const COLUMNS = 'id, merchant_id, amount, currency, reference, status, created_at, request_hash';

/** Named statements: parsed once per connection, then only bound and executed. */
const INSERT = {
  name: 'payments_insert_v1',
  text: `INSERT INTO payments (merchant_id, idempotency_key, request_hash, amount, currency, reference, description)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (merchant_id, idempotency_key) DO NOTHING
         RETURNING ${COLUMNS}`,
};
const SELECT_BY_KEY = {
  name: 'payments_by_key_v1',
  text: `SELECT ${COLUMNS} FROM payments WHERE merchant_id = $1 AND idempotency_key = $2`,
};
const SELECT_BY_ID = {
  name: 'payments_by_id_v1',
  text: `SELECT ${COLUMNS} FROM payments WHERE id = $1`,
};

/**
 * SHA-256 of the RFC 8785 canonical JSON of the validated request, so key order and
 * whitespace do not make a retry look like a different request.
 */
export function requestHash(request: PaymentRequest): string {
  return sha256Hex(canonicalize(request) ?? '');
}

// crypto.hash (Node >= 20.12) skips the Hash object of createHash; same digest.
const sha256Hex: (text: string) => string =
  typeof crypto.hash === 'function'
    ? (text) => crypto.hash('sha256', text, 'hex')
    : (text) => crypto.createHash('sha256').update(text).digest('hex');

export function toPayment(row: PaymentRow): Payment {
  return {
    id: row.id,
    merchantId: row.merchant_id,
    amount: Number(row.amount),
    currency: row.currency,
    reference: row.reference,
    status: row.status,
    createdAt: row.created_at.toISOString(),
  };
}

export type CreateOutcome =
  | { kind: 'created'; payment: Payment }
  | { kind: 'replayed'; payment: Payment }
  | { kind: 'conflict' };

/**
 * Inserts the payment unless (merchant, key) exists. ON CONFLICT waits for a concurrent inserter to
 * commit, so the follow-up read (a new snapshot under Read Committed) always finds the winner.
 */
export async function createPayment(client: PoolClient, key: string, request: PaymentRequest): Promise<CreateOutcome> {
  const hash = requestHash(request);
  const inserted = await client.query<PaymentRow>({
    ...INSERT,
    values: [
      request.merchantId,
      key,
      hash,
      request.amount,
      request.currency,
      request.reference ?? null,
      request.description ?? null,
    ],
  });
  if (inserted.rows.length === 1) return { kind: 'created', payment: toPayment(inserted.rows[0]) };
  const existing = await client.query<PaymentRow>({ ...SELECT_BY_KEY, values: [request.merchantId, key] });
  const row = existing.rows[0];
  if (!row) throw new Error('Idempotency conflict reported but the existing payment is not visible');
  return row.request_hash === hash ? { kind: 'replayed', payment: toPayment(row) } : { kind: 'conflict' };
}

export async function findPayment(client: PoolClient, id: string): Promise<Payment | undefined> {
  const result = await client.query<PaymentRow>({ ...SELECT_BY_ID, values: [id] });
  return result.rows[0] ? toPayment(result.rows[0]) : undefined;
}
