import type { HttpEventV2 } from '@tap/payment-processor';

/** A payload-2.0 `POST /payments` event. */
export function postPayment(key: string, body: Record<string, unknown>): HttpEventV2 {
  return {
    version: '2.0',
    rawPath: '/payments',
    headers: { 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify(body),
    isBase64Encoded: false,
    requestContext: { requestId: key, http: { method: 'POST', path: '/payments' } },
  };
}

/** Resolves once `condition` holds, polling; rejects with `what` after `timeoutMs`. */
export async function waitFor(what: string, condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
