import { randomBytes } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { PutSecretValueCommand, UpdateSecretVersionStageCommand } from '@aws-sdk/client-secrets-manager';
import { createTestDatabase, embeddedPg, startPostgres, stopPostgres, type TestDatabase } from '@tap/embedded-pg';
import { RotationError, createRotationHandler, type RotationHandler, type RotationStep } from '../../src/rotation';
import { createRole, dropRole, setRolePassword, tryLogin } from '../helpers/database';
import { SecretsManagerStore } from '@tap/aws-testing';

const STEPS: RotationStep[] = ['createSecret', 'setSecret', 'testSecret', 'finishSecret'];
const INVALID_PASSWORD = '28P01';

let db: TestDatabase;
let logged: string[];
let spies: jest.SpyInstance[];

beforeAll(async () => {
  db = await createTestDatabase('rotation');
});
afterAll(async () => {
  await db.drop();
});
beforeEach(() => {
  logged = [];
  // Powertools writes INFO to stdout and WARN/ERROR to stderr: capture both to prove no password is ever logged.
  spies = [process.stdout, process.stderr].map((stream) =>
    jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      logged.push(String(chunk));
      return true;
    }),
  );
});
afterEach(() => spies.forEach((spy) => spy.mockRestore()));

interface Scenario {
  sm: SecretsManagerStore;
  rotate: RotationHandler;
  username: string;
  initialPassword: string;
  /** The secret's first value, as the stack's SecretVersion writes it. */
  initial: Record<string, unknown>;
  step(step: RotationStep, token: string): Promise<void>;
  /** All four steps, then the service clears AWSPENDING. */
  fullRotation(token?: string): Promise<string>;
}

async function scenario(username = `app_${randomBytes(4).toString('hex')}`, initialPassword = `init-${randomBytes(8).toString('hex')}`): Promise<Scenario> {
  await dropRole(username);
  await createRole(username, initialPassword);
  const info = embeddedPg();
  const initial = { engine: 'postgres', host: info.host, port: info.port, dbname: db.name, username, password: initialPassword, note: 'kept' };
  const sm = new SecretsManagerStore(initial);
  const rotate = createRotationHandler({
    client: sm.install(),
    ssl: 'disable',
    excludeCharacters: ` "'\\/@:`,
    connectTimeoutMillis: 2000,
    logger: new Logger({ serviceName: 'db-rotation-test', logLevel: 'DEBUG' }),
  });
  const step = (s: RotationStep, token: string) => rotate({ SecretId: sm.arn, ClientRequestToken: token, Step: s });
  return {
    sm,
    rotate,
    username,
    initialPassword,
    initial,
    step,
    async fullRotation(token = sm.startRotation()) {
      for (const s of STEPS) await step(s, token);
      sm.completeRotation();
      return token;
    },
  };
}

describe('rotation function against PostgreSQL 15', () => {
  it('rotates: the new password logs in, the old one is refused, stages move, nothing secret is logged', async () => {
    // Prepare
    const s = await scenario();
    const oldVersion = s.sm.versionWith('AWSCURRENT')!;

    // Act
    const token = await s.fullRotation();

    // Assess
    const current = s.sm.valueAt('AWSCURRENT');
    const newPassword = String(current.password);
    expect(newPassword).not.toBe(s.initialPassword);
    expect(newPassword).toHaveLength(32);
    expect(newPassword).not.toMatch(/[ "'\\/@:]/);
    expect(current).toEqual(expect.objectContaining({ username: s.username, dbname: db.name, note: 'kept' }));
    expect(await tryLogin(s.username, newPassword, db.name)).toBe('ok');
    expect(await tryLogin(s.username, s.initialPassword, db.name)).toBe(INVALID_PASSWORD);
    expect(s.sm.stagesOf(token)).toEqual(['AWSCURRENT']);
    expect(s.sm.stagesOf(oldVersion)).toEqual(['AWSPREVIOUS']);
    expect(s.sm.calls.find((c) => c.command === 'GetRandomPassword')?.input).toEqual({
      PasswordLength: 32,
      ExcludeCharacters: ` "'\\/@:`,
      RequireEachIncludedType: true,
    });
    expect(s.sm.calls.find((c) => c.command === 'UpdateSecretVersionStage')?.input).toEqual({
      SecretId: s.sm.arn,
      VersionStage: 'AWSCURRENT',
      MoveToVersionId: token,
      RemoveFromVersionId: oldVersion,
    });
    const logs = logged.join('');
    expect(logs).toContain('finishSecret: AWSCURRENT moved to the new version');
    expect(logs).not.toContain(newPassword);
    expect(logs).not.toContain(s.initialPassword);
  });

  it('runs each step twice in a row without harm', async () => {
    // Prepare
    const s = await scenario();
    const token = s.sm.startRotation();

    // Act
    for (const step of STEPS) {
      await s.step(step, token);
      await s.step(step, token);
    }
    s.sm.completeRotation();

    // Assess
    expect(s.sm.count('PutSecretValue')).toBe(1);
    expect(s.sm.count('GetRandomPassword')).toBe(1);
    expect(s.sm.count('UpdateSecretVersionStage')).toBe(1);
    expect(s.sm.stagesOf(token)).toEqual(['AWSCURRENT']);
    expect(await tryLogin(s.username, String(s.sm.valueAt('AWSCURRENT').password), db.name)).toBe('ok');
    expect(logged.join('')).toContain('setSecret: the pending password already works');
  });

  it.each([1, 2, 3])('restarts cleanly after being interrupted after %i step(s)', async (done) => {
    // Prepare
    const s = await scenario();
    const token = s.sm.startRotation();
    for (const step of STEPS.slice(0, done)) await s.step(step, token);
    const pendingBefore = s.sm.count('PutSecretValue') > 0 ? s.sm.valueAt('AWSPENDING').password : undefined;

    // Act: Secrets Manager retries the whole rotation with the same token
    for (const step of STEPS) await s.step(step, token);
    s.sm.completeRotation();

    // Assess
    const password = String(s.sm.valueAt('AWSCURRENT').password);
    if (pendingBefore !== undefined) expect(password).toBe(pendingBefore);
    expect(s.sm.count('PutSecretValue')).toBe(1);
    expect(s.sm.stagesOf(token)).toEqual(['AWSCURRENT']);
    expect(await tryLogin(s.username, password, db.name)).toBe('ok');
    expect(await tryLogin(s.username, s.initialPassword, db.name)).toBe(INVALID_PASSWORD);
  });

  it('treats every step as done once the token holds AWSCURRENT', async () => {
    // Prepare
    const s = await scenario();
    const token = await s.fullRotation();
    const callsBefore = s.sm.calls.length;

    // Act
    for (const step of STEPS) await s.step(step, token);

    // Assess: only the DescribeSecret guard ran
    expect(s.sm.calls.slice(callsBefore).map((c) => c.command)).toEqual(['DescribeSecret', 'DescribeSecret', 'DescribeSecret', 'DescribeSecret']);
  });

  it('refuses a secret whose rotation is disabled', async () => {
    // Prepare
    const s = await scenario();
    const token = s.sm.startRotation();
    s.sm.rotationEnabled = false;

    // Act
    const attempts = await Promise.all(STEPS.map((step) => s.step(step, token).catch((e: Error) => e)));

    // Assess
    for (const error of attempts) {
      expect(error).toBeInstanceOf(RotationError);
      expect((error as Error).message).toBe(`secret ${s.sm.arn} is not enabled for rotation; enable rotation on it first`);
    }
    expect(s.sm.count('PutSecretValue')).toBe(0);
  });

  it('refuses an unknown token', async () => {
    // Prepare
    const s = await scenario();
    s.sm.startRotation();

    // Act
    const act = s.step('createSecret', 'not-a-version');

    // Assess
    await expect(act).rejects.toThrow(new RotationError(`secret version not-a-version has no stage for rotation of secret ${s.sm.arn}`));
  });

  it('refuses a token that is not AWSPENDING', async () => {
    // Prepare: after one rotation the old version holds only AWSPREVIOUS
    const s = await scenario();
    const oldVersion = s.sm.versionWith('AWSCURRENT')!;
    await s.fullRotation();

    // Act
    const act = s.step('setSecret', oldVersion);

    // Assess
    await expect(act).rejects.toThrow(`secret version ${oldVersion} is not set as AWSPENDING for rotation of secret ${s.sm.arn}`);
    expect(s.sm.stagesOf(oldVersion)).toEqual(['AWSPREVIOUS']);
  });

  it('recovers when the current password was changed out of band and the previous one still works', async () => {
    // Prepare: one rotation, then someone puts the previous password back on the role
    const s = await scenario();
    await s.fullRotation();
    const previous = String(s.sm.valueAt('AWSPREVIOUS').password);
    await setRolePassword(s.username, previous);

    // Act
    await s.fullRotation();

    // Assess
    const password = String(s.sm.valueAt('AWSCURRENT').password);
    expect(await tryLogin(s.username, password, db.name)).toBe('ok');
    expect(await tryLogin(s.username, previous, db.name)).toBe(INVALID_PASSWORD);
    const logs = logged.join('');
    expect(logs).toContain('setSecret: logged in with AWSPREVIOUS');
    expect(logs).not.toContain(previous);
    expect(logs).not.toContain(password);
  });

  it('fails without touching AWSCURRENT when no stored password works', async () => {
    // Prepare
    const s = await scenario();
    const current = s.sm.versionWith('AWSCURRENT');
    const token = s.sm.startRotation();
    await s.step('createSecret', token);
    await setRolePassword(s.username, 'known-to-nobody');

    // Act
    const act = s.step('setSecret', token);

    // Assess
    await expect(act).rejects.toThrow(
      `setSecret: cannot log in to 127.0.0.1 as ${s.username} with the current or previous password of ${s.sm.arn} (AWSCURRENT: password authentication failed for user "${s.username}")`,
    );
    expect(s.sm.versionWith('AWSCURRENT')).toBe(current);
    expect(s.sm.count('UpdateSecretVersionStage')).toBe(0);
  });

  it('fails while the database is unreachable, leaves AWSCURRENT working, and completes once it is back', async () => {
    // Prepare
    const s = await scenario();
    const current = s.sm.versionWith('AWSCURRENT');
    const token = s.sm.startRotation();
    await s.step('createSecret', token);
    await stopPostgres();

    // Act
    let failure: unknown;
    try {
      await s.step('setSecret', token);
    } catch (error) {
      failure = error;
    } finally {
      await startPostgres();
    }

    // Assess
    expect(failure).toBeInstanceOf(RotationError);
    expect((failure as Error).message).toMatch(/^setSecret: cannot log in to 127\.0\.0\.1 as app_[0-9a-f]+ with the current or previous password .*ECONNREFUSED/);
    expect(s.sm.versionWith('AWSCURRENT')).toBe(current);
    expect(s.sm.count('UpdateSecretVersionStage')).toBe(0);
    expect(await tryLogin(s.username, s.initialPassword, db.name)).toBe('ok');
    for (const step of STEPS) await s.step(step, token);
    s.sm.completeRotation();
    expect(s.sm.stagesOf(token)).toEqual(['AWSCURRENT']);
  });

  it('rotates a user name and passwords full of quotes and backslashes', async () => {
    // Prepare
    const username = `o'brien "the\\admin" ${randomBytes(2).toString('hex')}`;
    const s = await scenario(username, `it's a "quote"\\n'; DROP ROLE x; --`);
    const next = `new'pass"word\\'';--\\\\x`;
    s.sm.nextPasswords.push(next);

    // Act
    await s.fullRotation();

    // Assess
    expect(s.sm.valueAt('AWSCURRENT').password).toBe(next);
    expect(await tryLogin(username, next, db.name)).toBe('ok');
    expect(await tryLogin(username, s.initialPassword, db.name)).toBe(INVALID_PASSWORD);
  });

  it('insists on TLS when asked to (require), so a plaintext-only server refuses the rotation', async () => {
    // Prepare
    const s = await scenario();
    const token = s.sm.startRotation();
    await s.step('createSecret', token);
    const strict = createRotationHandler({ client: s.sm.install(), ssl: 'require', connectTimeoutMillis: 2000 });

    // Act
    const act = strict({ SecretId: s.sm.arn, ClientRequestToken: token, Step: 'testSecret' });

    // Assess: the embedded server has no TLS
    await expect(act).rejects.toThrow(/^testSecret: the pending password of .* does not log in to 127\.0\.0\.1 as app_[0-9a-f]+ \(The server does not support SSL connections\)$/);
  });
});

describe("Secrets Manager's configure-time test (RotateSecret with RotateImmediately=false)", () => {
  it('passes by logging in with the copy of AWSCURRENT, changes nothing, and leaves the next rotation free to run', async () => {
    // Prepare: a secret that never had rotation (no RotationEnabled until RotateSecret turns it on); the user exists
    const s = await scenario();
    s.sm.rotationEnabled = undefined;
    const current = s.sm.versionWith('AWSCURRENT');
    const events: unknown[] = [];

    // Act
    await s.sm.testRotationConfiguration((event) => {
      events.push(event);
      return s.rotate(event);
    });

    // Assess: one testSecret call, reads only, the database password and the stages as they were
    const [event] = events as { ClientRequestToken: string }[];
    expect(events).toEqual([{ SecretId: s.sm.arn, ClientRequestToken: event.ClientRequestToken, Step: 'testSecret' }]);
    expect(s.sm.calls.map((c) => c.command)).toEqual(['DescribeSecret', 'GetSecretValue', 'GetSecretValue']);
    expect(s.sm.calls[1].input).toEqual({ SecretId: s.sm.arn, VersionStage: 'AWSPENDING', VersionId: event.ClientRequestToken });
    expect(s.sm.hasVersion(event.ClientRequestToken)).toBe(false);
    expect(s.sm.versionWith('AWSPENDING')).toBeUndefined();
    expect(s.sm.versionWith('AWSCURRENT')).toBe(current);
    expect(await tryLogin(s.username, s.initialPassword, db.name)).toBe('ok');
    const logs = logged.join('');
    expect(logs).toContain("testSecret: the pending password logs in (AWSPENDING is a copy of AWSCURRENT: Secrets Manager's rotation-configuration test)");
    expect(logs).not.toContain(s.initialPassword);

    // Act + Assess: no AWSPENDING was left behind, so the first scheduled rotation runs
    const token = await s.fullRotation();
    expect(s.sm.stagesOf(token)).toEqual(['AWSCURRENT']);
    expect(await tryLogin(s.username, String(s.sm.valueAt('AWSCURRENT').password), db.name)).toBe('ok');
  });

  it('fails with the secret, the user and the reason while the database user does not exist yet, never the password', async () => {
    // Prepare: rotation configured before the migration created the role
    const s = await scenario();
    await dropRole(s.username);
    const current = s.sm.versionWith('AWSCURRENT');

    // Act
    const failure = await s.sm.testRotationConfiguration((event) => s.rotate(event)).catch((error: unknown) => error);

    // Assess
    expect(failure).toBeInstanceOf(RotationError);
    expect((failure as Error).message).toBe(
      `testSecret: the pending password of ${s.sm.arn} does not log in to 127.0.0.1 as ${s.username} ` +
        `(password authentication failed for user "${s.username}"); AWSPENDING is a copy of AWSCURRENT, so this is ` +
        `Secrets Manager's rotation-configuration test and the credentials in AWSCURRENT do not work: create the ` +
        `database user (run the migration) before configuring rotation`,
    );
    expect((failure as Error).message).not.toContain(s.initialPassword);
    expect(logged.join('')).not.toContain(s.initialPassword);
    expect(s.sm.count('PutSecretValue') + s.sm.count('UpdateSecretVersionStage') + s.sm.count('GetRandomPassword')).toBe(0);
    expect(s.sm.versionWith('AWSPENDING')).toBeUndefined();
    expect(s.sm.versionWith('AWSCURRENT')).toBe(current);
  });

  it('fails a real rotation without the configure-time hint when the new password does not log in', async () => {
    // Prepare: createSecret ran, setSecret did not, so the pending password is new and unknown to the database
    const s = await scenario();
    const token = s.sm.startRotation();
    await s.step('createSecret', token);

    // Act
    const act = s.step('testSecret', token);

    // Assess
    await expect(act).rejects.toThrow(
      new RotationError(
        `testSecret: the pending password of ${s.sm.arn} does not log in to 127.0.0.1 as ${s.username} (password authentication failed for user "${s.username}")`,
      ),
    );
  });
});

describe('a re-created initial secret version (refresh dropped it, the next deploy put it back)', () => {
  it.each([1, 2])('heals with one rotation after %i rotation(s): setSecret logs in with AWSPREVIOUS', async (rotations) => {
    // Prepare: rotations move the role off the initial password; after two, the initial version has no label left
    const s = await scenario();
    const initialVersion = s.sm.versionWith('AWSCURRENT')!;
    for (let i = 0; i < rotations; i += 1) await s.fullRotation();
    const working = String(s.sm.valueAt('AWSCURRENT').password);
    if (rotations === 2) expect(s.sm.removeDeprecatedVersions()).toEqual([initialVersion]);
    // What the provider's create does when it re-creates the SecretVersion: PutSecretValue without stages → AWSCURRENT
    await s.sm.install().send(new PutSecretValueCommand({ SecretId: s.sm.arn, SecretString: JSON.stringify(s.initial) }));
    expect(s.sm.valueAt('AWSCURRENT').password).toBe(s.initialPassword);
    expect(s.sm.valueAt('AWSPREVIOUS').password).toBe(working);
    expect(await tryLogin(s.username, s.initialPassword, db.name)).toBe(INVALID_PASSWORD);
    const recreated = s.sm.versionWith('AWSCURRENT')!;

    // Act: `aws secretsmanager rotate-secret --secret-id <name>`
    const token = await s.fullRotation();

    // Assess
    const healed = String(s.sm.valueAt('AWSCURRENT').password);
    expect(s.sm.stagesOf(token)).toEqual(['AWSCURRENT']);
    expect(s.sm.stagesOf(recreated)).toEqual(['AWSPREVIOUS']);
    expect(s.sm.valueAt('AWSCURRENT')).toEqual({ ...s.initial, password: healed });
    expect(await tryLogin(s.username, healed, db.name)).toBe('ok');
    expect(await tryLogin(s.username, working, db.name)).toBe(INVALID_PASSWORD);
    expect(await tryLogin(s.username, s.initialPassword, db.name)).toBe(INVALID_PASSWORD);
    const logs = logged.join('');
    expect(logs).toContain('setSecret: logged in with AWSPREVIOUS; AWSCURRENT no longer works');
    for (const password of [s.initialPassword, working, healed]) expect(logs).not.toContain(password);
  });
});

describe('a custom staging label on the initial version (what would keep it from being deleted)', () => {
  it('keeps the initial version labelled through rotations, and rotation ignores the label', async () => {
    // Prepare: a label besides AWSCURRENT, so the version never ends up without labels ("deprecated")
    const s = await scenario();
    const initialVersion = s.sm.versionWith('AWSCURRENT')!;
    await s.sm.install().send(new UpdateSecretVersionStageCommand({ SecretId: s.sm.arn, VersionStage: 'TAP_INITIAL', MoveToVersionId: initialVersion }));

    // Act
    await s.fullRotation();
    const token = await s.fullRotation();

    // Assess
    expect(s.sm.stagesOf(initialVersion)).toEqual(['TAP_INITIAL']);
    expect(s.sm.removeDeprecatedVersions()).not.toContain(initialVersion);
    expect(s.sm.stagesOf(token)).toEqual(['AWSCURRENT']);
    expect(await tryLogin(s.username, String(s.sm.valueAt('AWSCURRENT').password), db.name)).toBe('ok');
  });
});

describe('rotation function input checks', () => {
  it.each([
    [{}, 'rotation event lacks SecretId; Secrets Manager sends { SecretId, ClientRequestToken, Step }'],
    [{ SecretId: 'x' }, 'rotation event lacks ClientRequestToken; Secrets Manager sends { SecretId, ClientRequestToken, Step }'],
    [{ SecretId: 'x', ClientRequestToken: 't', Step: 'rotate' }, 'rotation event has invalid Step "rotate"; expected one of createSecret, setSecret, testSecret, finishSecret'],
  ])('rejects the event %j', async (event, message) => {
    // Prepare
    const s = await scenario();

    // Act
    const act = s.rotate(event as never);

    // Assess
    await expect(act).rejects.toThrow(new RotationError(message));
    expect(s.sm.calls).toHaveLength(0);
  });

  it.each([
    ['not json', 'secret AWSCURRENT of ARN is not a JSON object'],
    [JSON.stringify({ host: 'h', username: 'u' }), 'secret AWSCURRENT of ARN lacks a non-empty string "password"'],
    [JSON.stringify({ engine: 'mysql', host: 'h', username: 'u', password: 'SECRET-VALUE' }), 'secret AWSCURRENT of ARN has engine "mysql"; this function rotates postgres and aurora-postgresql only'],
  ])('rejects a current secret value %s without echoing it', async (value, message) => {
    // Prepare
    const sm = new SecretsManagerStore({});
    const client = sm.install();
    const token = sm.startRotation();
    await client.send(new PutSecretValueCommand({ SecretId: sm.arn, SecretString: value }));
    const rotate = createRotationHandler({ client, ssl: 'disable' });

    // Act
    const act = rotate({ SecretId: sm.arn, ClientRequestToken: token, Step: 'createSecret' });

    // Assess
    await expect(act).rejects.toThrow(new RotationError(message.replace('ARN', sm.arn)));
    expect(sm.count('PutSecretValue')).toBe(1);
  });

  it('rejects an unknown DB_SSL value with one clear line', () => {
    // Prepare
    const saved = process.env.DB_SSL;
    process.env.DB_SSL = 'verify';

    // Act
    const act = () => createRotationHandler({ client: new SecretsManagerStore({}).install() });

    // Assess
    try {
      expect(act).toThrow(new RotationError('DB_SSL must be "require" or "disable", got "verify"; set it on the rotation function'));
    } finally {
      if (saved === undefined) delete process.env.DB_SSL;
      else process.env.DB_SSL = saved;
    }
  });
});
