/** Payments table: money as bigint minor units; (merchant, idempotency key) is the exactly-once guarantee. */
export const sql = `
CREATE TABLE payments (
  id               uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
  merchant_id      text        NOT NULL CHECK (merchant_id ~ '^[A-Za-z0-9_-]{1,64}$'),
  idempotency_key  text        NOT NULL CHECK (idempotency_key ~ '^[ -~]{1,255}$'),
  request_hash     char(64)    NOT NULL,
  amount           bigint      NOT NULL CHECK (amount BETWEEN 1 AND 99999999999),
  currency         char(3)     NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  reference        text        CHECK (char_length(reference) <= 128),
  description      text        CHECK (char_length(description) <= 512),
  status           text        NOT NULL DEFAULT 'accepted' CHECK (status IN ('accepted')),
  created_at       timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT payments_merchant_idempotency_key UNIQUE (merchant_id, idempotency_key)
);
COMMENT ON TABLE payments IS 'Accepted payments; one row per (merchant_id, idempotency_key).';
`;
