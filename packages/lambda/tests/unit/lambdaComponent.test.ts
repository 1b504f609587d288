import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { ACCOUNT_ID, ECR_PASSWORD, REGION, flush, installMocks, ofType, one, valueOf } from '@tap/pulumi-testing';
import { environmentProfile } from '@tap/validation';
import { LambdaComponent, LambdaComponentError, contentTag } from '../../src';
import type { LambdaComponentArgs } from '../../src';

const mocks = installMocks();
const FN = 'aws:lambda/function:Function';
const EGRESS = 'aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule';
const INGRESS = 'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule';
const SECRET_ARN = `arn:aws:secretsmanager:${REGION}:${ACCOUNT_ID}:secret:dev-db-credentials-001-AbCdEf`;
const KEY_ARN = `arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/secrets`;

// Relative to the working directory, as a Pulumi program passes it (relative to its project directory).
let buildContext: string;
let contextDir: string;
beforeAll(() => {
  contextDir = mkdtempSync(join(tmpdir(), 'tap-lambda-'));
  buildContext = relative(process.cwd(), contextDir);
  writeFileSync(join(contextDir, 'Dockerfile'), 'FROM public.ecr.aws/lambda/nodejs:22\nCOPY index.js ./\nCMD ["index.handler"]\n');
  writeFileSync(join(contextDir, 'index.js'), 'exports.handler = async () => ({ statusCode: 200 });\n');
});
afterAll(() => rmSync(contextDir, { recursive: true, force: true }));

const args = (overrides: Partial<LambdaComponentArgs> = {}): LambdaComponentArgs => ({
  environment: 'dev',
  environmentSuffix: '001',
  buildContext,
  vpcId: 'vpc-1',
  privateSubnetIds: ['subnet-a', 'subnet-b', 'subnet-c'],
  dbSecretArn: SECRET_ARN,
  databaseSecurityGroupId: 'sg-db',
  kmsKeyArn: KEY_ARN,
  ...overrides,
});

describe.each([
  ['dev', '001', 512, 30, 5],
  ['staging', 'stg', 1024, 30, 20],
  ['prod', 'p01', 2048, 60, 100],
] as const)('LambdaComponent in %s', (environment, suffix, memoryMb, timeoutSeconds, reservedConcurrency) => {
  const prefix = `fn-${environment}`;
  let fn: LambdaComponent;

  beforeAll(async () => {
    fn = new LambdaComponent(prefix, args({ environment, environmentSuffix: suffix, memoryMb, timeoutSeconds, reservedConcurrency }));
    await valueOf(fn.functionArn);
    await flush(mocks);
  });

  it('runs the pushed image by digest, tagged with the content hash, never latest', async () => {
    // Prepare
    const image = one(mocks, prefix, 'docker:index/image:Image').inputs;
    const tag = contentTag(buildContext);
    const repoUrl = `${ACCOUNT_ID}.dkr.ecr.${REGION}.amazonaws.com/payment-processor-${environment}-${suffix}`;

    // Assess
    expect(image.imageName).toBe(`${repoUrl}:${tag}`);
    expect(image.build.context).toBe(buildContext);
    expect(image.build.dockerfile).toBe(join(buildContext, 'Dockerfile'));
    expect(image.build.platform).toBe('linux/amd64');
    // Engine-API BuildKit build of one platform: a single image manifest, which Lambda accepts (no attestation index).
    expect(image.build.builderVersion).toBe('BuilderBuildKit');
    // The registry block reaches the engine as a Pulumi secret (the SDK's secret signature wraps it): the ECR token
    // never lands in state or previews in plain text.
    expect(image.registry['4dabf18193072939515e22adb298388d']).toBe('1b47061264138c4ac30d75fd1eb44270');
    expect(image.registry.value.server).toBe(repoUrl);
    expect(await valueOf(fn.imageUri)).toBe(`${repoUrl}:${tag}`);
    const fnInputs = one(mocks, prefix, FN).inputs;
    expect(fnInputs.packageType).toBe('Image');
    expect(fnInputs.imageUri).toMatch(new RegExp(`^${repoUrl.replace(/\./g, '\\.')}@sha256:[0-9a-f]{64}$`));
    expect(fnInputs.imageUri).not.toContain('latest');
  });

  it('keeps the ECR repository scanned, immutable, pruned and force-deletable', () => {
    // Prepare
    const repo = one(mocks, prefix, 'aws:ecr/repository:Repository').inputs;
    const lifecycle = JSON.parse(one(mocks, prefix, 'aws:ecr/lifecyclePolicy:LifecyclePolicy').inputs.policy);

    // Assess
    expect(repo.name).toBe(`payment-processor-${environment}-${suffix}`);
    expect(repo.imageScanningConfiguration).toEqual({ scanOnPush: true });
    expect(repo.imageTagMutability).toBe('IMMUTABLE');
    expect(repo.forceDelete).toBe(true);
    expect(lifecycle.rules[0].selection).toEqual({ tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 10 });
    expect(lifecycle.rules[0].action).toEqual({ type: 'expire' });
  });

  it('configures memory, timeout, reserved concurrency, VPC and environment', () => {
    const inputs = one(mocks, prefix, FN).inputs;
    expect(inputs.name).toBe(`payment-processor-${environment}-${suffix}`);
    expect(inputs.memorySize).toBe(memoryMb);
    expect(inputs.timeout).toBe(timeoutSeconds);
    expect(inputs.reservedConcurrentExecutions).toBe(reservedConcurrency);
    expect(inputs.vpcConfig).toEqual({ subnetIds: ['subnet-a', 'subnet-b', 'subnet-c'], securityGroupIds: [`${prefix}-sg-id`] });
    // Only what the handler reads (it finds the database through the secret): no DB_ENDPOINT, no ENVIRONMENT.
    expect(inputs.environment.variables).toEqual({
      DB_SECRET_ARN: SECRET_ARN,
      POWERTOOLS_SERVICE_NAME: 'payment-processor',
    });
    expect(inputs.role).toBe(`arn:aws:iam::${ACCOUNT_ID}:role/payment-processor-role-${environment}-${suffix}`);
  });

  it('writes to the log group it creates, with 30-day retention', async () => {
    const logGroup = one(mocks, prefix, 'aws:cloudwatch/logGroup:LogGroup').inputs;
    expect(logGroup.name).toBe(`/aws/lambda/payment-processor-${suffix}`);
    expect(logGroup.retentionInDays).toBe(30);
    expect(one(mocks, prefix, FN).inputs.loggingConfig).toEqual({ logFormat: 'JSON', logGroup: `/aws/lambda/payment-processor-${suffix}` });
    expect(await valueOf(fn.logGroupName)).toBe(`/aws/lambda/payment-processor-${suffix}`);
  });

  it('grants only scoped inline permissions, wildcard resource only for VPC network interfaces', () => {
    // Prepare
    const policy = JSON.parse(one(mocks, prefix, 'aws:iam/rolePolicy:RolePolicy').inputs.policy);
    const bySid = Object.fromEntries(policy.Statement.map((s: { Sid: string }) => [s.Sid, s]));
    const role = one(mocks, prefix, 'aws:iam/role:Role').inputs;

    // Assess
    expect(role.managedPolicyArns ?? []).toEqual([]);
    expect(JSON.parse(role.assumeRolePolicy).Statement[0].Principal).toEqual({ Service: 'lambda.amazonaws.com' });
    for (const statement of policy.Statement) {
      for (const action of statement.Action) expect(action).not.toMatch(/\*/);
    }
    expect(bySid.WriteOwnLogGroup.Resource).toEqual([
      `arn:aws:logs:${REGION}:${ACCOUNT_ID}:log-group:/aws/lambda/payment-processor-${suffix}:*`,
    ]);
    expect(bySid.ReadDatabaseSecret.Resource).toEqual([SECRET_ARN]);
    expect(bySid.ReadDatabaseSecret.Action).toEqual(['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret']);
    expect(bySid.DecryptDatabaseSecret.Resource).toEqual([KEY_ARN]);
    expect(bySid.DecryptDatabaseSecret.Condition.StringEquals['kms:ViaService']).toBe(`secretsmanager.${REGION}.amazonaws.com`);
    const wildcard = policy.Statement.filter((s: { Resource: unknown }) => s.Resource === '*');
    expect(wildcard.map((s: { Sid: string }) => s.Sid)).toEqual(['VpcNetworkInterfaces']);
    expect(bySid.VpcNetworkInterfaces.Action.every((a: string) => a.startsWith('ec2:'))).toBe(true);
  });

  it('opens egress only to the database group on 5432 and HTTPS inside the VPC, and admits itself on the database group', () => {
    // Prepare
    const egress = ofType(mocks, prefix, EGRESS).map((r) => r.inputs);
    const ingress = ofType(mocks, prefix, INGRESS).map((r) => r.inputs);

    // Assess
    expect(one(mocks, prefix, 'aws:ec2/securityGroup:SecurityGroup').inputs.name).toBe(`lambda-sg-${environment}-${suffix}`);
    expect(egress).toEqual([
      expect.objectContaining({ securityGroupId: `${prefix}-sg-id`, referencedSecurityGroupId: 'sg-db', fromPort: 5432, toPort: 5432 }),
      // Secrets Manager through the VPC's interface endpoint: HTTPS never leaves the VPC (mocked getVpc CIDR).
      expect.objectContaining({ securityGroupId: `${prefix}-sg-id`, cidrIpv4: '10.99.0.0/16', fromPort: 443, toPort: 443 }),
    ]);
    expect(ingress).toEqual([
      expect.objectContaining({ securityGroupId: 'sg-db', referencedSecurityGroupId: `${prefix}-sg-id`, fromPort: 5432, toPort: 5432 }),
    ]);
  });

  it('creates no Function URL unless asked', () => {
    expect(ofType(mocks, prefix, 'aws:lambda/functionUrl:FunctionUrl')).toHaveLength(0);
    expect(fn.functionUrl).toBeUndefined();
  });

  it('never exposes the registry password in an output', async () => {
    const outputs = await valueOf(pulumi.all([fn.imageUri, fn.imageDigest, fn.functionArn, fn.roleArn, fn.repositoryUrl]));
    expect(JSON.stringify(outputs)).not.toContain(ECR_PASSWORD);
  });
});

describe('LambdaComponent options', () => {
  it('creates a Function URL with AWS_IAM auth', async () => {
    // Act
    const fn = new LambdaComponent('fn-url', args({ environmentSuffix: 'url', createFunctionUrl: true }));
    await valueOf(fn.functionArn);
    await flush(mocks);

    // Assess
    const url = one(mocks, 'fn-url', 'aws:lambda/functionUrl:FunctionUrl').inputs;
    expect(url.authorizationType).toBe('AWS_IAM');
    expect(url.functionName).toBe('payment-processor-dev-url');
    if (fn.functionUrl === undefined) throw new Error('functionUrl missing');
    expect(await valueOf(fn.functionUrl)).toMatch(/^https:\/\//);
  });

  it('uses an explicit tag, and without a database group adds CIDR egress and no ingress on any group', async () => {
    // Act
    const fn = new LambdaComponent(
      'fn-cidr',
      args({ environmentSuffix: 'cidr', imageTag: 'v1.2.3', databaseSecurityGroupId: undefined, databaseEgressCidrBlocks: ['10.0.0.0/16'], kmsKeyArn: undefined }),
    );
    await valueOf(fn.functionArn);
    await flush(mocks);

    // Assess
    expect(one(mocks, 'fn-cidr', 'docker:index/image:Image').inputs.imageName).toMatch(/:v1\.2\.3$/);
    expect(ofType(mocks, 'fn-cidr', INGRESS)).toHaveLength(0);
    expect(ofType(mocks, 'fn-cidr', EGRESS).map((r) => r.inputs.cidrIpv4)).toEqual(['10.0.0.0/16', '10.99.0.0/16']);
    const policy = JSON.parse(one(mocks, 'fn-cidr', 'aws:iam/rolePolicy:RolePolicy').inputs.policy);
    expect(policy.Statement.map((s: { Sid: string }) => s.Sid)).not.toContain('DecryptDatabaseSecret');
  });
});

describe('LambdaComponent with migrations', () => {
  const OWNER_SECRET = `arn:aws:secretsmanager:${REGION}:${ACCOUNT_ID}:secret:rds!cluster-abc-Xy12`;
  const OWNER_KEY = `arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/owner`;
  let fn: LambdaComponent;

  beforeAll(async () => {
    // Prepare / Act
    fn = new LambdaComponent(
      'fn-mig',
      args({
        environmentSuffix: 'mig',
        migrations: { ownerSecretArn: OWNER_SECRET, ownerSecretKmsKeyArn: OWNER_KEY, environment: { DB_HOST: 'aurora.cluster-abc.rds.amazonaws.com' } },
      }),
    );
    await valueOf(fn.functionArn);
    await flush(mocks);
  });

  it('runs migrate.handler from the same image digest, in the same VPC group, one at a time', async () => {
    // Assess
    const [main, migrate] = ofType(mocks, 'fn-mig', FN).sort((a, b) => a.name.localeCompare(b.name));
    expect(migrate.inputs.name).toBe('payment-processor-migrate-dev-mig');
    expect(migrate.inputs.imageUri).toBe(main.inputs.imageUri);
    expect(migrate.inputs.imageConfig).toEqual({ commands: ['migrate.handler'] });
    expect(migrate.inputs.vpcConfig).toEqual(main.inputs.vpcConfig);
    expect(migrate.inputs.reservedConcurrentExecutions).toBe(1);
    expect(migrate.inputs.timeout).toBe(300);
    expect(migrate.inputs.environment.variables).toMatchObject({
      DB_SECRET_ARN: OWNER_SECRET,
      APP_DB_SECRET_ARN: SECRET_ARN,
      DB_HOST: 'aurora.cluster-abc.rds.amazonaws.com',
    });
    // The main function keeps reading only the application secret.
    expect(main.inputs.environment.variables.DB_SECRET_ARN).toBe(SECRET_ARN);
    expect(await valueOf(fn.migrationFunctionName as pulumi.Output<string>)).toBe('payment-processor-migrate-dev-mig');
  });

  it('invokes the migration again whenever the image digest changes', () => {
    // Assess
    const invocation = one(mocks, 'fn-mig', 'aws:lambda/invocation:Invocation').inputs;
    const migrate = ofType(mocks, 'fn-mig', FN).find((f) => f.inputs.name === 'payment-processor-migrate-dev-mig');
    expect(invocation.functionName).toBe('payment-processor-migrate-dev-mig');
    expect(invocation.triggers).toEqual({ imageDigest: migrate?.inputs.imageUri });
    expect(JSON.parse(invocation.input)).toEqual({});
  });

  it('lets the migration role read both secrets and decrypt with both keys, nothing more', () => {
    // Assess
    const policies = ofType(mocks, 'fn-mig', 'aws:iam/rolePolicy:RolePolicy').map((p) => JSON.parse(p.inputs.policy));
    const migratePolicy = policies.find((p) => p.Statement.some((s: { Resource: unknown }) => JSON.stringify(s.Resource).includes(OWNER_SECRET)));
    const mainPolicy = policies.find((p) => p !== migratePolicy);
    const sid = (doc: { Statement: { Sid: string; Resource: unknown }[] }, id: string) => doc.Statement.find((s) => s.Sid === id)?.Resource;
    expect(sid(migratePolicy, 'ReadDatabaseSecret')).toEqual([OWNER_SECRET, SECRET_ARN]);
    expect(sid(migratePolicy, 'DecryptDatabaseSecret')).toEqual([KEY_ARN, OWNER_KEY]);
    expect(JSON.stringify(mainPolicy)).not.toContain(OWNER_SECRET);
    expect(JSON.stringify(mainPolicy)).not.toContain(OWNER_KEY);
  });

  it.each([
    [{ timeoutSeconds: 0 }, 'migrations.timeoutSeconds must be an integer from 1 to 900 seconds, got 0'],
    [{ handler: 'migrate' }, 'migrations.handler "migrate" must look like <file>.<export>, e.g. migrate.handler'],
  ])('rejects %j', (overrides, message) => {
    const make = () => new LambdaComponent('fn-mig-bad', args({ environmentSuffix: 'migbad', migrations: { ownerSecretArn: OWNER_SECRET, ...overrides } }));
    expect(make).toThrow(LambdaComponentError);
    expect(make).toThrow(message);
  });
});

describe('LambdaComponent takes an environment\'s lambda and logging blocks as they are', () => {
  it('sets memoryMb, timeoutSeconds and reservedConcurrency by the settings\' own names, and the log retention', async () => {
    // Prepare: prod's block, vcpu included (a config records it; the component has no use for it)
    const prod = environmentProfile('prod', 'blk');
    const lambda = { ...prod.lambda, timeoutSeconds: 45 };

    // Act
    const fn = new LambdaComponent('fn-block', args({ environment: 'prod', environmentSuffix: 'blk', ...lambda, logging: { retentionDays: 60 } }));
    await valueOf(fn.functionArn);
    await flush(mocks);

    // Assess
    const inputs = one(mocks, 'fn-block', FN).inputs;
    expect(inputs.memorySize).toBe(4096);
    expect(inputs.timeout).toBe(45);
    expect(inputs.reservedConcurrentExecutions).toBe(50);
    expect(one(mocks, 'fn-block', 'aws:cloudwatch/logGroup:LogGroup').inputs.retentionInDays).toBe(60);
  });

  it('does not compile with a setting under another name, which it would ignore at run time', async () => {
    // Prepare: one literal each (TypeScript names only the first excess property of a literal; the typecheck target
    // compiles this file with tsc)
    // @ts-expect-error the setting is memoryMb (AWS calls the property memorySize)
    const memory = { memorySize: 1024 } satisfies Partial<LambdaComponentArgs>;
    // @ts-expect-error Lambda has no CPU setting: a vCPU count would promise what memory alone decides
    const cpu = { vcpu: 2 } satisfies Partial<LambdaComponentArgs>;
    // @ts-expect-error log retention comes in the logging block, as `logging.retentionDays`
    const logs = { logRetentionDays: 60 } satisfies Partial<LambdaComponentArgs>;

    // Act
    const fn = new LambdaComponent('fn-old', args({ environmentSuffix: 'old', ...memory, ...cpu, ...logs }));
    await valueOf(fn.functionArn);
    await flush(mocks);

    // Assess: the defaults, not the misnamed values
    expect(one(mocks, 'fn-old', FN).inputs.memorySize).toBe(512);
    expect(one(mocks, 'fn-old', 'aws:cloudwatch/logGroup:LogGroup').inputs.retentionInDays).toBe(30);
  });
});

describe('LambdaComponent rejects invalid arguments', () => {
  it.each([
    [{ memoryMb: 64 }, 'memoryMb must be an integer from 128 to 10240 MB, got 64'],
    [{ timeoutSeconds: 901 }, 'timeoutSeconds must be an integer from 1 to 900 seconds, got 901'],
    [{ reservedConcurrency: -1 }, 'reservedConcurrency must be a positive integer (0 would throttle every invocation), got -1'],
    // 0 switches the function off: the shared rule refuses it, where the component used to accept it.
    [{ reservedConcurrency: 0 }, 'reservedConcurrency must be a positive integer (0 would throttle every invocation), got 0'],
    [{ logging: { retentionDays: 31 } }, 'logging.retentionDays must be one of 1, 3, 5, 7, 14, 30, 60'],
    [{ maxImageCount: 0 }, 'maxImageCount must be a positive integer, got 0'],
    [{ imageTag: 'latest' }, 'imageTag "latest" must be a valid Docker tag other than "latest"'],
    [{ buildContext: 'nonexistent/ctx' }, 'build context nonexistent/ctx does not exist'],
    [{ buildContext: '/work/checkout/dist/apps/payment-processor' }, 'buildContext "/work/checkout/dist/apps/payment-processor" must be relative to the Pulumi project directory'],
  ])('%j', (overrides, message) => {
    const make = () => new LambdaComponent('fn-bad', args({ environmentSuffix: 'bad', ...overrides }));
    expect(make).toThrow(LambdaComponentError);
    expect(make).toThrow(message);
  });

  it('accepts the limits of the shared rules', () => {
    expect(() => new LambdaComponent('fn-edge', args({ environmentSuffix: 'edge', timeoutSeconds: 900, memoryMb: 128, reservedConcurrency: 1 }))).not.toThrow();
  });
});
