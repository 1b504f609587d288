import {
  databaseSecretRotation,
  isDatabaseSecret,
  rotationFunctionPermission,
  rotationIntervalDays,
  secretEncryptedCmk,
  stackValidationArgs,
  TYPES,
} from '../../src';
import { find, loadFixture, record, runResource, runStack, tags } from '../helpers';

describe('secret-encrypted-cmk', () => {
  const secret = (inputs: Record<string, unknown>) => record(TYPES.secret, 'secrets-secret', { name: 'dev-db-credentials-001', ...inputs });

  it('passes a secret with a customer-managed key', () => {
    expect(runResource(secretEncryptedCmk, secret({ kmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/k' })).messages).toEqual([]);
  });

  it('reports a secret on the default key and on alias/aws/secretsmanager', () => {
    // Act
    const none = runResource(secretEncryptedCmk, secret({})).messages;
    const managed = runResource(secretEncryptedCmk, secret({ kmsKeyId: 'alias/aws/secretsmanager' })).messages;
    // Assess
    expect(none).toEqual([
      "Secret 'secrets-secret' (dev-db-credentials-001) has no kmsKeyId, so Secrets Manager uses the AWS-managed key. Fix: set kmsKeyId to a customer-managed KMS key.",
    ]);
    expect(managed).toEqual([
      "Secret 'secrets-secret' (dev-db-credentials-001) uses the AWS-managed key alias/aws/secretsmanager. Fix: set kmsKeyId to a customer-managed KMS key.",
    ]);
  });
});

describe('rotationIntervalDays', () => {
  it.each([
    [{ automaticallyAfterDays: 30 }, 30],
    [{ scheduleExpression: 'rate(10 days)' }, 10],
    [{ scheduleExpression: 'rate(12 hours)' }, 0.5],
    [{ scheduleExpression: 'cron(0 16 ? * SUN *)' }, 7],
    [{ scheduleExpression: 'cron(0 16 1 * ? *)' }, undefined],
    [{ scheduleExpression: 'cron(0 16 ? * SUN#1 *)' }, undefined],
    [{}, undefined],
    [undefined, undefined],
  ])('reads %j as %s days', (rules, days) => {
    expect(rotationIntervalDays(rules)).toBe(days);
  });
});

describe('isDatabaseSecret', () => {
  it('recognises database credentials by name, description or tag, and not an API key', () => {
    // Prepare
    const args = stackValidationArgs(
      [
        record(TYPES.secret, 'a', { name: 'dev-db-credentials-001' }),
        record(TYPES.secret, 'b', { name: 'x-001', description: 'PostgreSQL login' }),
        record(TYPES.secret, 'c', { name: 'y-001', tags: { purpose: 'aurora' } }),
        record(TYPES.secret, 'd', { name: 'dev-stripe-api-key-001' }),
      ],
      tags('dev'),
    );
    // Act
    const result = args.resources.map(isDatabaseSecret);
    // Assess
    expect(result).toEqual([true, true, true, false]);
  });
});

describe('database-secret-rotation', () => {
  it('passes the fixture (30-day rotation)', () => {
    expect(runStack(databaseSecretRotation, loadFixture()).messages).toEqual([]);
  });

  it('reports a database secret whose rotation was removed', () => {
    // Prepare
    const resources = loadFixture().filter((r) => r.type !== TYPES.secretRotation);
    // Act
    const { messages, urns } = runStack(databaseSecretRotation, resources);
    // Assess
    expect(messages).toEqual([
      "Database credentials secret 'secrets-secret' (dev-db-credentials-001) has no rotation. Fix: add an aws.secretsmanager.SecretRotation for it with rotationRules.automaticallyAfterDays ≤ 30 and a rotation Lambda.",
    ]);
    expect(urns).toEqual([find(resources, 'secrets-secret').urn]);
  });

  it('reports a 90-day rotation and a disabled rotation', () => {
    // Prepare
    const slow = loadFixture();
    find(slow, 'secrets-rotation').inputs['rotationRules'] = { automaticallyAfterDays: 90 };
    const disabled = loadFixture();
    find(disabled, 'secrets-rotation').inputs['rotationEnabled'] = false;
    // Act
    const slowMessages = runStack(databaseSecretRotation, slow).messages;
    const disabledMessages = runStack(databaseSecretRotation, disabled).messages;
    // Assess
    expect(slowMessages).toEqual([
      "Database credentials secret 'secrets-secret' (dev-db-credentials-001): rotation 'secrets-rotation' runs every 90 days. Fix: set rotationRules.automaticallyAfterDays (or scheduleExpression rate(N days)) to 30 or less.",
    ]);
    expect(disabledMessages).toEqual([
      "Database credentials secret 'secrets-secret' (dev-db-credentials-001): rotation 'secrets-rotation' is disabled. Fix: remove rotationEnabled: false.",
    ]);
  });

  it('matches a rotation that refers to the secret by the mock id the synth gives', () => {
    // Prepare
    const resources = loadFixture();
    find(resources, 'secrets-rotation').inputs['secretId'] = 'secrets-secret-id';
    // Act / Assess
    expect(runStack(databaseSecretRotation, resources).messages).toEqual([]);
  });

  it('is not applicable when the stack has no database secret', () => {
    expect(runStack(databaseSecretRotation, [record(TYPES.secret, 'k', { name: 'dev-api-key-001' })]).notApplicable).toBe(
      'no database credentials secret in the stack',
    );
  });
});

describe('rotation-function-invoke-permission', () => {
  it('passes the fixture (rotation Lambda with an account-scoped Secrets Manager permission)', () => {
    expect(runStack(rotationFunctionPermission, loadFixture()).messages).toEqual([]);
  });

  it('reports a rotation Lambda Secrets Manager may not invoke', () => {
    // Prepare
    const resources = loadFixture().filter((r) => r.type !== TYPES.lambdaPermission);
    // Act
    const { messages } = runStack(rotationFunctionPermission, resources);
    // Assess
    expect(messages).toEqual([
      "Secret rotation 'secrets-rotation': rotation Lambda 'secrets-rotation-function' (db-rotation-dev-001) has no permission for Secrets Manager to invoke it. Fix: add an aws.lambda.Permission with action lambda:InvokeFunction, principal secretsmanager.amazonaws.com and sourceAccount.",
    ]);
  });

  it('reports a permission not conditioned on the account', () => {
    // Prepare
    const resources = loadFixture();
    delete find(resources, 'secrets-rotation-permission').inputs['sourceAccount'];
    // Act
    const { messages } = runStack(rotationFunctionPermission, resources);
    // Assess
    expect(messages[0]).toContain('is not conditioned on the account or the secret (confused deputy)');
  });

  it('reports a rotation Lambda the stack does not declare, and a rotation without one', () => {
    // Prepare
    const elsewhere = loadFixture();
    find(elsewhere, 'secrets-rotation').inputs['rotationLambdaArn'] = 'arn:aws:lambda:us-east-1:123456789012:function:shared-rotator';
    const none = loadFixture();
    delete find(none, 'secrets-rotation').inputs['rotationLambdaArn'];
    // Act
    const elsewhereMessages = runStack(rotationFunctionPermission, elsewhere).messages;
    const noneMessages = runStack(rotationFunctionPermission, none).messages;
    // Assess
    expect(elsewhereMessages[0]).toContain('uses rotation Lambda arn:aws:lambda:us-east-1:123456789012:function:shared-rotator, which this stack does not declare');
    expect(noneMessages).toEqual([
      "Secret rotation 'secrets-rotation' names no rotationLambdaArn. Fix: point it at the rotation Lambda (SecretsComponent creates one).",
    ]);
  });
});
