// The events `nx run tap-stack:smoke` sends to the deployed payment function (Lambda Invoke, API Gateway payload
// 2.0) are built by apps/tap-stack/src/smoke/paymentEvents.ts. Run here through the real handler on the embedded
// PostgreSQL: a smoke failure then says something about the environment, never about the events.
// tap-stack already depends on payment-processor (implicitDependencies): a graph edge back would make the build tasks
// circular, so Nx is told to skip this import. Lint allows it by the one exception in .eslintrc.json.
// nx-ignore-next-line
import { afterRotationRequest, getPaymentRequest, paymentRequests } from '../../../tap-stack/src/smoke/paymentEvents';
import type { PaymentEnvironment } from '../../src';
import type { HttpEventV2 } from '../../src/types';
import { environment, migratedDatabase, type PaymentsDatabase } from '../helpers';

let pdb: PaymentsDatabase;
let env: PaymentEnvironment;

beforeAll(async () => {
  pdb = await migratedDatabase('pp_smoke');
  env = environment({ databaseUrl: pdb.appUrl });
});

afterAll(async () => {
  await env.close();
  await pdb.drop();
});

describe('the smoke test\'s events through the real handler', () => {
  it('answers the sequence as the smoke test expects: 201, 200 replayed, 422, 400, then GET 200 and a new payment 201', async () => {
    // Prepare
    const requests = paymentRequests('unit1');
    // Act
    const results = [];
    for (const request of requests) results.push(await env.handler(request.event as HttpEventV2));
    const created = JSON.parse(results[0].body) as { id: string; reference: string };
    const get = getPaymentRequest('unit1', created.id);
    const fetched = await env.handler(get.event as HttpEventV2);
    const after = afterRotationRequest('unit1');
    const second = await env.handler(after.event as HttpEventV2);
    // Assess
    expect(results.map((r) => r.statusCode)).toEqual(requests.map((r) => r.expectedStatus));
    expect(results.map((r) => r.statusCode)).toEqual([201, 200, 422, 400]);
    expect(results[1].headers['idempotent-replayed']).toBe('true');
    expect(results[1].body).toBe(results[0].body);
    expect(JSON.parse(results[2].body).error.code).toBe('idempotency_key_reused');
    expect(fetched.statusCode).toBe(get.expectedStatus);
    expect(JSON.parse(fetched.body)).toEqual(JSON.parse(results[0].body));
    expect(second.statusCode).toBe(after.expectedStatus);
    expect(created.reference).toBe('smoke unit1');
    expect(await pdb.count('merchant_id = $1', ['m_smoke'])).toBe(2);
  });
});
