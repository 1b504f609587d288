import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeRouteTablesCommand, DescribeSecurityGroupsCommand, DescribeSubnetsCommand, DescribeVpcEndpointsCommand } from '@aws-sdk/client-ec2';
import { GetRoleCommand } from '@aws-sdk/client-iam';
import { DescribeKeyCommand } from '@aws-sdk/client-kms';
import { GetAccountSettingsCommand, GetFunctionConcurrencyCommand } from '@aws-sdk/client-lambda';
import {
  DescribeDBClusterParameterGroupsCommand,
  DescribeDBEngineVersionsCommand,
  DescribeDBInstancesCommand,
  DescribeDBSubnetGroupsCommand,
  DescribeOrderableDBInstanceOptionsCommand,
} from '@aws-sdk/client-rds';
import { DescribeSecretCommand } from '@aws-sdk/client-secrets-manager';
import { GetTopicAttributesCommand } from '@aws-sdk/client-sns';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { MIGRATION_DEFAULTS, SECRETS_DEFAULTS, STACK_PHYSICAL_NAMES } from '@tap/components';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  FIXED_RESERVED_CONCURRENCY,
  PreflightError,
  preflightTarget,
  preflightTargetFromValues,
  renderMarkdown,
  renderText,
  runPreflight,
  withThrottleRetry,
  type PreflightReport,
  type PreflightTarget,
} from '../../src/preflight';
import { awsError, awsMocks, fakeTools, NETWORK } from '../preflightHelper';
import { APP, ROOT, tempDir } from '../synthHelper';

const aws = awsMocks();
const noSleep = async () => undefined;
const dev = (): PreflightTarget => preflightTarget('dev', join(APP, 'Pulumi.dev.yaml'));
/** The backend the tools check reads: a region-qualified S3 URL, as the README asks. */
const BACKEND_ENV = { PULUMI_BACKEND_URL: 's3://tap-state?region=us-east-1' };
const run = (target = dev(), tools = fakeTools(), extra: Record<string, unknown> = {}) =>
  runPreflight({ target, cwd: APP, spawn: tools, sleep: noSleep, env: BACKEND_ENV, ...extra } as Parameters<typeof runPreflight>[0]);
/** The names the program gives `resource` (packages/validation, the table the components' names are tested against). */
const physical = (resource: string, count = 1) => {
  const entry = STACK_PHYSICAL_NAMES.find((e) => e.resource === resource);
  if (!entry) throw new Error(`no physical name ${resource}`);
  return entry.name('dev', '001', count);
};
const check = (report: PreflightReport, id: string) => {
  const found = report.checks.find((c) => c.id === id);
  if (!found) throw new Error(`no check ${id} in ${report.checks.map((c) => c.id).join(', ')}`);
  return found;
};

beforeEach(() => aws.ready());
afterAll(() => aws.reset());

describe('the target: what Pulumi.<stack>.yaml would deploy', () => {
  it('reads dev as the program does (profile + overrides, payment reservation)', () => {
    // Act
    const target = dev();
    // Assess
    expect(target).toMatchObject({ environment: 'dev', stack: 'dev', region: 'us-east-2', profileRegion: 'us-east-2', engineVersion: '15.10', instanceClass: 'db.t4g.medium', instanceCount: 1, memoryMb: 1024, reservedConcurrency: 5 });
    expect(target.networkingStackRef).toBe('organization/networking-stack/dev');
  });

  it('refuses a config the deploy would refuse, as one input error', () => {
    // Act
    const attempt = () => preflightTargetFromValues('dev', { 'aws:region': 'us-east-2', 'TapStack:lambdaMemoryMB': '1024' });
    // Assess
    expect(attempt).toThrow(PreflightError);
    expect(attempt).toThrow(/Pulumi\.dev\.yaml: unknown config key TapStack:lambdaMemoryMB .*did you mean TapStack:lambdaMemoryMb\?/);
  });

  it('keeps the migration and rotation reservations equal to the components that set them', () => {
    // Assess: the concurrency check adds these to the payment function's reservation.
    expect(FIXED_RESERVED_CONCURRENCY.migration).toBe(MIGRATION_DEFAULTS.reservedConcurrency);
    expect(FIXED_RESERVED_CONCURRENCY.rotation).toBe(SECRETS_DEFAULTS.rotationReservedConcurrency);
  });
});

describe('runPreflight against a mocked account', () => {
  it('passes every check of a ready account: exit 0, account and principal shown', async () => {
    // Act
    const report = await run();
    // Assess
    expect(report.error).toBeUndefined();
    expect(report.checks.map((c) => [c.id, c.status])).toEqual([
      ['credentials', 'pass'],
      ['region', 'pass'],
      ['engine-version', 'pass'],
      ['instance-class', 'pass'],
      ['lambda-concurrency', 'pass'],
      ['lambda-memory', 'pass'],
      ['networking-stack', 'pass'],
      ['secrets-route', 'pass'],
      ['name-clash', 'pass'],
      ['docker', 'pass'],
      ['pulumi', 'pass'],
      ['pulumi-backend', 'pass'],
    ]);
    expect(report.exitCode).toBe(0);
    expect(check(report, 'credentials').detail).toBe('account 123456789012, principal arn:aws:iam::123456789012:user/deployer');
    // The right questions were asked: the pinned version and the profile's class.
    expect(aws.rds.commandCalls(DescribeOrderableDBInstanceOptionsCommand)[0].args[0].input).toEqual({ Engine: 'aurora-postgresql', EngineVersion: '15.10', DBInstanceClass: 'db.t4g.medium' });
    expect(aws.ec2.commandCalls(DescribeVpcEndpointsCommand)[0].args[0].input.Filters).toEqual([
      { Name: 'vpc-id', Values: ['vpc-0abc'] },
      { Name: 'service-name', Values: ['com.amazonaws.us-east-2.secretsmanager'] },
    ]);
    const text = renderText([report]);
    expect(text).toMatch(/^preflight dev \(us-east-2\):\n {2}✓ AWS credentials resolve: account 123456789012/);
    expect(text).toMatch(/→ ready\n$/);
  });

  it('fails when the region does not offer the pinned engine version, lists what it offers, skips the class', async () => {
    // Prepare: a region whose 15.x list starts after 15.10 (and pages through a Marker)
    aws.rds
      .on(DescribeDBEngineVersionsCommand)
      .resolvesOnce({ DBEngineVersions: [{ EngineVersion: '15.12' }], Marker: 'm1' })
      .resolvesOnce({ DBEngineVersions: [{ EngineVersion: '15.13' }, { EngineVersion: '16.6' }] });
    // Act
    const report = await run();
    // Assess
    expect(report.exitCode).toBe(1);
    expect(check(report, 'engine-version')).toMatchObject({ status: 'fail', detail: 'not offered; 15.x offered here: 15.12, 15.13' });
    expect(check(report, 'engine-version').fix).toMatch(/AURORA_POSTGRES_VERSION/);
    expect(check(report, 'instance-class').status).toBe('skip');
    expect(aws.rds.commandCalls(DescribeDBEngineVersionsCommand).map((c) => c.args[0].input.Marker)).toEqual([undefined, 'm1']);
    expect(renderText([report])).toMatch(/✗ Aurora PostgreSQL 15\.10 offered in us-east-2: not offered.* → pin an offered version/);
  });

  it('fails when the instance class is not orderable for the version', async () => {
    // Prepare
    aws.rds.on(DescribeOrderableDBInstanceOptionsCommand).resolves({ OrderableDBInstanceOptions: [] });
    // Act
    const report = await run();
    // Assess
    expect(report.exitCode).toBe(1);
    expect(check(report, 'instance-class')).toMatchObject({ status: 'fail', detail: 'not orderable in this region' });
    expect(check(report, 'instance-class').fix).toMatch(/TapStack:dbInstanceClass in Pulumi\.dev\.yaml/);
  });

  it.each([
    // limit, unreserved: dev reserves 5 + 1 + 1 = 7 and must leave 100 (10 on an account whose limit is 10)
    [1000, 106, 'fail', '99 would be left'],
    [1000, 107, 'pass', '100 left'],
    [10, 10, 'fail', '3 would be left'],
  ] as const)('concurrency limit %i, %i unreserved: %s', async (limit, unreserved, status, detail) => {
    // Prepare
    aws.lambda.on(GetAccountSettingsCommand).resolves({ AccountLimit: { ConcurrentExecutions: limit, UnreservedConcurrentExecutions: unreserved } });
    // Act
    const report = await run();
    // Assess
    expect(check(report, 'lambda-concurrency').status).toBe(status);
    expect(check(report, 'lambda-concurrency').detail).toContain(detail);
    expect(report.exitCode).toBe(status === 'fail' ? 1 : 0);
  });

  it('gives back what the stack already reserves, so a redeploy is not counted twice', async () => {
    // Prepare: 50 unreserved because the deployed stack holds 7 of them... and 50 more elsewhere
    aws.lambda.on(GetAccountSettingsCommand).resolves({ AccountLimit: { ConcurrentExecutions: 1000, UnreservedConcurrentExecutions: 100 } });
    aws.lambda.on(GetFunctionConcurrencyCommand, { FunctionName: 'payment-processor-dev-001' }).resolves({ ReservedConcurrentExecutions: 5 });
    aws.lambda.on(GetFunctionConcurrencyCommand, { FunctionName: 'payment-processor-migrate-dev-001' }).resolves({ ReservedConcurrentExecutions: 1 });
    aws.lambda.on(GetFunctionConcurrencyCommand, { FunctionName: 'db-rotation-dev-001' }).resolves({ ReservedConcurrentExecutions: 1 });
    // The functions are this stack's own: its state holds them.
    const state = JSON.stringify({ deployment: { resources: ['payment-processor-dev-001', 'payment-processor-migrate-dev-001', 'db-rotation-dev-001'].map((id) => ({ id })) } });
    // Act
    const report = await run(dev(), fakeTools({ 'pulumi stack export': { status: 0, stdout: state, stderr: '' } }));
    // Assess
    expect(check(report, 'lambda-concurrency')).toMatchObject({ status: 'pass', detail: 'limit 1000, unreserved 100 (+7 this stack holds), 100 left' });
    expect(check(report, 'name-clash').status).toBe('pass');
  });

  it('memory: within 3008 MB passes, above it is reported unverifiable, above 10240 MB fails', async () => {
    // Act
    const prodLike = await run({ ...dev(), memoryMb: 4096 });
    const tooMuch = await run({ ...dev(), memoryMb: 10_241 });
    // Assess
    expect(check(prodLike, 'lambda-memory').status).toBe('skip');
    expect(check(prodLike, 'lambda-memory').detail).toMatch(/above 3008 MB.*Service Quotas/);
    expect(prodLike.exitCode).toBe(0);
    expect(check(tooMuch, 'lambda-memory').status).toBe('fail');
    expect(tooMuch.exitCode).toBe(1);
  });

  it('fails on a name another resource already holds, naming each', async () => {
    // Prepare: a leftover secret and role from an earlier stack with the same suffix
    aws.secrets.on(DescribeSecretCommand, { SecretId: 'dev-db-credentials-001' }).resolves({ Name: 'dev-db-credentials-001', ARN: 'arn:aws:secretsmanager:us-east-2:123456789012:secret:dev-db-credentials-001-AbCdEf' });
    aws.iam.on(GetRoleCommand, { RoleName: 'payment-processor-role-dev-001' }).resolves({ Role: { RoleName: 'payment-processor-role-dev-001' } as never });
    // Act
    const report = await run();
    // Assess
    const clash = check(report, 'name-clash');
    expect(clash.status).toBe('fail');
    expect(clash.detail).toBe('already taken: database credentials secret dev-db-credentials-001, payment function role payment-processor-role-dev-001');
    expect(clash.fix).toMatch(/TapStack:environmentSuffix/);
    expect(report.exitCode).toBe(1);
  });

  it('fails when the private subnets have no interface endpoint with private DNS, even with a NAT route', async () => {
    // Prepare
    aws.ec2.on(DescribeVpcEndpointsCommand).resolves({
      VpcEndpoints: [{ VpcEndpointId: 'vpce-1', VpcId: NETWORK.vpcId, ServiceName: 'com.amazonaws.us-east-2.secretsmanager', VpcEndpointType: 'Interface', PrivateDnsEnabled: false, State: 'Available' }],
    });
    aws.ec2.on(DescribeRouteTablesCommand).resolves({
      RouteTables: [{ Associations: [{ SubnetId: 'subnet-a' }], Routes: [{ DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: 'nat-1' }] }],
    });
    // Act
    const report = await run();
    // Assess
    const route = check(report, 'secrets-route');
    expect(route.status).toBe('fail');
    expect(route.detail).toBe("endpoint vpce-1 without private DNS or not available in vpc-0abc; NAT route from subnet-a, but the functions' HTTPS egress is limited to the VPC CIDR");
    expect(report.exitCode).toBe(1);
  });

  it('fails when the networking stack is missing or exports two private subnets', async () => {
    // Act
    const missing = await run(dev(), fakeTools({ 'pulumi stack output': { status: 255, stdout: '', stderr: "error: no stack named 'organization/networking-stack/dev' found\n" } }));
    const twoSubnets = await run(dev(), fakeTools({ 'pulumi stack output': { status: 0, stdout: JSON.stringify({ ...NETWORK, privateSubnetIds: ['a', 'b'], vpcCidr: undefined }), stderr: '' } }));
    // Assess
    expect(check(missing, 'networking-stack').detail).toBe("pulumi stack output failed: error: no stack named 'organization/networking-stack/dev' found");
    expect(check(missing, 'secrets-route').status).toBe('skip');
    expect(check(twoSubnets, 'networking-stack').detail).toBe('missing vpcCidr; 2 private subnets, 3 expected');
    expect(missing.exitCode).toBe(1);
  });

  it('fails without a Docker engine or a Pulumi login', async () => {
    // Act
    const report = await run(dev(), fakeTools({ docker: { status: 1, stdout: '', stderr: 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock.\n' }, 'pulumi whoami': { status: 255, stdout: '', stderr: 'error: PULUMI_ACCESS_TOKEN must be set for login during non-interactive CLI sessions\n' } }));
    // Assess
    expect(check(report, 'docker')).toMatchObject({ status: 'fail', detail: 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock.' });
    expect(check(report, 'pulumi').detail).toMatch(/^not logged in: error: PULUMI_ACCESS_TOKEN/);
    expect(report.exitCode).toBe(1);
  });

  it('without the Pulumi CLI: the pulumi check fails, the networking check is skipped, not failed twice', async () => {
    // Act
    const report = await run(dev(), fakeTools({ pulumi: 'missing' }));
    // Assess
    expect(check(report, 'pulumi').status).toBe('fail');
    expect(check(report, 'networking-stack').status).toBe('skip');
    expect(renderMarkdown([report])).toContain('| skipped | networking stack organization/networking-stack/dev exports');
  });

  it('no credentials: exit 2 with one line, and nothing else asked', async () => {
    // Prepare
    aws.sts.on(GetCallerIdentityCommand).rejects(awsError('CredentialsProviderError', 'Could not load credentials from any providers'));
    // Act
    const report = await run();
    // Assess
    expect(report.exitCode).toBe(2);
    expect(report.error).toBe(
      'no usable AWS credentials for dev (us-east-2): Could not load credentials from any providers. Set AWS_PROFILE (aws sso login --profile <p>) or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, then retry',
    );
    expect(report.checks).toEqual([]);
    expect(aws.rds.calls()).toHaveLength(0);
    expect(renderText([report]).trim().split('\n')).toHaveLength(1);
  });

  it('retries a throttled call with backoff and goes on', async () => {
    // Prepare
    aws.lambda
      .on(GetAccountSettingsCommand)
      .rejectsOnce(awsError('TooManyRequestsException', 'Rate exceeded', 429))
      .rejectsOnce(awsError('ThrottlingException', 'Rate exceeded'))
      .resolves({ AccountLimit: { ConcurrentExecutions: 1000, UnreservedConcurrentExecutions: 1000 } });
    const waits: number[] = [];
    // Act
    const report = await run(dev(), fakeTools(), { sleep: async (ms: number) => void waits.push(ms) });
    // Assess
    expect(report.exitCode).toBe(0);
    expect(aws.lambda.commandCalls(GetAccountSettingsCommand)).toHaveLength(3);
    expect(waits).toHaveLength(2);
  });

  it('throttled past every attempt: exit 2 with one line', async () => {
    // Prepare
    aws.rds.on(DescribeDBEngineVersionsCommand).rejects(awsError('Throttling', 'Rate exceeded'));
    // Act
    const report = await run();
    // Assess
    expect(report.exitCode).toBe(2);
    expect(report.error).toBe('AWS throttled rds:DescribeDBEngineVersions (Throttling) on all 4 attempts with backoff: wait a minute and retry, or ask for a higher API rate quota');
    expect(aws.rds.commandCalls(DescribeDBEngineVersionsCommand)).toHaveLength(4);
  });

  it('an AWS error that is neither throttling nor credentials: exit 2, named', async () => {
    // Prepare
    aws.ec2.on(DescribeVpcEndpointsCommand).rejects(awsError('UnauthorizedOperation', 'You are not authorized to perform this operation.'));
    // Act
    const report = await run();
    // Assess
    expect(report.exitCode).toBe(2);
    expect(report.error).toBe('could not check dev: UnauthorizedOperation: You are not authorized to perform this operation.');
  });
});

describe('the first deploy on an empty account', () => {
  // `nx run tap-stack:deploy` deploys networking-stack first (^deploy; tests/e2e/nxTargets.test.ts proves it on the
  // task graph), while preflight runs beside it, before anything is created: a missing networking stack is planned.
  const NO_STACK = { status: 255, stdout: '', stderr: "error: no stack named 'organization/networking-stack/dev' found\n" };

  it.each([
    ['no networking stack', NO_STACK],
    ['a networking stack with no outputs yet', { status: 0, stdout: '{}\n', stderr: '' }],
  ])('%s: a pass with a note, the checks that need its outputs skipped and said so, exit 0', async (_what, output) => {
    // Prepare: an empty account (no VPC, no endpoint, no subnet) and this deploy creating the networking stack first
    aws.ec2.on(DescribeVpcEndpointsCommand).resolves({ VpcEndpoints: [] });
    aws.ec2.on(DescribeSubnetsCommand).resolves({ Subnets: [] });
    // Act
    const report = await run(dev(), fakeTools({ 'pulumi stack output': output }), { networkingDeployedFirst: true });
    // Assess
    expect(check(report, 'networking-stack')).toMatchObject({ status: 'pass', note: 'will be created by networking-stack (deployed first by this deploy)' });
    expect(check(report, 'secrets-route')).toMatchObject({ status: 'skip', detail: 'not checked: the networking stack is created first by this deploy (its endpoint is in its own baseline)' });
    expect(check(report, 'instance-class')).toMatchObject({ status: 'pass', note: 'private-subnet AZs not compared: the networking stack is created first by this deploy' });
    expect(check(report, 'name-clash')).toMatchObject({ status: 'pass', note: 'security groups not checked: their VPC is created first by this deploy' });
    // Nothing was asked about a VPC that does not exist.
    expect(aws.ec2.commandCalls(DescribeVpcEndpointsCommand)).toHaveLength(0);
    expect(aws.ec2.commandCalls(DescribeSubnetsCommand)).toHaveLength(0);
    expect(aws.ec2.commandCalls(DescribeSecurityGroupsCommand)).toHaveLength(0);
    expect(report.exitCode).toBe(0);
    expect(renderText([report])).toContain('  ✓ networking stack organization/networking-stack/dev exports vpcId, vpcCidr, privateSubnetIds, publicSubnetIds, availabilityZones: not deployed yet (note: will be created by networking-stack (deployed first by this deploy))\n');
  });

  it('still fails when nothing deploys the networking stack first (a smoke copy), or when it exports only some outputs', async () => {
    // Act
    const alone = await run(dev(), fakeTools({ 'pulumi stack output': NO_STACK }));
    const partial = await run(dev(), fakeTools({ 'pulumi stack output': { status: 0, stdout: JSON.stringify({ vpcId: 'vpc-0abc' }), stderr: '' } }), { networkingDeployedFirst: true });
    // Assess
    expect(check(alone, 'networking-stack').status).toBe('fail');
    expect(check(partial, 'networking-stack')).toMatchObject({ status: 'fail', detail: 'missing vpcCidr, privateSubnetIds, publicSubnetIds, availabilityZones' });
    expect(alone.exitCode).toBe(1);
    expect(partial.exitCode).toBe(1);
  });
});

describe('name clashes: every physical name the program gives', () => {
  it('checks every Aurora instance up to instanceCount, not only the last', async () => {
    // Prepare: prod-like three instances; the first identifier is held by a leftover instance
    const target = { ...dev(), instanceCount: 3 };
    const first = STACK_PHYSICAL_NAMES.find((e) => e.resource === 'Aurora instance')?.name('dev', '001', 1) as string;
    aws.rds.on(DescribeDBInstancesCommand, { DBInstanceIdentifier: first }).resolves({ DBInstances: [{ DBInstanceIdentifier: first }] });
    // Act
    const report = await run(target);
    // Assess
    expect(check(report, 'name-clash')).toMatchObject({ status: 'fail', detail: `already taken: Aurora instance ${first}` });
    expect(aws.rds.commandCalls(DescribeDBInstancesCommand).map((c) => c.args[0].input.DBInstanceIdentifier)).toEqual([1, 2, 3].map((i) => physical('Aurora instance', i)));
  });

  it('finds the KMS alias, the security groups in the VPC, the subnet and parameter groups, the SNS topic and the alarms', async () => {
    // Prepare: every one held by something outside the stack. CreateTopic does not fail on an existing name ("This
    // action is idempotent, so if the requester already owns a topic with the specified name, that topic's ARN is
    // returned": SNS API reference, CreateTopic) and PutMetricAlarm does not either ("When you update an existing
    // alarm ... the update completely overwrites the previous configuration": CloudWatch API reference,
    // PutMetricAlarm): both would be silently adopted, so preflight must find them.
    const alias = physical('stack key alias');
    const topic = physical('alarm topic');
    const alarm = physical('lambda errors alarm');
    const sg = physical('Aurora security group');
    aws.kms.on(DescribeKeyCommand, { KeyId: alias }).resolves({ KeyMetadata: { KeyId: 'k-1' } as never });
    aws.ec2.on(DescribeSecurityGroupsCommand).callsFake((input) => ({
      SecurityGroups: input.Filters?.find((f: { Name: string }) => f.Name === 'group-name')?.Values?.includes(sg) ? [{ GroupId: 'sg-1', GroupName: sg, VpcId: NETWORK.vpcId }] : [],
    }));
    aws.rds.on(DescribeDBSubnetGroupsCommand).resolves({ DBSubnetGroups: [{ DBSubnetGroupName: physical('Aurora subnet group') }] });
    aws.rds.on(DescribeDBClusterParameterGroupsCommand).resolves({ DBClusterParameterGroups: [{ DBClusterParameterGroupName: physical('Aurora parameter group') }] });
    aws.sns.on(GetTopicAttributesCommand, { TopicArn: `arn:aws:sns:us-east-2:123456789012:${topic}` }).resolves({ Attributes: { TopicArn: `arn:aws:sns:us-east-2:123456789012:${topic}` } });
    aws.cloudwatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [{ AlarmName: alarm }] });
    // Act
    const report = await run();
    // Assess
    const clash = check(report, 'name-clash');
    expect(clash.status).toBe('fail');
    for (const taken of [
      `stack key alias ${alias}`,
      `Aurora security group ${sg}`,
      `Aurora subnet group ${physical('Aurora subnet group')}`,
      `Aurora parameter group ${physical('Aurora parameter group')}`,
      `alarm topic ${topic} (CreateTopic would adopt it silently)`,
      `lambda errors alarm ${alarm} (PutMetricAlarm would overwrite it silently)`,
    ]) {
      expect(clash.detail).toContain(taken);
    }
    // The security groups are looked up by name inside the networking stack's VPC.
    expect(aws.ec2.commandCalls(DescribeSecurityGroupsCommand)[0].args[0].input.Filters).toEqual([
      { Name: 'vpc-id', Values: [NETWORK.vpcId] },
      { Name: 'group-name', Values: STACK_PHYSICAL_NAMES.filter((e) => e.type === 'aws:ec2/securityGroup:SecurityGroup').map((e) => e.name('dev', '001', 1)) },
    ]);
    // Every alarm name the program gives, in one DescribeAlarms call.
    expect(aws.cloudwatch.commandCalls(DescribeAlarmsCommand)[0].args[0].input.AlarmNames).toEqual(
      STACK_PHYSICAL_NAMES.filter((e) => e.type === 'aws:cloudwatch/metricAlarm:MetricAlarm').map((e) => e.name('dev', '001', 1)),
    );
    expect(report.exitCode).toBe(1);
  });
});

describe('the instance class in the private subnets\' AZs', () => {
  it('fails when a private-subnet AZ cannot host the class (DescribeOrderableDBInstanceOptions AvailabilityZones)', async () => {
    // Prepare: OrderableDBInstanceOption.AvailabilityZones is "A list of Availability Zones for a DB instance" (RDS API
    // reference); this class is orderable in 2a and 2b only, the networking stack's private subnets are in 2a, 2b, 2c.
    aws.rds.on(DescribeOrderableDBInstanceOptionsCommand).resolves({
      OrderableDBInstanceOptions: [{ DBInstanceClass: 'db.t4g.medium', AvailabilityZones: [{ Name: 'us-east-2a' }, { Name: 'us-east-2b' }] }],
    });
    // Act
    const report = await run();
    // Assess
    expect(check(report, 'instance-class')).toMatchObject({ status: 'fail', detail: 'orderable in us-east-2a, us-east-2b; not in us-east-2c, where private subnet subnet-c is' });
    expect(check(report, 'instance-class').fix).toMatch(/TapStack:dbInstanceClass in Pulumi\.dev\.yaml .*or move the networking stack's subnets/);
    expect(aws.ec2.commandCalls(DescribeSubnetsCommand)[0].args[0].input.SubnetIds).toEqual(NETWORK.privateSubnetIds);
    expect(report.exitCode).toBe(1);
  });

  it('passes when every private-subnet AZ can host it, and reads every page of the options', async () => {
    // Prepare
    aws.rds
      .on(DescribeOrderableDBInstanceOptionsCommand)
      .resolvesOnce({ OrderableDBInstanceOptions: [{ AvailabilityZones: [{ Name: 'us-east-2a' }, { Name: 'us-east-2b' }] }], Marker: 'm1' })
      .resolvesOnce({ OrderableDBInstanceOptions: [{ AvailabilityZones: [{ Name: 'us-east-2c' }] }] });
    // Act
    const report = await run();
    // Assess
    expect(check(report, 'instance-class')).toMatchObject({ status: 'pass', detail: 'orderable in us-east-2a, us-east-2b, us-east-2c (every private subnet\'s AZ)' });
  });
});

describe('LimitExceededException is a quota, not a throttle', () => {
  it('stops at once with the quota named and how to raise it, never "retry later"', async () => {
    // Prepare: per service it is a quota ("would exceed one of the Secrets Manager quotas", "beyond the current AWS
    // account limits" for IAM, "a quota was exceeded" for KMS: the services' API references); retrying does not help.
    aws.secrets.on(DescribeSecretCommand).rejects(awsError('LimitExceededException', 'The request failed because it would exceed one of the Secrets Manager quotas'));
    // Act
    const report = await run();
    // Assess
    expect(report.exitCode).toBe(2);
    expect(report.error).toBe(
      'AWS quota reached at secretsmanager:DescribeSecret (LimitExceededException: The request failed because it would exceed one of the Secrets Manager quotas): a quota, not throttling; raise it in Service Quotas (us-east-2) or free capacity, then rerun',
    );
    expect(report.error).not.toMatch(/wait a minute|retry later/);
    expect(aws.secrets.commandCalls(DescribeSecretCommand)).toHaveLength(1);
  });
});

describe('the Pulumi backend URL', () => {
  it.each([
    ['s3://tap-state', 'fail'],
    ['s3://tap-state?awssdk=v2', 'fail'],
    ['s3://tap-state?region=us-east-1&awssdk=v2', 'pass'],
    ['file:///var/pulumi', 'pass'],
  ])('PULUMI_BACKEND_URL=%s: %s', async (url, status) => {
    // Act: jobs run in three regions (AWS_REGION is the stack's); an S3 backend must name its bucket's region
    // (`pulumi login 's3://<bucket>?region=<region>'`: Pulumi docs, "Using a DIY backend", AWS S3).
    const report = await run(dev(), fakeTools(), { env: { PULUMI_BACKEND_URL: url } });
    // Assess
    const backend = check(report, 'pulumi-backend');
    expect(backend.status).toBe(status);
    if (status === 'fail') {
      expect(backend.detail).toBe(`PULUMI_BACKEND_URL ${url} does not name the bucket's region`);
      expect(backend.fix).toBe(`set PULUMI_BACKEND_URL=s3://tap-state?region=<the bucket's region>${url.includes('?') ? `&${url.split('?')[1]}` : ''}: the deploy runs in us-east-2, the state bucket is in one region`);
      expect(report.exitCode).toBe(1);
    }
  });

  it('without PULUMI_BACKEND_URL, checks the URL pulumi whoami reports', async () => {
    // Act
    const report = await run(dev(), fakeTools({ 'pulumi whoami': { status: 0, stdout: 'User: deployer\nBackend URL: s3://tap-state\n', stderr: '' } }), { env: {} });
    // Assess
    expect(check(report, 'pulumi-backend')).toMatchObject({ status: 'fail', detail: "pulumi whoami's backend s3://tap-state does not name the bucket's region" });
  });
});

describe('withThrottleRetry', () => {
  it('backs off exponentially within the cap, and rethrows other errors at once', async () => {
    // Prepare
    const waits: number[] = [];
    let calls = 0;
    const random = jest.spyOn(Math, 'random').mockReturnValue(1);
    // Act
    const throttled = withThrottleRetry('x', async () => {
      calls += 1;
      throw awsError('ThrottlingException');
    }, async (ms) => void waits.push(ms), { attempts: 5, baseDelayMs: 100, maxDelayMs: 300 });
    // Assess
    await expect(throttled).rejects.toThrow(/on all 5 attempts/);
    expect(waits).toEqual([100, 200, 300, 300]);
    calls = 0;
    await expect(withThrottleRetry('x', async () => {
      calls += 1;
      throw awsError('AccessDenied');
    }, async () => undefined)).rejects.toThrow('AccessDenied');
    expect(calls).toBe(1);
    random.mockRestore();
  });
});

describe('tap-preflight (the built CLI) without credentials', () => {
  const STATUS = join(ROOT, 'dist', 'apps', 'tap-stack', 'status', 'preflight-dev.json');

  it('prints one clear line, exits 2, and writes status "error"', () => {
    // Prepare: no credentials anywhere the SDK looks (environment, ~/.aws, instance metadata)
    rmSync(STATUS, { force: true });
    const home = tempDir('preflight-home');
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_')));
    // Act
    const cli = spawnSync(process.execPath, [join(ROOT, 'dist', 'apps', 'tap-stack', 'tap-preflight.js'), '--environment', 'dev'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...env, HOME: home, AWS_EC2_METADATA_DISABLED: 'true', AWS_CONFIG_FILE: join(home, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials') },
    });
    // Assess
    expect(cli.status).toBe(2);
    expect(cli.stdout).toBe('');
    expect(cli.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^preflight: dev: no usable AWS credentials for dev \(us-east-2\): .*Set AWS_PROFILE/)]);
    expect(existsSync(STATUS)).toBe(true);
    expect(JSON.parse(readFileSync(STATUS, 'utf8'))).toMatchObject({ target: 'preflight', configuration: 'dev', status: 'error', exitCode: 2 });
  }, 60_000);

  it('--skip-preflight: a warning, exit 0', () => {
    // Act
    const cli = spawnSync(process.execPath, [join(ROOT, 'dist', 'apps', 'tap-stack', 'tap-preflight.js'), '--environment', 'dev', '--skip-preflight'], { cwd: ROOT, encoding: 'utf8' });
    // Assess
    expect(cli.status).toBe(0);
    expect(cli.stderr).toMatch(/^WARNING: preflight skipped \(--skip-preflight\)/);
  });

  it('a bad option: one line, exit 2', () => {
    // Act
    const cli = spawnSync(process.execPath, [join(ROOT, 'dist', 'apps', 'tap-stack', 'tap-preflight.js'), '--environment', 'qa'], { cwd: ROOT, encoding: 'utf8' });
    // Assess
    expect(cli.status).toBe(2);
    expect(cli.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^preflight: option '--environment <env>' argument 'qa' is invalid/)]);
  });
});

describe('nx run tap-stack:preflight --configuration=dev without credentials (as a user runs it)', () => {
  it('prints the one line, and the status file says error / exit 2 (Nx itself exits 1)', () => {
    // Prepare: build already ran (the test target depends on it); no credentials anywhere
    const STATUS = join(ROOT, 'dist', 'apps', 'tap-stack', 'status', 'preflight-dev.json');
    rmSync(STATUS, { force: true });
    const home = tempDir('preflight-nx-home');
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_') && !k.startsWith('NX_TASK')));
    // Act
    const nx = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'nx', 'dist', 'bin', 'nx.js'), 'run', 'tap-stack:preflight', '--configuration=dev', '--exclude-task-dependencies'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...env, NX_DAEMON: 'false', NX_ISOLATE_PLUGINS: 'false', NX_TUI: 'false', NX_NO_CLOUD: 'true', HOME: home, AWS_EC2_METADATA_DISABLED: 'true', AWS_CONFIG_FILE: join(home, 'c'), AWS_SHARED_CREDENTIALS_FILE: join(home, 'k') },
    });
    // Assess
    const output = `${nx.stdout}${nx.stderr}`;
    expect(nx.status).toBe(1);
    expect(output.match(/^preflight: .*$/gm)).toEqual([expect.stringMatching(/^preflight: dev: no usable AWS credentials for dev \(us-east-2\)/)]);
    expect(output).not.toMatch(/^\s+at /m);
    expect(output).not.toContain('NodeVersionSupportWarning');
    expect(JSON.parse(readFileSync(STATUS, 'utf8'))).toMatchObject({ status: 'error', exitCode: 2 });
  }, 180_000);
});
