// The API Gateway HTTP API (payload format 2.0) events the smoke test sends to the payment function with Lambda
// Invoke. Plain data, no AWS SDK: the payment processor's own tests run these exact events through the real handler on
// PostgreSQL, so a smoke failure is about the environment, never about the event.

/** An API Gateway HTTP API payload 2.0 request event (the fields API Gateway always sets). */
export interface ApiGatewayV2Event {
  version: '2.0';
  routeKey: string;
  rawPath: string;
  rawQueryString: string;
  headers: Record<string, string>;
  requestContext: {
    accountId: string;
    apiId: string;
    domainName: string;
    domainPrefix: string;
    http: { method: string; path: string; protocol: string; sourceIp: string; userAgent: string };
    requestId: string;
    routeKey: string;
    stage: string;
    time: string;
    timeEpoch: number;
  };
  body?: string;
  isBase64Encoded: boolean;
}

/** One request of the smoke sequence and the status it must get. */
export interface SmokeRequest {
  /** e.g. `create`, `replay`. */
  name: string;
  event: ApiGatewayV2Event;
  expectedStatus: number;
}

/** The payment the smoke test creates: a unique reference per run, so runs never replay each other. */
export function smokePayment(runId: string, amount = 1999): { merchantId: string; amount: number; currency: string; reference: string } {
  return { merchantId: 'm_smoke', amount, currency: 'EUR', reference: `smoke ${runId}` };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** API Gateway's requestContext.time format, e.g. `29/Nov/2026:19:20:55 +0000`. */
function gatewayTime(date: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:${p(date.getUTCHours())}:${p(date.getUTCMinutes())}:${p(date.getUTCSeconds())} +0000`;
}

/**
 * An API Gateway payload 2.0 event as an HTTP API would send it for `method path` (lower-case header names, as
 * payload 2.0 delivers them).
 *
 * @example
 * apiGatewayEvent({ method: 'POST', path: '/payments', requestId: 'smoke-1', headers: { 'idempotency-key': 'k' }, body: '{}' });
 */
export function apiGatewayEvent(request: {
  method: string;
  path: string;
  requestId: string;
  headers?: Record<string, string>;
  body?: string;
  now?: Date;
}): ApiGatewayV2Event {
  const now = request.now ?? new Date();
  const routeKey = '$default';
  return {
    version: '2.0',
    routeKey,
    rawPath: request.path,
    rawQueryString: '',
    headers: { accept: 'application/json', 'user-agent': 'tap-smoke', ...(request.body !== undefined ? { 'content-type': 'application/json' } : {}), ...request.headers },
    requestContext: {
      accountId: 'anonymous',
      apiId: 'tap-smoke',
      domainName: 'tap-smoke.invalid',
      domainPrefix: 'tap-smoke',
      http: { method: request.method, path: request.path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'tap-smoke' },
      requestId: request.requestId,
      routeKey,
      stage: '$default',
      time: gatewayTime(now),
      timeEpoch: now.getTime(),
    },
    ...(request.body !== undefined ? { body: request.body } : {}),
    isBase64Encoded: false,
  };
}

/**
 * The smoke sequence against POST /payments: create (201), the same Idempotency-Key again (200, replayed), the same key
 * with another body (422), and a malformed body (400). `GET /payments/{id}` needs the created id:
 * {@link getPaymentRequest}.
 *
 * @example
 * const [create, replay, conflict, malformed] = paymentRequests('k3x9');
 */
export function paymentRequests(runId: string, now?: Date): SmokeRequest[] {
  const key = `smoke-${runId}`;
  const body = JSON.stringify(smokePayment(runId));
  const post = (n: number, headers: Record<string, string>, text: string) =>
    apiGatewayEvent({ method: 'POST', path: '/payments', requestId: `smoke-${runId}-${n}`, headers, body: text, now });
  return [
    { name: 'create', event: post(1, { 'idempotency-key': key }, body), expectedStatus: 201 },
    { name: 'replay', event: post(2, { 'idempotency-key': key }, body), expectedStatus: 200 },
    { name: 'same key, other body', event: post(3, { 'idempotency-key': key }, JSON.stringify(smokePayment(runId, 2999))), expectedStatus: 422 },
    { name: 'malformed body', event: post(5, { 'idempotency-key': `${key}-malformed` }, '{"merchantId": "m_smoke", "amount": '), expectedStatus: 400 },
  ];
}

/**
 * GET /payments/{id} of the payment the sequence created (200).
 *
 * @example
 * getPaymentRequest('k3x9', created.id).expectedStatus; // 200
 */
export function getPaymentRequest(runId: string, paymentId: string, now?: Date): SmokeRequest {
  return {
    name: 'get',
    event: apiGatewayEvent({ method: 'GET', path: `/payments/${encodeURIComponent(paymentId)}`, requestId: `smoke-${runId}-4`, now }),
    expectedStatus: 200,
  };
}

/**
 * A fresh payment after a rotation (201): the function must reconnect with the rotated password.
 *
 * @example
 * afterRotationRequest('k3x9').expectedStatus; // 201
 */
export function afterRotationRequest(runId: string, now?: Date): SmokeRequest {
  return {
    name: 'payment after rotation',
    event: apiGatewayEvent({
      method: 'POST',
      path: '/payments',
      requestId: `smoke-${runId}-6`,
      headers: { 'idempotency-key': `smoke-${runId}-rotated` },
      body: JSON.stringify(smokePayment(runId, 2499)),
      now,
    }),
    expectedStatus: 201,
  };
}
