import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { Logger } from '@aws-lambda-powertools/logger';
import { mockClient } from 'aws-sdk-client-mock';
import { createPaymentHandler, type PaymentEnvironment } from '../../src';
import { environment, migratedDatabase, payment, post, quietMetrics, silentLogger, type PaymentsDatabase } from '../helpers';

const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:payments-app-AbCdEf';
const secrets = mockClient(SecretsManagerClient);
let pdb: PaymentsDatabase;
let env: PaymentEnvironment;

beforeAll(async () => {
  process.env.AWS_REGION ??= 'eu-west-1';
  pdb = await migratedDatabase('pp_secrets');
});

beforeEach(() => {
  secrets.reset();
  secrets.on(GetSecretValueCommand, { SecretId: SECRET_ARN }).resolves({ SecretString: pdb.appSecret() });
});

afterEach(async () => {
  await env?.close();
  // Each test starts from the password the secret mock serves.
  await pdb.admin((c) => c.query(`ALTER ROLE ${pdb.role} PASSWORD '${pdb.appPassword}'`));
});

afterAll(async () => {
  await pdb.drop();
});

const rotatePassword = async (password: string): Promise<void> => {
  await pdb.admin((c) => c.query(`ALTER ROLE ${pdb.role} PASSWORD '${password}'`));
  // Existing sessions survive a password change: drop them so the next connection authenticates.
  await pdb.admin((c) =>
    c.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name = 'payment-processor'", [pdb.db.name]),
  );
};

const getSecretCalls = (): number => secrets.commandCalls(GetSecretValueCommand).length;

describe('credentials from Secrets Manager', () => {
  it('reads the secret once and caches it across invocations (default SDK client, intercepted by aws-sdk-client-mock)', async () => {
    // Prepare
    env = environment({ secretArn: SECRET_ARN });
    // Act
    const results = await Promise.all([1, 2, 3].map(async (i) => (await env.handler(post(payment(), `cache-${i}`))).statusCode));
    const later = await env.handler(post(payment(), 'cache-4'));
    // Assess
    expect(results).toEqual([201, 201, 201]);
    expect(later.statusCode).toBe(201);
    expect(getSecretCalls()).toBe(1);
    expect(env.stats().secretRefetches).toBe(0);
  });

  it('after a rotation (password changed, secret updated): exactly one refetch, then success', async () => {
    // Prepare
    const metrics = quietMetrics();
    const addMetric = jest.spyOn(metrics, 'addMetric');
    env = environment({ secretArn: SECRET_ARN, secretsClient: new SecretsManagerClient({ region: 'eu-west-1' }), metrics });
    expect((await env.handler(post(payment(), 'rot-1'))).statusCode).toBe(201);
    await rotatePassword('rotated-password-1');
    secrets.on(GetSecretValueCommand, { SecretId: SECRET_ARN }).resolves({ SecretString: pdb.appSecret('rotated-password-1') });
    // Act
    const res = await env.handler(post(payment(), 'rot-2'));
    const next = await env.handler(post(payment(), 'rot-3'));
    // Assess
    expect(res.statusCode).toBe(201);
    expect(next.statusCode).toBe(201);
    expect(env.stats().secretRefetches).toBe(1);
    expect(getSecretCalls()).toBe(2);
    expect(addMetric.mock.calls.filter(([name]) => name === 'SecretRefetch')).toEqual([['SecretRefetch', 'Count', 1]]);
    expect(await pdb.count("idempotency_key LIKE 'rot-%'")).toBe(3);
  });

  it('password changed but the secret not yet updated: 503 after exactly one refetch, success once it is', async () => {
    // Prepare
    env = environment({ secretArn: SECRET_ARN });
    expect((await env.handler(post(payment(), 'lag-1'))).statusCode).toBe(201);
    await rotatePassword('rotated-password-2');
    // Act
    const stale = await env.handler(post(payment(), 'lag-2'));
    const refetchesWhileStale = env.stats().secretRefetches;
    secrets.on(GetSecretValueCommand, { SecretId: SECRET_ARN }).resolves({ SecretString: pdb.appSecret('rotated-password-2') });
    const fresh = await env.handler(post(payment(), 'lag-2'));
    // Assess
    expect(stale.statusCode).toBe(503);
    expect(stale.headers['retry-after']).toBe('1');
    expect(refetchesWhileStale).toBe(1);
    expect(fresh.statusCode).toBe(201);
    expect(env.stats().secretRefetches).toBe(2);
    expect(await pdb.count("idempotency_key = 'lag-2'")).toBe(1);
  });

  it('answers 503 when Secrets Manager cannot be reached', async () => {
    // Prepare
    secrets.on(GetSecretValueCommand).rejects(Object.assign(new Error('connect ETIMEDOUT'), { name: 'TimeoutError' }));
    env = environment({ secretArn: SECRET_ARN });
    // Act
    const res = await env.handler(post(payment(), 'sm-down'));
    // Assess
    expect(res.statusCode).toBe(503);
    expect(await pdb.count("idempotency_key = 'sm-down'")).toBe(0);
  });

  it('requires verified TLS by default: a database without TLS answers 503, writes nothing, and the log says why', async () => {
    // Prepare
    const logger = silentLogger();
    const error = jest.spyOn(logger, 'error');
    env = environment({ secretArn: SECRET_ARN, ssl: undefined, logger });
    // Act
    const res = await env.handler(post(payment(), 'tls-required'));
    // Assess
    expect(res.statusCode).toBe(503);
    expect(await pdb.count("idempotency_key = 'tls-required'")).toBe(0);
    expect(error).toHaveBeenCalledWith('Database unavailable', {
      reason: expect.stringMatching(/^TLS to the database failed \(The server does not support SSL connections\): check NODE_EXTRA_CA_CERTS/),
    });
    // No retry loop: one connection attempt, no secret refetch.
    expect(env.stats().secretRefetches).toBe(0);
  });

  it('answers 500 and names DB_SSL when it holds an unknown mode', async () => {
    // Prepare
    const saved = process.env.DB_SSL;
    process.env.DB_SSL = 'prefer';
    const logger = silentLogger();
    const error = jest.spyOn(logger, 'error');
    env = environment({ secretArn: SECRET_ARN, ssl: undefined, logger });
    try {
      // Act
      const res = await env.handler(post(payment(), 'tls-bad-mode'));
      // Assess
      expect(res.statusCode).toBe(500);
      expect(error).toHaveBeenCalledWith('Unhandled error', { errorName: 'ConfigurationError', reason: 'DB_SSL must be "require" or "disable", got "prefer".' });
    } finally {
      if (saved === undefined) delete process.env.DB_SSL;
      else process.env.DB_SSL = saved;
    }
  });

  it('answers 500 for a malformed secret without echoing its content', async () => {
    // Prepare
    secrets.on(GetSecretValueCommand).resolves({ SecretString: '{"host":"db","password":"p4ss-in-secret"}' });
    env = environment({ secretArn: SECRET_ARN });
    // Act
    const res = await env.handler(post(payment(), 'bad-secret'));
    // Assess
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('p4ss-in-secret');
    expect(JSON.parse(res.body).error.code).toBe('internal_error');
  });

  it('never writes the password, the secret or the request body to any log line', async () => {
    // Prepare: real Powertools Logger at DEBUG, stdout/stderr captured
    const lines: string[] = [];
    const capture = (chunk: unknown): boolean => {
      lines.push(String(chunk));
      return true;
    };
    const out = jest.spyOn(process.stdout, 'write').mockImplementation(capture);
    const err = jest.spyOn(process.stderr, 'write').mockImplementation(capture);
    try {
      env = createPaymentHandler({
        secretArn: SECRET_ARN,
        ssl: 'disable',
        logger: new Logger({ serviceName: 'payment-processor', logLevel: 'DEBUG' }),
        metrics: quietMetrics(),
      });
      await env.handler(post(payment({ reference: 'REF-SENSITIVE-1', description: 'DESC-SENSITIVE-2' }), 'log-1'));
      await rotatePassword('rotated-password-3');
      secrets.on(GetSecretValueCommand, { SecretId: SECRET_ARN }).resolves({ SecretString: pdb.appSecret('rotated-password-3') });
      // Act
      const res = await env.handler(post(payment({ reference: 'REF-SENSITIVE-1', description: 'DESC-SENSITIVE-2' }), 'log-2'));
      await env.handler(post('{"merchantId":"m","amount":1,"currency":"EUR","cardNumber":"4111111111111111"}', 'log-3'));
      expect(res.statusCode).toBe(201);
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
    // Assess
    const logs = lines.join('');
    expect(logs).toContain('request completed');
    expect(logs).toContain('refetching the secret');
    for (const secret of [pdb.appPassword, 'rotated-password-3', 'REF-SENSITIVE-1', 'DESC-SENSITIVE-2', '4111111111111111']) {
      expect(logs).not.toContain(secret);
    }
  });
});
