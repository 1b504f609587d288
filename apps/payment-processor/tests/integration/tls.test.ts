import { type DedicatedPostgres, startDedicatedPostgres } from '@tap/embedded-pg';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { runMigrations } from '../../src';
import { payment, post } from '../helpers';

// The image trusts the RDS CAs through NODE_EXTRA_CA_CERTS and the handler defaults to DB_SSL=require.
// Here a PostgreSQL of its own serves TLS with a certificate for DNS:localhost from a test CA, and the
// built bundle runs in a fresh node process as the Lambda runtime would, with its secret from Secrets
// Manager (aws-sdk-client-mock in that process).

const run = promisify(execFile);
const dist = path.resolve(__dirname, '../../../../dist/apps/payment-processor');
const ROLE = 'payment_app';
const APP_PASSWORD = 'tls-test-password';
let pg: DedicatedPostgres;
let certs: string;

async function openssl(args: string[]): Promise<void> {
  await run('openssl', args, { cwd: certs });
}

beforeAll(async () => {
  // Prepare: a CA, and a server certificate it signs for localhost only
  certs = fs.mkdtempSync(path.join(os.tmpdir(), 'pp-tls-'));
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  await openssl(['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=tap-test-ca',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  await openssl(['req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost']);
  fs.writeFileSync(path.join(certs, 'server.ext'), 'subjectAltName=DNS:localhost\nextendedKeyUsage=serverAuth\n');
  await openssl(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2',
    '-extfile', 'server.ext', '-out', 'server.crt']);

  pg = await startDedicatedPostgres();
  for (const file of ['server.crt', 'server.key']) {
    const target = path.join(pg.info.dataDir, file);
    fs.copyFileSync(path.join(certs, file), target);
    fs.chmodSync(target, 0o600);
    if (pg.info.uid !== undefined && pg.info.gid !== undefined) fs.chownSync(target, pg.info.uid, pg.info.gid);
  }
  await pg.restart({ ssl: 'on', ssl_cert_file: 'server.crt', ssl_key_file: 'server.key' });
  const owner = { host: pg.info.host, port: pg.info.port, user: pg.info.user, password: pg.info.password };
  const admin = new Client({ ...owner, database: 'postgres' });
  await admin.connect();
  await admin.query('CREATE DATABASE payments');
  await admin.end();
  await runMigrations({ ...owner, database: 'payments' }, { appRole: { name: ROLE, password: APP_PASSWORD } });
}, 120_000);

afterAll(async () => {
  await pg?.destroy();
  fs.rmSync(certs, { recursive: true, force: true });
});

/** Runs one POST through the bundle in a fresh node, the database secret naming `host`. */
async function invoke(host: string, key: string, env: Record<string, string>): Promise<{ statusCode: number; logs: string[] }> {
  const secret = JSON.stringify({ host, port: pg.info.port, dbname: 'payments', username: ROLE, password: APP_PASSWORD });
  const script = `
    const { mockClient } = require(${JSON.stringify(require.resolve('aws-sdk-client-mock'))});
    const { SecretsManagerClient } = require(${JSON.stringify(require.resolve('@aws-sdk/client-secrets-manager'))});
    const client = new SecretsManagerClient({ region: 'eu-west-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'not-a-secret' } });
    // The bundle brings its own copy of the command classes, so match any command.
    mockClient(client).onAnyCommand().resolves({ SecretString: process.env.TEST_SECRET });
    const { createPaymentHandler } = require(${JSON.stringify(path.join(dist, 'index.js'))});
    const env = createPaymentHandler({ secretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:app', secretsClient: client });
    env.handler(${JSON.stringify(post(payment({ reference: key }), key))})
      .then((r) => { process.stdout.write('\\nSTATUS ' + r.statusCode + '\\n'); return env.close(); })
      .then(() => process.exit(0), () => process.exit(1));`;
  // Only PATH and what the test sets: no NODE_EXTRA_CA_CERTS inherited from this machine.
  const { stdout, stderr } = await run(process.execPath, ['-e', script], {
    env: { PATH: process.env.PATH ?? '', TEST_SECRET: secret, ...env },
    timeout: 30_000,
  });
  // Powertools writes warnings and errors to stderr.
  const lines = `${stdout}\n${stderr}`.split('\n');
  const status = lines.find((l) => l.startsWith('STATUS '));
  return { statusCode: Number(status?.slice(7)), logs: lines.filter((l) => l.startsWith('{')) };
}

const stored = async (key: string): Promise<number> => {
  const client = new Client({ host: pg.info.host, port: pg.info.port, user: pg.info.user, password: pg.info.password, database: 'payments' });
  await client.connect();
  try {
    return (await client.query('SELECT 1 FROM payments WHERE idempotency_key = $1', [key])).rowCount ?? 0;
  } finally {
    await client.end();
  }
};

const reason = (logs: string[]): string =>
  logs.map((l) => JSON.parse(l) as { message?: string; reason?: string }).find((l) => l.message === 'Database unavailable')?.reason ?? '';

describe('TLS to the database, as the image runs the bundle (DB_SSL unset, so require)', () => {
  it('connects over verified TLS when NODE_EXTRA_CA_CERTS holds the CA, as in the image', async () => {
    // Act
    const res = await invoke('localhost', 'tls-trusted', { NODE_EXTRA_CA_CERTS: path.join(certs, 'ca.crt') });
    // Assess
    expect(res.statusCode).toBe(201);
    expect(await stored('tls-trusted')).toBe(1);
  });

  it('refuses a certificate from a CA it does not trust: 503, the reason logged, nothing written', async () => {
    // Act
    const res = await invoke('localhost', 'tls-untrusted', {});
    // Assess
    expect(res.statusCode).toBe(503);
    expect(reason(res.logs)).toMatch(/^TLS to the database failed \(.*certificate.*\): check NODE_EXTRA_CA_CERTS/);
    expect(await stored('tls-untrusted')).toBe(0);
  });

  it('refuses a trusted certificate issued for another host name (verify-full, not just verify-ca)', async () => {
    // Act: the certificate names localhost, the secret 127.0.0.1
    const res = await invoke('127.0.0.1', 'tls-wrong-host', { NODE_EXTRA_CA_CERTS: path.join(certs, 'ca.crt') });
    // Assess
    expect(res.statusCode).toBe(503);
    expect(reason(res.logs)).toMatch(/^TLS to the database failed \(.*(altnames|does not match).*\)/i);
    expect(await stored('tls-wrong-host')).toBe(0);
  });
});
