import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { evaluatePolicies, kmsKeyUse, TYPES, type SynthResource } from '../../src';
import { find, record, runStack } from '../helpers';

const ACCOUNT = '123456789012';
const ROOT = `arn:aws:iam::${ACCOUNT}:root`;
const KEY_ARN = `arn:aws:kms:us-east-1:${ACCOUNT}:key/key-1`;

/** The tap-stack as of today: one key for the database, its secrets and the rotation function; the alarm topic's key. */
function todaysStack(): SynthResource[] {
  return JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'kms-today.json'), 'utf8')) as SynthResource[];
}

const provider = record(TYPES.awsProvider, 'default', { region: 'us-east-1' });
const statement = (extra: Record<string, unknown>) => ({ Effect: 'Allow', Resource: '*', ...extra });
const viaAccount = (actions: string[], services?: string[], operator = 'StringEquals') =>
  statement({
    Principal: { AWS: ROOT },
    Action: actions,
    ...(services ? { Condition: { [operator]: { 'kms:CallerAccount': ACCOUNT, 'kms:ViaService': services } } } : {}),
  });
const key = (statements: unknown[] | undefined, name = 'key') => {
  const r = record(TYPES.kmsKey, name, statements ? { policy: JSON.stringify({ Version: '2012-10-17', Statement: statements }) } : {});
  r.outputs = { arn: KEY_ARN.replace('key-1', `${name}-id-1`), keyId: `${name}-id-1` };
  r.id = `${name}-id-1`;
  return r;
};
const keyArn = (name = 'key') => KEY_ARN.replace('key-1', `${name}-id-1`);
const fn = (kmsKeyArn: string) => record(TYPES.lambdaFunction, 'fn', { name: 'db-rotation-dev-001', kmsKeyArn });

describe('kms-key-use on the tap-stack of today', () => {
  it('flags the rotation function, whose kmsKeyArn is the database key that allows only rds and secretsmanager', () => {
    // Act
    const { messages, urns } = runStack(kmsKeyUse, todaysStack());
    // Assess: the cluster, the secrets and the alarm topic are allowed; the function is not. (Today's kms:Create* for
    // the account root does allow CreateGrant without conditions: kms-key-admin-no-grants reports that.)
    expect(messages).toEqual([
      `Lambda function 'tap-secrets-rotation-function' (db-rotation-dev-001) sets kmsKeyArn to KMS key 'tap-key' ` +
        `(arn:aws:kms:us-east-1:123456789012:key/6f1c2d3e-4a5b-4c6d-8e7f-901a2b3c4d5e) for lambda, but its policy does not allow ` +
        `kms:Encrypt, kms:Decrypt through lambda.us-east-1.amazonaws.com (Lambda creates a grant on it and encrypts the ` +
        `environment variables with it), so the deploy or the service's use of the key fails. Fix: allow kms:CreateGrant, kms:Encrypt, ` +
        `kms:Decrypt in the key policy of 'tap-key' for the account with kms:ViaService including lambda.us-east-1.amazonaws.com, or point ` +
        `kmsKeyArn at a key that does.`,
    ]);
    expect(urns).toEqual([find(todaysStack(), 'tap-secrets-rotation-function').urn]);
  });

  it('passes once the key lets Lambda use it through lambda.<region>', () => {
    // Prepare
    const stack = todaysStack();
    const dbKey = find(stack, 'tap-key');
    const policy = JSON.parse(String(dbKey.inputs['policy'])) as { Statement: { Condition?: { StringEquals: Record<string, string[]> } }[] };
    policy.Statement[1].Condition?.StringEquals['kms:ViaService'].push('lambda.us-east-1.amazonaws.com');
    dbKey.inputs['policy'] = JSON.stringify(policy);
    // Act
    const outcome = runStack(kmsKeyUse, stack);
    // Assess
    expect(outcome.messages).toEqual([]);
  });

  it('passes once the function no longer names the key (Lambda then uses its AWS-managed key)', () => {
    // Prepare
    const stack = todaysStack();
    delete find(stack, 'tap-secrets-rotation-function').inputs['kmsKeyArn'];
    // Act / Assess
    expect(runStack(kmsKeyUse, stack).messages).toEqual([]);
  });
});

describe('kms-key-use, service by service', () => {
  it('checks an Aurora cluster: storage through rds, the managed master secret through secretsmanager', () => {
    // Prepare: the key allows rds only
    const resources = [
      provider,
      key([viaAccount(['kms:CreateGrant', 'kms:DescribeKey', 'kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey*'], ['rds.us-east-1.amazonaws.com'])]),
      record(TYPES.cluster, 'db', { clusterIdentifier: 'aurora-cluster-dev-001', kmsKeyId: keyArn(), masterUserSecretKmsKeyId: keyArn() }),
    ];
    // Act
    const { messages } = runStack(kmsKeyUse, resources);
    // Assess
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain(`Aurora cluster 'db' (aurora-cluster-dev-001) sets masterUserSecretKmsKeyId to KMS key 'key'`);
    expect(messages[0]).toContain('does not allow kms:GenerateDataKey, kms:Decrypt through secretsmanager.us-east-1.amazonaws.com');
  });

  it('flags a cluster whose key allows storage use only through another service', () => {
    // Prepare
    const resources = [provider, key([viaAccount(['kms:*'], ['secretsmanager.us-east-1.amazonaws.com'])]), record(TYPES.cluster, 'db', { kmsKeyId: keyArn() })];
    // Act
    const { messages } = runStack(kmsKeyUse, resources);
    // Assess
    expect(messages).toEqual([expect.stringContaining("sets kmsKeyId to KMS key 'key' (arn:aws:kms:us-east-1:123456789012:key/key-id-1) for rds, but its policy does not allow kms:CreateGrant, kms:DescribeKey through rds.us-east-1.amazonaws.com")]);
  });

  it('flags a secret whose key is for SNS only, and passes one whose key allows secretsmanager', () => {
    // Prepare
    const sns = key([viaAccount(['kms:GenerateDataKey*', 'kms:Decrypt'], ['sns.us-east-1.amazonaws.com'])], 'sns');
    const sm = key([viaAccount(['kms:GenerateDataKey*', 'kms:Decrypt'], ['secretsmanager.us-east-1.amazonaws.com'])], 'sm');
    const resources = [
      provider, sns, sm,
      record(TYPES.secret, 'bad', { name: 'bad-secret', kmsKeyId: keyArn('sns') }),
      record(TYPES.secret, 'good', { name: 'good-secret', kmsKeyId: keyArn('sm') }),
    ];
    // Act
    const { messages, urns } = runStack(kmsKeyUse, resources);
    // Assess
    expect(messages).toEqual([expect.stringMatching(/^Secret 'bad' \(bad-secret\) sets kmsKeyId to KMS key 'sns' .* through secretsmanager\.us-east-1\.amazonaws\.com/)]);
    expect(urns).toEqual([resources[3].urn]);
  });

  describe('an SNS topic and the alarms that publish to it', () => {
    const snsOnly = () => key([viaAccount(['kms:Decrypt', 'kms:GenerateDataKey*'], ['sns.us-east-1.amazonaws.com'])]);
    const topic = () => {
      const t = record(TYPES.topic, 'topic', { name: 'alarms-topic-dev-001', kmsMasterKeyId: keyArn() });
      t.outputs = { arn: `arn:aws:sns:us-east-1:${ACCOUNT}:alarms-topic-dev-001` };
      return t;
    };
    const alarm = (property = 'alarmActions') => record(TYPES.metricAlarm, 'errors', { name: 'errors-alarm', [property]: [`arn:aws:sns:us-east-1:${ACCOUNT}:alarms-topic-dev-001`] });

    it('needs nothing for CloudWatch when no alarm publishes to the topic', () => {
      expect(runStack(kmsKeyUse, [provider, snsOnly(), topic()]).messages).toEqual([]);
    });

    it.each([['alarmActions'], ['okActions'], ['insufficientDataActions']])('flags a key CloudWatch may not use when an alarm has the topic in %s', (property) => {
      // Act
      const { messages } = runStack(kmsKeyUse, [provider, snsOnly(), topic(), alarm(property)]);
      // Assess
      expect(messages).toEqual([
        `SNS topic 'topic' (alarms-topic-dev-001) sets kmsMasterKeyId to KMS key 'key' (${keyArn()}), but its policy does not allow the cloudwatch ` +
          `service principal cloudwatch.amazonaws.com kms:Decrypt, kms:GenerateDataKey (CloudWatch alarms publish to the topic, which needs the topic key; ` +
          `alarm(s) 'errors' publish to it). Fix: in the key policy of 'key', allow Principal { Service: "cloudwatch.amazonaws.com" } kms:Decrypt and kms:GenerateDataKey*.`,
      ]);
    });

    it('passes when the key lets cloudwatch.amazonaws.com Decrypt and GenerateDataKey*', () => {
      // Prepare
      const cw = statement({ Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'], Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } } });
      const k = key([viaAccount(['kms:Decrypt', 'kms:GenerateDataKey*'], ['sns.us-east-1.amazonaws.com']), cw]);
      // Act / Assess
      expect(runStack(kmsKeyUse, [provider, k, topic(), alarm()]).messages).toEqual([]);
    });

    it('does not count an account-root kms:* for the CloudWatch principal (AWS default key policy)', () => {
      // Act
      const { messages } = runStack(kmsKeyUse, [provider, key(undefined), topic(), alarm()]);
      // Assess: SNS through the account is fine, CloudWatch is not
      expect(messages).toEqual([expect.stringContaining('but the default key policy (the key sets none) does not allow the cloudwatch service principal')]);
    });
  });

  describe('a Lambda function', () => {
    it('passes CreateGrant allowed for AWS resources and Encrypt/Decrypt through lambda', () => {
      // Prepare
      const k = key([
        viaAccount(['kms:Encrypt', 'kms:Decrypt'], ['lambda.us-east-1.amazonaws.com']),
        statement({ Principal: { AWS: ROOT }, Action: 'kms:CreateGrant', Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } } }),
      ]);
      // Act / Assess
      expect(runStack(kmsKeyUse, [provider, k, fn(keyArn())]).messages).toEqual([]);
    });

    it('does not let a GrantIsForAWSResource statement allow Encrypt and Decrypt, which are no grant operations', () => {
      // Prepare
      const k = key([statement({ Principal: { AWS: ROOT }, Action: 'kms:*', Condition: { Bool: { 'kms:GrantIsForAWSResource': true } } })]);
      // Act
      const { messages } = runStack(kmsKeyUse, [provider, k, fn(keyArn())]);
      // Assess
      expect(messages).toEqual([expect.stringContaining('does not allow kms:Encrypt, kms:Decrypt through lambda.us-east-1.amazonaws.com')]);
    });

    it.each([
      ['StringLike with a region wildcard', viaAccount(['kms:CreateGrant', 'kms:Encrypt', 'kms:Decrypt'], ['lambda.*.amazonaws.com'], 'StringLike')],
      ['no condition', viaAccount(['kms:CreateGrant', 'kms:Encrypt', 'kms:Decrypt'])],
      ['kms:* for Principal "*" through lambda', statement({ Principal: '*', Action: 'kms:*', Condition: { StringEquals: { 'kms:ViaService': 'lambda.us-east-1.amazonaws.com' } } })],
      ['a NotAction that leaves the needed actions in', statement({ Principal: { AWS: ROOT }, NotAction: ['kms:ScheduleKeyDeletion'] })],
    ])('passes a key allowing lambda by %s', (_label, allowing) => {
      expect(runStack(kmsKeyUse, [provider, key([allowing]), fn(keyArn())]).messages).toEqual([]);
    });

    it.each([
      ['another region', viaAccount(['kms:CreateGrant', 'kms:Encrypt', 'kms:Decrypt'], ['lambda.eu-west-1.amazonaws.com'])],
      ['StringNotEquals lambda', viaAccount(['kms:CreateGrant', 'kms:Encrypt', 'kms:Decrypt'], ['lambda.us-east-1.amazonaws.com'], 'StringNotEquals')],
      ['an operator that cannot be evaluated', viaAccount(['kms:CreateGrant', 'kms:Encrypt', 'kms:Decrypt'], ['lambda.us-east-1.amazonaws.com'], 'NumericEquals')],
      ['a Deny only', { ...viaAccount(['kms:*']), Effect: 'Deny' }],
      ['a service principal only', statement({ Principal: { Service: 'lambda.amazonaws.com' }, Action: 'kms:*' })],
    ])('flags a key that allows lambda only in %s', (_label, allowing) => {
      // Act
      const { messages } = runStack(kmsKeyUse, [provider, key([allowing]), fn(keyArn())]);
      // Assess
      expect(messages).toEqual([expect.stringContaining("Lambda function 'fn' (db-rotation-dev-001) sets kmsKeyArn to KMS key 'key'")]);
    });

    it.each([
      ['an alias name', 'alias/tap-key-dev-001'],
      ['an alias ARN', `arn:aws:kms:us-east-1:${ACCOUNT}:alias/tap-key-dev-001`],
      ['the key id', 'key-id-1'],
    ])('resolves the key from %s', (_label, ref) => {
      // Prepare
      const alias = record(TYPES.kmsAlias, 'alias', { name: 'alias/tap-key-dev-001', targetKeyId: 'key-id-1' });
      const resources = [provider, key([viaAccount(['kms:*'], ['rds.us-east-1.amazonaws.com'])]), alias, fn(ref)];
      // Act
      const { messages } = runStack(kmsKeyUse, resources);
      // Assess
      expect(messages).toEqual([expect.stringContaining(`sets kmsKeyArn to KMS key 'key' (${ref}) for lambda`)]);
    });

    it('leaves keys it cannot see alone: another stack\'s key, an AWS-managed alias', () => {
      // Prepare
      const resources = [provider, key([]), fn(`arn:aws:kms:us-east-1:${ACCOUNT}:key/elsewhere`), { ...fn('alias/aws/lambda'), name: 'fn2', urn: 'urn:pulumi:dev::TapStack::aws:lambda/function:Function::fn2' }];
      // Act / Assess
      expect(runStack(kmsKeyUse, resources).messages).toEqual([]);
    });
  });

  describe('a CloudWatch Logs log group', () => {
    const logGroupArn = `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/lambda/payment-processor-001`;
    const logs = (principal: string, context?: Record<string, unknown>) =>
      statement({
        Principal: { Service: principal },
        Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        ...(context ? { Condition: context } : {}),
      });
    const group = () => record(TYPES.logGroup, 'logs', { name: '/aws/lambda/payment-processor-001', kmsKeyId: keyArn() });

    it.each([
      ['ArnEquals on the log group', { ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': logGroupArn } }],
      ['ArnLike on every log group of the account', { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:*` } }],
      ['no encryption-context condition', undefined],
    ])('passes logs.<region>.amazonaws.com with %s', (_label, context) => {
      expect(runStack(kmsKeyUse, [provider, key([logs('logs.us-east-1.amazonaws.com', context)]), group()]).messages).toEqual([]);
    });

    it.each([
      ['the encryption context of another log group', logs('logs.us-east-1.amazonaws.com', { ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': `${logGroupArn}-other` } })],
      ['the principal of another region', logs('logs.eu-west-1.amazonaws.com')],
      ['the account root only, even with kms:*', viaAccount(['kms:*'])],
    ])('flags a key that allows CloudWatch Logs only with %s', (_label, allowing) => {
      // Act
      const { messages } = runStack(kmsKeyUse, [provider, key([allowing]), group()]);
      // Assess
      expect(messages).toEqual([
        `Log group 'logs' (/aws/lambda/payment-processor-001) sets kmsKeyId to KMS key 'key' (${keyArn()}), but its policy does not allow the logs ` +
          `service principal logs.us-east-1.amazonaws.com kms:Encrypt, kms:Decrypt, kms:GenerateDataKey (CloudWatch Logs encrypts the log group with it). ` +
          `Fix: in the key policy of 'key', allow Principal { Service: "logs.<region>.amazonaws.com" } kms:Encrypt*, kms:Decrypt*, kms:ReEncrypt*, ` +
          `kms:GenerateDataKey* and kms:Describe*, with ArnEquals kms:EncryptionContext:aws:logs:arn = the log group ARN.`,
      ]);
    });
  });

  it('checks an ECR repository\'s encryption key through ecr, when one is set', () => {
    // Prepare
    const repo = (kmsKey?: string) => record(TYPES.ecrRepository, kmsKey ? 'repo' : 'plain', { name: 'payment-processor-dev-001', encryptionConfigurations: [{ encryptionType: 'KMS', ...(kmsKey ? { kmsKey } : {}) }] });
    const lambdaOnly = key([viaAccount(['kms:*'], ['lambda.us-east-1.amazonaws.com'])]);
    const ecr = key([viaAccount(['kms:CreateGrant', 'kms:DescribeKey'], ['ecr.us-east-1.amazonaws.com'])], 'ecr');
    // Act
    const bad = runStack(kmsKeyUse, [provider, lambdaOnly, repo(keyArn())]);
    const good = runStack(kmsKeyUse, [provider, ecr, repo(keyArn('ecr'))]);
    const none = runStack(kmsKeyUse, [provider, lambdaOnly, repo()]);
    // Assess
    expect(bad.messages).toEqual([expect.stringContaining("ECR repository 'repo' (payment-processor-dev-001) sets encryptionConfigurations[0].kmsKey to KMS key 'key'")]);
    expect(good.messages).toEqual([]);
    expect(none.notApplicable).toBe('no resource names a KMS key');
  });

  it('reports a key policy it cannot read', () => {
    // Prepare
    const k = key([]);
    k.inputs['policy'] = '{not json';
    // Act
    const { messages } = runStack(kmsKeyUse, [provider, k, fn(keyArn())]);
    // Assess
    expect(messages).toEqual([expect.stringMatching(/^Lambda function 'fn' \(db-rotation-dev-001\) uses KMS key 'key' \(kmsKeyArn\), whose policy cannot be read: it is not valid JSON .*Fix: give the key a JSON key policy\.$/)]);
  });

  it('still reports what it can while a key policy is unknown in preview, and says so as advisory', () => {
    // Prepare: the function's key is unknown; the cluster's key is known and wrong
    const unknownKey = key([], 'later');
    unknownKey.inputs['policy'] = '[unknown]';
    const resources = [provider, unknownKey, key([viaAccount(['kms:*'], ['sns.us-east-1.amazonaws.com'])]), fn(keyArn('later')), record(TYPES.cluster, 'db', { kmsKeyId: keyArn() })];
    // Act
    const violations = evaluatePolicies(resources, { stackName: 'dev', environment: 'dev', policies: [kmsKeyUse] });
    // Assess
    expect(violations.map((v) => [v.enforcementLevel, v.resourceName ?? null, v.message.slice(0, 60)])).toEqual([
      ['mandatory', 'db', "Aurora cluster 'db' sets kmsKeyId to KMS key 'key' (arn:aws:"],
      ['advisory', null, "can't run policy 'kms-key-use' during preview: string value "],
    ]);
  });

  it('is not applicable to a stack where nothing names a key', () => {
    expect(runStack(kmsKeyUse, [provider, key([])]).notApplicable).toBe('no resource names a KMS key');
  });
});
