import type { PaymentEnvironment } from '../../src';
import type { HttpEventV2 } from '../../src/types';
import { environment, get, migratedDatabase, payment, post, type PaymentsDatabase } from '../helpers';

let pdb: PaymentsDatabase;
let env: PaymentEnvironment;

beforeAll(async () => {
  pdb = await migratedDatabase('pp_api');
  env = environment({ databaseUrl: pdb.appUrl });
});

afterAll(async () => {
  await env.close();
  await pdb.drop();
});

const body = (res: { body: string }) => JSON.parse(res.body);

describe('POST /payments', () => {
  it('creates a payment: 201 with the stored representation and a Location', async () => {
    // Act
    const res = await env.handler(post(payment({ reference: 'order-1', description: 'two books' }), 'key-create'));
    // Assess
    expect(res.statusCode).toBe(201);
    const created = body(res);
    expect(created).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      merchantId: 'merchant_1',
      amount: 1250,
      currency: 'EUR',
      reference: 'order-1',
      status: 'accepted',
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(res.headers.location).toBe(`/payments/${created.id}`);
    const row = await pdb.admin((c) => c.query('SELECT amount, currency, description FROM payments WHERE id = $1', [created.id]));
    expect(row.rows).toEqual([{ amount: '1250', currency: 'EUR', description: 'two books' }]);
  });

  it('replays the same key and body: 200, identical body, Idempotent-Replayed, still one row', async () => {
    // Prepare
    const first = await env.handler(post(payment({ amount: 99 }), 'key-replay'));
    // Act: same content, different key order and whitespace
    const again = await env.handler(post('{ "currency":"EUR",  "amount": 99, "merchantId":"merchant_1"}', 'key-replay'));
    // Assess
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toBe(first.body);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(await pdb.count('idempotency_key = $1', ['key-replay'])).toBe(1);
  });

  it('rejects the same key with a different body: 422 idempotency_key_reused, the stored payment unchanged', async () => {
    // Prepare
    await env.handler(post(payment({ amount: 500 }), 'key-reuse'));
    // Act
    const res = await env.handler(post(payment({ amount: 501 }), 'key-reuse'));
    // Assess
    expect(res.statusCode).toBe(422);
    expect(body(res).error).toEqual({ code: 'idempotency_key_reused', message: expect.any(String), field: 'Idempotency-Key' });
    const rows = await pdb.admin((c) => c.query("SELECT amount FROM payments WHERE idempotency_key = 'key-reuse'"));
    expect(rows.rows).toEqual([{ amount: '500' }]);
  });

  it('scopes idempotency keys per merchant', async () => {
    // Act
    const a = await env.handler(post(payment({ merchantId: 'm_a' }), 'shared-key'));
    const b = await env.handler(post(payment({ merchantId: 'm_b', amount: 7 }), 'shared-key'));
    // Assess
    expect([a.statusCode, b.statusCode]).toEqual([201, 201]);
    expect(body(a).id).not.toBe(body(b).id);
    expect(await pdb.count('idempotency_key = $1', ['shared-key'])).toBe(2);
  });

  it('accepts currencies by their real ISO 4217 list (JPY, KWD, XOF) and base64-encoded bodies', async () => {
    // Prepare
    const encoded = Buffer.from(JSON.stringify(payment({ currency: 'KWD', amount: 1500 }))).toString('base64');
    // Act
    const jpy = await env.handler(post(payment({ currency: 'JPY' })));
    const kwd = await env.handler(post(encoded, undefined, { isBase64Encoded: true }));
    const xof = await env.handler(post(payment({ currency: 'XOF' })));
    // Assess
    expect([jpy.statusCode, kwd.statusCode, xof.statusCode]).toEqual([201, 201, 201]);
    expect(body(kwd)).toMatchObject({ currency: 'KWD', amount: 1500 });
  });

  it('decodes a text body as UTF-8 would: a leading BOM is dropped, a raw lone surrogate becomes U+FFFD', async () => {
    // Prepare: a JS string with an unpaired surrogate cannot be UTF-8; encoding it substitutes U+FFFD
    const withBom = `\uFEFF${JSON.stringify(payment({ reference: 'bom' }))}`;
    const loneSurrogate = JSON.stringify(payment()).replace('}', ',"reference":"a\uD800b"}');
    // Act
    const bom = await env.handler(post(withBom));
    const replaced = await env.handler(post(loneSurrogate));
    // Assess
    expect([bom.statusCode, replaced.statusCode]).toEqual([201, 201]);
    expect(body(bom).reference).toBe('bom');
    expect(body(replaced).reference).toBe('a\uFFFDb');
  });

  it('measures a text body in UTF-8 bytes: 16 KiB of "é" (2 bytes, 1 UTF-16 unit each) is too large', async () => {
    // Prepare: 8193 "é" are 8193 UTF-16 units but 16 386 bytes
    const text = JSON.stringify(payment({ description: 'é'.repeat(8193) }));
    // Act
    const res = await env.handler(post(text));
    // Assess
    expect(res.statusCode).toBe(413);
    expect(body(res).error.code).toBe('payload_too_large');
  });

  it('stores SQL-injection and Unicode strings verbatim', async () => {
    // Prepare
    const nasty = [
      "'; DROP TABLE payments; --",
      "Robert'); DELETE FROM payments WHERE ('1'='1",
      '$1 $$ \\x00 E\'\\\\\'',
      'Zürich — 東京 — 🇺🇦 — नमस्ते — ‮reversed‬ — a\u0301',
      '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 😀 "quotes" \\ backslash\nnewline\ttab',
    ];
    for (const [i, text] of nasty.entries()) {
      // Act
      const res = await env.handler(post(payment({ reference: text, description: text.repeat(3) }), `inject-${i}`));
      // Assess
      expect(res.statusCode).toBe(201);
      expect(body(res).reference).toBe(text);
      const row = await pdb.admin((c) => c.query('SELECT reference, description FROM payments WHERE id = $1', [body(res).id]));
      expect(row.rows[0]).toEqual({ reference: text, description: text.repeat(3) });
    }
    expect(await pdb.admin((c) => c.query("SELECT to_regclass('payments') AS t"))).toMatchObject({ rows: [{ t: 'payments' }] });
  });

  it('measures reference length in characters, not UTF-16 units (128 emoji fit, 129 do not)', async () => {
    // Act
    const ok = await env.handler(post(payment({ reference: '😀'.repeat(128) })));
    const tooLong = await env.handler(post(payment({ reference: '😀'.repeat(129) })));
    // Assess
    expect(ok.statusCode).toBe(201);
    expect(tooLong.statusCode).toBe(400);
    expect(body(tooLong).error.field).toBe('reference');
  });
});

describe('invalid input: 4xx and nothing stored', () => {
  const tooBig = JSON.stringify(payment({ description: 'x'.repeat(16 * 1024) }));
  const cases: Array<[string, HttpEventV2 | unknown, number, string, string?]> = [
    ['missing Idempotency-Key', post(payment(), null), 400, 'missing_field', 'Idempotency-Key'],
    ['empty Idempotency-Key', post(payment(), ''), 400, 'invalid_idempotency_key', 'Idempotency-Key'],
    ['256-character key', post(payment(), 'k'.repeat(256)), 400, 'invalid_idempotency_key', 'Idempotency-Key'],
    ['key with a control character', post(payment(), 'a\u0007b'), 400, 'invalid_idempotency_key', 'Idempotency-Key'],
    ['key with non-ASCII', post(payment(), 'clé'), 400, 'invalid_idempotency_key', 'Idempotency-Key'],
    ['no body', post(payment(), 'k1', { body: undefined }), 400, 'invalid_json'],
    ['empty body', post('', 'k2'), 400, 'invalid_json'],
    ['broken JSON', post('{"merchantId":', 'k3'), 400, 'invalid_json'],
    ['JSON array', post('[1,2]', 'k4'), 400, 'invalid_json'],
    ['JSON null', post('null', 'k5'), 400, 'invalid_json'],
    ['JSON string', post('"hello"', 'k6'), 400, 'invalid_json'],
    ['invalid UTF-8', post(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]).toString('base64'), 'k7', { isBase64Encoded: true }), 400, 'invalid_json'],
    ['card data (unknown field)', post(payment({ cardNumber: '4111111111111111' }), 'k8'), 400, 'unknown_field', 'cardNumber'],
    ['missing merchantId', post({ amount: 1, currency: 'USD' }, 'k9'), 400, 'missing_field', 'merchantId'],
    ['missing amount', post({ merchantId: 'm', currency: 'USD' }, 'k10'), 400, 'missing_field', 'amount'],
    ['missing currency', post({ merchantId: 'm', amount: 1 }, 'k11'), 400, 'missing_field', 'currency'],
    ['merchantId with a space', post(payment({ merchantId: 'bad id' }), 'k12'), 400, 'invalid_field', 'merchantId'],
    ['merchantId of 65 characters', post(payment({ merchantId: 'm'.repeat(65) }), 'k13'), 400, 'invalid_field', 'merchantId'],
    ['empty merchantId', post(payment({ merchantId: '' }), 'k14'), 400, 'invalid_field', 'merchantId'],
    ['merchantId as a number', post(payment({ merchantId: 42 }), 'k15'), 400, 'invalid_field', 'merchantId'],
    ['zero amount', post(payment({ amount: 0 }), 'k16'), 400, 'invalid_field', 'amount'],
    ['negative amount', post(payment({ amount: -5 }), 'k17'), 400, 'invalid_field', 'amount'],
    ['fractional amount', post(payment({ amount: 12.5 }), 'k18'), 400, 'invalid_field', 'amount'],
    ['amount above the maximum', post(payment({ amount: 100_000_000_000 }), 'k19'), 400, 'invalid_field', 'amount'],
    ['amount as a string', post(payment({ amount: '1250' }), 'k20'), 400, 'invalid_field', 'amount'],
    ['amount 1e400 (Infinity)', post('{"merchantId":"m","amount":1e400,"currency":"USD"}', 'k21'), 400, 'invalid_field', 'amount'],
    ['lower-case currency', post(payment({ currency: 'usd' }), 'k22'), 400, 'invalid_field', 'currency'],
    ['made-up currency', post(payment({ currency: 'ABC' }), 'k23'), 400, 'invalid_field', 'currency'],
    ['gold is not a currency to pay in', post(payment({ currency: 'XAU' }), 'k24'), 400, 'invalid_field', 'currency'],
    ['reference of 129 characters', post(payment({ reference: 'r'.repeat(129) }), 'k25'), 400, 'invalid_field', 'reference'],
    ['description of 513 characters', post(payment({ description: 'd'.repeat(513) }), 'k26'), 400, 'invalid_field', 'description'],
    ['reference with NUL', post(payment({ reference: 'a\u0000b' }), 'k27'), 400, 'invalid_field', 'reference'],
    ['reference with a lone surrogate', post('{"merchantId":"m","amount":1,"currency":"USD","reference":"\\ud800x"}', 'k28'), 400, 'invalid_field', 'reference'],
    ['reference as null', post(payment({ reference: null }), 'k29'), 400, 'invalid_field', 'reference'],
    ['text/plain body', post(payment(), 'k30', { headers: { 'content-type': 'text/plain', 'idempotency-key': 'k30' } }), 415, 'unsupported_media_type', 'Content-Type'],
    ['body over 16 KiB', post(tooBig, 'k31'), 413, 'payload_too_large'],
    ['base64 body over 16 KiB', post(Buffer.from(tooBig).toString('base64'), 'k32', { isBase64Encoded: true }), 413, 'payload_too_large'],
    ['event without requestContext', { rawPath: '/payments', body: '{}' }, 400, 'invalid_event'],
    ['event that is a string', 'GET /payments', 400, 'invalid_event'],
    ['null event', null, 400, 'invalid_event'],
    ['REST API v1 event', { httpMethod: 'POST', path: '/payments', body: JSON.stringify(payment()) }, 400, 'invalid_event'],
    ['body that is not a string', post(payment(), 'k33', { body: { a: 1 } as unknown as string }), 400, 'invalid_event'],
  ];

  // Rows without a field are padded: Jest hands a `done` callback to a test function that declares
  // more parameters than its row has, and such a test then waits for `done` until it times out.
  it.each(cases.map(([name, event, status, code, field]) => ({ name, event, status, code, field })))(
    '$name',
    async ({ event, status, code, field }) => {
    // Prepare
    const before = await pdb.count();
    // Act
    const res = await env.handler(event as HttpEventV2);
    // Assess
    expect(res.statusCode).toBe(status);
    expect(res.headers['content-type']).toBe('application/json');
    const error = body(res).error;
    expect(error.code).toBe(code);
    expect(typeof error.message).toBe('string');
    if (field) expect(error.field).toBe(field);
    else expect(error.field).toBeUndefined();
    expect(await pdb.count()).toBe(before);
    },
  );

  it('accepts exactly 16 KiB of body', async () => {
    // Prepare: pad with JSON whitespace up to the limit
    const json = JSON.stringify(payment());
    const exact = json + ' '.repeat(16 * 1024 - Buffer.byteLength(json));
    // Act
    const res = await env.handler(post(exact));
    // Assess
    expect(res.statusCode).toBe(201);
  });
});

describe('routing and GET /payments/{id}', () => {
  it('returns the stored payment by id', async () => {
    // Prepare
    const created = body(await env.handler(post(payment({ reference: 'lookup' }))));
    // Act
    const res = await env.handler(get(`/payments/${created.id}`));
    // Assess
    expect(res.statusCode).toBe(200);
    expect(body(res)).toEqual(created);
  });

  it.each([
    ['an unknown uuid', '/payments/00000000-0000-4000-8000-000000000000', 404, 'payment_not_found'],
    ['a non-uuid id', "/payments/1' OR '1'='1", 404, 'payment_not_found'],
    ['an unknown route', '/refunds', 404, 'not_found'],
    ['a nested route', '/payments/a/b', 404, 'not_found'],
  ])('answers %s with 404', async (_name, path, status, code) => {
    // Act
    const res = await env.handler(get(path));
    // Assess
    expect(res.statusCode).toBe(status);
    expect(body(res).error.code).toBe(code);
  });

  it.each([
    ['GET', '/payments', 'POST'],
    ['DELETE', '/payments', 'POST'],
    ['PUT', '/payments/00000000-0000-4000-8000-000000000000', 'GET'],
    ['POST', '/payments/00000000-0000-4000-8000-000000000000', 'GET'],
  ])('answers %s %s with 405 and Allow', async (method, path, allow) => {
    // Act
    const res = await env.handler(get(path, method));
    // Assess
    expect(res.statusCode).toBe(405);
    expect(res.headers.allow).toBe(allow);
    expect(body(res).error.code).toBe('method_not_allowed');
  });
});
