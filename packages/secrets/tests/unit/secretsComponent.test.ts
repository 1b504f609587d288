import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { ACCOUNT_ID, REGION, flush, ofType, one, valueOf } from '@tap/pulumi-testing';
import { ResourceNameError, VPC_NETWORK_INTERFACE_ACTIONS, environmentProfile } from '@tap/validation';
import { INITIAL_PASSWORD, installSecretsMocks } from '../helpers/pulumiMocks';
import { SECRETS_DEFAULTS, SecretsComponent, SecretsComponentError, defaultRotationCodeDir } from '../../src';
import type { SecretsComponentArgs } from '../../src';

const mocks = installSecretsMocks();
const FN = 'aws:lambda/function:Function';
const EGRESS = 'aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule';
const INGRESS = 'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule';
const KEY_ARN = `arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
/** Pulumi's wire signature for secrets (sdk/nodejs/runtime/rpc.ts). */
const SECRET_SIG = '1b47061264138c4ac30d75fd1eb44270';
const SPECIAL_SIG = '4dabf18193072939515e22adb298388d';
const BUNDLE_DIR = resolve(__dirname, '..', '..', 'dist', 'rotation-bundle');

const args = (overrides: Partial<SecretsComponentArgs> = {}): SecretsComponentArgs => ({
  environment: 'dev',
  environmentSuffix: '001',
  kmsKeyArn: KEY_ARN,
  vpcId: 'vpc-1',
  privateSubnetIds: ['subnet-a', 'subnet-b', 'subnet-c'],
  databaseSecurityGroupId: 'sg-db',
  host: 'aurora.cluster-abc.us-east-1.rds.amazonaws.com',
  port: 5432,
  dbname: 'payments',
  ...overrides,
});

async function build(prefix: string, overrides: Partial<SecretsComponentArgs> = {}): Promise<SecretsComponent> {
  const component = new SecretsComponent(prefix, args(overrides));
  await valueOf(component.rotationFunctionArn);
  await flush(mocks);
  return component;
}

describe.each([
  ['dev', '001'],
  ['staging', 'stg'],
  ['prod', 'p01'],
] as const)('SecretsComponent in %s', (environment, suffix) => {
  const prefix = `sec-${environment}`;
  let component: SecretsComponent;
  let secretArn: string;

  beforeAll(async () => {
    component = await build(prefix, { environment, environmentSuffix: suffix });
    secretArn = await valueOf(component.secretArn);
  });

  it('names every resource {type}-{environment}-{suffix} and the secret {environment}-db-credentials-{suffix}', async () => {
    // Assess
    expect(one(mocks, prefix, 'aws:secretsmanager/secret:Secret').inputs.name).toBe(`${environment}-db-credentials-${suffix}`);
    expect(one(mocks, prefix, FN).inputs.name).toBe(`db-rotation-${environment}-${suffix}`);
    expect(one(mocks, prefix, 'aws:ec2/securityGroup:SecurityGroup').inputs.name).toBe(`rotation-sg-${environment}-${suffix}`);
    expect(one(mocks, prefix, 'aws:iam/role:Role').inputs.name).toBe(`db-rotation-role-${environment}-${suffix}`);
    expect(one(mocks, prefix, 'aws:iam/rolePolicy:RolePolicy').inputs.name).toBe(`db-rotation-policy-${environment}-${suffix}`);
    expect(await valueOf(component.secretName)).toBe(`${environment}-db-credentials-${suffix}`);
    expect(await valueOf(component.rotationFunctionName)).toBe(`db-rotation-${environment}-${suffix}`);
    expect(await valueOf(component.rotationLogGroupName)).toBe(`/aws/lambda/db-rotation-${environment}-${suffix}`);
  });

  it('encrypts the secret with the given customer-managed key and keeps it destroyable', () => {
    const secret = one(mocks, prefix, 'aws:secretsmanager/secret:Secret').inputs;
    expect(secret.kmsKeyId).toBe(KEY_ARN);
    expect(secret.recoveryWindowInDays).toBe(0);
  });

  it('stores the credentials JSON as a Pulumi secret, with the generated password', () => {
    // Prepare
    const secretString = one(mocks, prefix, 'aws:secretsmanager/secretVersion:SecretVersion').inputs.secretString;

    // Assess: the engine receives it wrapped as a secret, so state and previews show [secret]
    expect(secretString[SPECIAL_SIG]).toBe(SECRET_SIG);
    expect(JSON.parse(secretString.value)).toEqual({
      engine: 'postgres',
      host: 'aurora.cluster-abc.us-east-1.rds.amazonaws.com',
      port: 5432,
      dbname: 'payments',
      username: 'tap_app',
      password: INITIAL_PASSWORD,
    });
    const password = one(mocks, prefix, 'random:index/randomPassword:RandomPassword').inputs;
    expect(password.length).toBe(32);
    for (const excluded of SECRETS_DEFAULTS.excludeCharacters) expect(password.overrideSpecial).not.toContain(excluded);
  });

  it('never exposes the password in an output', async () => {
    // Act
    const outputs = await valueOf(
      pulumi.all([
        component.secretArn,
        component.secretName,
        component.rotationFunctionArn,
        component.rotationFunctionName,
        component.rotationSecurityGroupId,
        component.rotationLogGroupName,
        component.rotationRoleArn,
      ]),
    );
    // Assess
    expect(JSON.stringify(outputs)).not.toContain(INITIAL_PASSWORD);
    const plainInputs = mocks.resources
      .filter((r) => r.name.startsWith(prefix) && r.type !== 'aws:secretsmanager/secretVersion:SecretVersion')
      .map((r) => JSON.stringify(r.inputs));
    expect(plainInputs.join('\n')).not.toContain(INITIAL_PASSWORD);
  });

  it('rotates every 30 days through its own function', async () => {
    const rotation = one(mocks, prefix, 'aws:secretsmanager/secretRotation:SecretRotation').inputs;
    expect(rotation.rotationRules).toEqual({ automaticallyAfterDays: 30 });
    expect(rotation.rotateImmediately).toBe(false);
    expect(rotation.rotationLambdaArn).toBe(await valueOf(component.rotationFunctionArn));
    expect(rotation.secretId).toBe(`${prefix}-secret-id`);
  });

  it('lets only Secrets Manager of this account, for this secret, invoke the function', () => {
    const permission = one(mocks, prefix, 'aws:lambda/permission:Permission').inputs;
    expect(permission).toEqual(
      expect.objectContaining({
        action: 'lambda:InvokeFunction',
        function: `db-rotation-${environment}-${suffix}`,
        principal: 'secretsmanager.amazonaws.com',
        sourceAccount: ACCOUNT_ID,
        sourceArn: secretArn,
      }),
    );
  });

  it('runs the function on Node.js 22 in the VPC with reserved concurrency and TLS required, its variables on the AWS-managed key', () => {
    const fn = one(mocks, prefix, FN).inputs;
    expect(fn.runtime).toBe('nodejs22.x');
    expect(fn.handler).toBe('index.handler');
    expect(fn.reservedConcurrentExecutions).toBe(1);
    // The secret's key allows use only through Secrets Manager: Lambda's CreateGrant with it would fail CreateFunction.
    expect(fn.kmsKeyArn).toBeUndefined();
    expect(fn.vpcConfig).toEqual({ subnetIds: ['subnet-a', 'subnet-b', 'subnet-c'], securityGroupIds: [`${prefix}-rotation-sg-id`] });
    expect(fn.environment.variables).toEqual({
      SECRETS_MANAGER_ENDPOINT: `https://secretsmanager.${REGION}.amazonaws.com`,
      EXCLUDE_CHARACTERS: ` "'\\/@:`,
      DB_SSL: 'require',
      NODE_EXTRA_CA_CERTS: '/var/runtime/ca-cert.pem',
      POWERTOOLS_SERVICE_NAME: 'db-rotation',
    });
    expect(fn.loggingConfig).toEqual({ logFormat: 'JSON', logGroup: `/aws/lambda/db-rotation-${environment}-${suffix}` });
  });

  it('creates its log group with 30-day retention', () => {
    const logGroup = one(mocks, prefix, 'aws:cloudwatch/logGroup:LogGroup').inputs;
    expect(logGroup).toEqual(expect.objectContaining({ name: `/aws/lambda/db-rotation-${environment}-${suffix}`, retentionInDays: 30 }));
  });

  it('grants exactly the issue-3 statements, scoped to this secret, this key and this log group', async () => {
    // Prepare
    const policy = JSON.parse(one(mocks, prefix, 'aws:iam/rolePolicy:RolePolicy').inputs.policy);
    const bySid = Object.fromEntries(policy.Statement.map((s: { Sid: string }) => [s.Sid, s]));
    const role = one(mocks, prefix, 'aws:iam/role:Role').inputs;

    // Assess
    expect(role.managedPolicyArns ?? []).toEqual([]);
    expect(JSON.parse(role.assumeRolePolicy).Statement).toEqual([
      { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
    ]);
    expect(Object.keys(bySid).sort()).toEqual(['GenerateRandomPassword', 'RotateThisSecret', 'UseThisSecretKey', 'VpcNetworkInterfaces', 'WriteOwnLogGroup']);
    expect(bySid.RotateThisSecret).toEqual({
      Sid: 'RotateThisSecret',
      Effect: 'Allow',
      Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue', 'secretsmanager:UpdateSecretVersionStage'],
      Resource: [secretArn],
    });
    expect(bySid.GenerateRandomPassword.Action).toEqual(['secretsmanager:GetRandomPassword']);
    expect(bySid.UseThisSecretKey.Action).toEqual(['kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKey']);
    expect(bySid.UseThisSecretKey.Resource).toEqual([KEY_ARN]);
    expect(bySid.WriteOwnLogGroup.Resource).toEqual([`arn:aws:logs:${REGION}:${ACCOUNT_ID}:log-group:/aws/lambda/db-rotation-${environment}-${suffix}:*`]);
    expect(bySid.VpcNetworkInterfaces.Action).toEqual([...VPC_NETWORK_INTERFACE_ACTIONS]);
    // Written out on purpose: the shared list must stay the actions of AWS's AWSLambdaVPCAccessExecutionRole, which the
    // policy pack lets use "*".
    expect(VPC_NETWORK_INTERFACE_ACTIONS).toEqual([
      'ec2:CreateNetworkInterface',
      'ec2:DescribeNetworkInterfaces',
      'ec2:DescribeSubnets',
      'ec2:DeleteNetworkInterface',
      'ec2:AssignPrivateIpAddresses',
      'ec2:UnassignPrivateIpAddresses',
    ]);
    const wildcard = policy.Statement.filter((s: { Resource: unknown }) => s.Resource === '*').map((s: { Sid: string }) => s.Sid);
    expect(wildcard.sort()).toEqual(['GenerateRandomPassword', 'VpcNetworkInterfaces']);
    for (const statement of policy.Statement) {
      expect(statement.Effect).toBe('Allow');
      for (const action of statement.Action) expect(action).not.toMatch(/\*/);
    }
  });

  it('opens egress only to the database group on 5432 and to the VPC on 443, and admits itself on the database group', () => {
    // Prepare
    const egress = ofType(mocks, prefix, EGRESS).map((r) => r.inputs);
    const ingress = ofType(mocks, prefix, INGRESS).map((r) => r.inputs);

    // Assess
    expect(egress).toEqual([
      expect.objectContaining({ securityGroupId: `${prefix}-rotation-sg-id`, referencedSecurityGroupId: 'sg-db', ipProtocol: 'tcp', fromPort: 5432, toPort: 5432 }),
      expect.objectContaining({ securityGroupId: `${prefix}-rotation-sg-id`, cidrIpv4: '10.99.0.0/16', ipProtocol: 'tcp', fromPort: 443, toPort: 443 }),
    ]);
    expect(egress.every((rule) => rule.cidrIpv4 !== '0.0.0.0/0')).toBe(true);
    expect(ingress).toEqual([
      expect.objectContaining({ securityGroupId: 'sg-db', referencedSecurityGroupId: `${prefix}-rotation-sg-id`, ipProtocol: 'tcp', fromPort: 5432, toPort: 5432 }),
    ]);
    expect(one(mocks, prefix, 'aws:ec2/securityGroup:SecurityGroup').inputs.ingress ?? []).toEqual([]);
  });
});

describe('SecretsComponent rotation code', () => {
  it('points at the rotation bundle the package build writes, and that bundle holds index.js', async () => {
    // Act
    await build('sec-code', { environmentSuffix: 'code' });
    const code = one(mocks, 'sec-code', FN).inputs.code;

    // Assess
    expect(code).toBeInstanceOf(pulumi.asset.FileArchive);
    const path = await (code as pulumi.asset.FileArchive).path;
    expect(path).toBe(BUNDLE_DIR);
    expect(defaultRotationCodeDir()).toBe(BUNDLE_DIR);
    expect(existsSync(join(path, 'index.js'))).toBe(true);
  });

  it('uses the archive it is given instead', async () => {
    // Act
    await build('sec-own', { environmentSuffix: 'own', rotationCode: new pulumi.asset.FileArchive('/opt/own-rotation') });

    // Assess
    expect(await (one(mocks, 'sec-own', FN).inputs.code as pulumi.asset.FileArchive).path).toBe('/opt/own-rotation');
  });
});

describe('SecretsComponent options', () => {
  it('passes rotation days, user, excluded characters, concurrency, retention, HTTPS CIDRs and tags through', async () => {
    // Act
    await build('sec-opt', {
      environmentSuffix: 'opt',
      rotationDays: 7,
      username: 'o\'brien',
      excludeCharacters: '"\\',
      rotationReservedConcurrency: 2,
      logging: { retentionDays: 90 },
      httpsEgressCidrBlocks: ['10.1.0.0/24', '10.1.1.0/24'],
      tags: { team: 'platform' },
    });

    // Assess
    expect(one(mocks, 'sec-opt', 'aws:secretsmanager/secretRotation:SecretRotation').inputs.rotationRules).toEqual({ automaticallyAfterDays: 7 });
    expect(JSON.parse(one(mocks, 'sec-opt', 'aws:secretsmanager/secretVersion:SecretVersion').inputs.secretString.value).username).toBe("o'brien");
    const fn = one(mocks, 'sec-opt', FN).inputs;
    expect(fn.environment.variables.EXCLUDE_CHARACTERS).toBe('"\\');
    expect(fn.reservedConcurrentExecutions).toBe(2);
    expect(fn.tags).toEqual({ team: 'platform' });
    expect(one(mocks, 'sec-opt', 'aws:cloudwatch/logGroup:LogGroup').inputs.retentionInDays).toBe(90);
    expect(ofType(mocks, 'sec-opt', EGRESS).map((r) => r.inputs.cidrIpv4).filter(Boolean)).toEqual(['10.1.0.0/24', '10.1.1.0/24']);
    expect(one(mocks, 'sec-opt', 'aws:ec2/securityGroup:SecurityGroup').inputs.tags).toEqual({ team: 'platform', Name: 'rotation-sg-dev-opt' });
  });
});

describe('SecretsComponent takes an environment\'s secrets and logging blocks as they are', () => {
  it('rotates every rotationDays of the block and keeps the rotation logs for logging.retentionDays', async () => {
    // Prepare: dev's blocks, moved off the component's defaults so each value must come from here
    const dev = environmentProfile('dev', 'blk');
    const secrets = { ...dev.secrets, rotationDays: 14 };
    const logging = { ...dev.logging, retentionDays: 60 };

    // Act
    await build('sec-block', { environmentSuffix: 'blk', ...secrets, logging });

    // Assess
    expect(one(mocks, 'sec-block', 'aws:secretsmanager/secretRotation:SecretRotation').inputs.rotationRules).toEqual({ automaticallyAfterDays: 14 });
    expect(one(mocks, 'sec-block', 'aws:cloudwatch/logGroup:LogGroup').inputs.retentionInDays).toBe(60);
  });

  it('does not compile with log retention outside the logging block, which it would ignore at run time', async () => {
    // Prepare (the typecheck target compiles this file with tsc)
    // @ts-expect-error log retention comes in the logging block, as `logging.retentionDays`
    const logs = { logRetentionDays: 60 } satisfies Partial<SecretsComponentArgs>;

    // Act
    await build('sec-old', { environmentSuffix: 'old', ...logs });

    // Assess: the default, not the misnamed value
    expect(one(mocks, 'sec-old', 'aws:cloudwatch/logGroup:LogGroup').inputs.retentionInDays).toBe(30);
  });
});

describe('SecretsComponent rejects invalid arguments', () => {
  it.each([
    [{ rotationDays: 0 }, 'rotationDays must be an integer from 1 to 1000 days, got 0'],
    [{ rotationDays: 1001 }, 'rotationDays must be an integer from 1 to 1000 days, got 1001'],
    [{ rotationDays: 2.5 }, 'rotationDays must be an integer from 1 to 1000 days, got 2.5'],
    [{ rotationReservedConcurrency: 0 }, 'rotationReservedConcurrency must be a positive integer (0 would throttle every invocation), got 0'],
    [{ logging: { retentionDays: 0 } }, 'logging.retentionDays must be one of 1, 3, 5, 7, 14, 30, 60'],
    // CloudWatch Logs accepts only its listed periods: the shared rule refuses 31, which the component used to accept.
    [{ logging: { retentionDays: 31 } }, 'logging.retentionDays must be one of 1, 3, 5, 7, 14, 30, 60'],
    [{ username: '' }, 'username must be 1 to 63 bytes'],
    [{ username: 'u'.repeat(64) }, 'username must be 1 to 63 bytes'],
  ])('%j', (overrides, message) => {
    const make = () => new SecretsComponent('sec-bad', args({ environmentSuffix: 'bad', ...overrides }));
    expect(make).toThrow(SecretsComponentError);
    expect(make).toThrow(message);
  });

  it.each([
    [{ environmentSuffix: 'Bad_Suffix' }, 'environment suffix "Bad_Suffix" must be lowercase letters, digits and single hyphens'],
    [{ environmentSuffix: '' }, 'environment suffix "" must be'],
    [{ environment: 'qa' as SecretsComponentArgs['environment'] }, 'environment "qa" must be one of dev, staging, prod'],
  ])('%j', (overrides, message) => {
    const make = () => new SecretsComponent('sec-bad-name', args(overrides));
    expect(make).toThrow(ResourceNameError);
    expect(make).toThrow(message);
  });

  it('accepts the bounds 1 and 1000 days', () => {
    expect(() => new SecretsComponent('sec-min', args({ environmentSuffix: 'min', rotationDays: 1 }))).not.toThrow();
    expect(() => new SecretsComponent('sec-max', args({ environmentSuffix: 'max', rotationDays: 1000 }))).not.toThrow();
  });
});

describe('SecretsComponent with deferred rotation', () => {
  it('configures no rotation until asked, then exactly one, after what it is given', async () => {
    // Prepare
    const component = await build('sec-defer', { environmentSuffix: 'defer', deferRotation: true });
    const before = ofType(mocks, 'sec-defer', 'aws:secretsmanager/secretRotation:SecretRotation');

    // Act
    const rotation = component.configureRotation([component.secretVersion]);
    await flush(mocks);

    // Assess
    expect(before).toHaveLength(0);
    expect(component.rotation).toBe(rotation);
    const inputs = one(mocks, 'sec-defer', 'aws:secretsmanager/secretRotation:SecretRotation').inputs;
    expect(inputs.rotateImmediately).toBe(false);
    expect(inputs.rotationRules).toEqual({ automaticallyAfterDays: 30 });
    expect(() => component.configureRotation([])).toThrow('rotation is already configured');
  });

  it('refuses a second configuration when rotation was configured at construction', async () => {
    // Prepare
    const component = await build('sec-now', { environmentSuffix: 'now' });

    // Act + Assess
    expect(component.rotation).toBeDefined();
    expect(() => component.configureRotation([])).toThrow(SecretsComponentError);
  });
});

describe('SecretsComponent initial secret version', () => {
  it('carries a label of its own, so Secrets Manager never deletes it and a refresh never drops it from state', async () => {
    // Prepare
    await build('sec-label', { environmentSuffix: 'label' });
    const version = ofType(mocks, 'sec-label', 'aws:secretsmanager/secretVersion:SecretVersion');

    // Assess: without a label of ours, rotations leave it unlabelled (deprecated), AWS deletes it, refresh drops it,
    // and the next up re-creates it as AWSCURRENT with the initial password.
    expect(version).toHaveLength(1);
    expect(version[0].inputs.versionStages).toEqual(['AWSCURRENT', 'TAP_INITIAL']);
  });
});
