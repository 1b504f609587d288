import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeRouteTablesCommand, DescribeSecurityGroupsCommand, DescribeSubnetsCommand, DescribeVpcEndpointsCommand } from '@aws-sdk/client-ec2';
import { DescribeRepositoriesCommand } from '@aws-sdk/client-ecr';
import { GetRoleCommand } from '@aws-sdk/client-iam';
import { DescribeKeyCommand } from '@aws-sdk/client-kms';
import { GetAccountSettingsCommand, GetFunctionConcurrencyCommand } from '@aws-sdk/client-lambda';
import {
  DescribeDBClusterParameterGroupsCommand,
  DescribeDBClustersCommand,
  DescribeDBEngineVersionsCommand,
  DescribeDBInstancesCommand,
  DescribeDBSubnetGroupsCommand,
  DescribeOrderableDBInstanceOptionsCommand,
  type OrderableDBInstanceOption,
} from '@aws-sdk/client-rds';
import { DescribeSecretCommand } from '@aws-sdk/client-secrets-manager';
import { GetTopicAttributesCommand } from '@aws-sdk/client-sns';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { STACK_PHYSICAL_NAMES } from '@tap/components';
import type { NamedResourceType } from '@tap/validation';
import { awsErrorName, isCredentialError, type AwsClients } from './aws';
import {
  AURORA_ENGINE,
  FIXED_RESERVED_CONCURRENCY,
  LAMBDA_MEMORY_CAPPED_ACCOUNT_MB,
  LAMBDA_MEMORY_MAX_MB,
  MIN_UNRESERVED_CONCURRENCY,
  MIN_UNRESERVED_CONCURRENCY_SMALL_ACCOUNT,
  NETWORKING_OUTPUTS,
  PRIVATE_SUBNET_COUNT,
} from './constants';
import { PreflightError } from './errors';
import { firstLine, notInstalled } from './tools';
import type { CheckResult, PreflightTarget, SpawnFn } from './types';

/** What every check reads from: the target, the account's clients, and the local tools. */
export interface CheckContext {
  target: PreflightTarget;
  clients: AwsClients;
  /** Every AWS call goes through this (throttling retried with backoff). */
  call: <T>(what: string, fn: () => Promise<T>) => Promise<T>;
  spawn: SpawnFn;
  /** The Pulumi project folder (apps/tap-stack). */
  cwd: string;
  /** The Pulumi executable. Default `pulumi`. */
  pulumi: string;
  /** The Docker executable. Default `docker`. */
  docker: string;
  /** The environment the tools check reads (`PULUMI_BACKEND_URL`). Default `process.env`. */
  env: NodeJS.ProcessEnv;
}

/**
 * The networking stack's outputs as preflight found them: `outputs` when it exports them all, `planned` when it does
 * not exist yet and this deploy creates it first (nothing that needs its outputs can be checked then).
 */
export interface NetworkingState {
  result: CheckResult;
  outputs?: Record<string, unknown>;
  planned?: boolean;
}

/** What a check says when the networking stack is created first by this deploy. */
const PLANNED = 'will be created by networking-stack (deployed first by this deploy)';
const CREATED_FIRST = 'the networking stack is created first by this deploy';

const pass = (id: string, title: string, detail: string): CheckResult => ({ id, title, status: 'pass', detail });
const fail = (id: string, title: string, detail: string, fix: string): CheckResult => ({ id, title, status: 'fail', detail, fix });
const skip = (id: string, title: string, detail: string): CheckResult => ({ id, title, status: 'skip', detail });

/**
 * STS caller identity: the account and principal the deploy would act as. No usable credentials is not a failed
 * check but a run that cannot check anything: it throws `PreflightError('credentials')` (exit 2).
 *
 * @example
 * const { result, identity } = await checkCredentials(ctx);
 */
export async function checkCredentials(ctx: CheckContext): Promise<{ result: CheckResult; identity: { account: string; arn: string } }> {
  let identity;
  try {
    identity = await ctx.call('sts:GetCallerIdentity', () => ctx.clients.sts.send(new GetCallerIdentityCommand({})));
  } catch (error) {
    if (error instanceof PreflightError) throw error;
    if (isCredentialError(error)) {
      const why = firstLine((error as Error).message) ?? awsErrorName(error);
      throw new PreflightError(
        `no usable AWS credentials for ${ctx.target.environment} (${ctx.target.region}): ${why}. Set AWS_PROFILE (aws sso login --profile <p>) or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, then retry`,
        'credentials',
      );
    }
    throw error;
  }
  const account = identity?.Account ?? 'unknown';
  const arn = identity?.Arn ?? 'unknown';
  return { result: pass('credentials', 'AWS credentials resolve', `account ${account}, principal ${arn}`), identity: { account, arn } };
}

/** The stack's `aws:region` is the environment's region. */
export function checkRegion(target: PreflightTarget): CheckResult {
  const title = `region is ${target.environment}'s region (${target.profileRegion})`;
  return target.region === target.profileRegion
    ? pass('region', title, `aws:region ${target.region}`)
    : fail('region', title, `aws:region is ${target.region}`, `set aws:region: ${target.profileRegion} in Pulumi.${target.stack}.yaml`);
}

/** Every Aurora PostgreSQL version the region offers (DescribeDBEngineVersions, all pages). */
async function offeredVersions(ctx: CheckContext): Promise<string[]> {
  const versions: string[] = [];
  let marker: string | undefined;
  do {
    const page = await ctx.call('rds:DescribeDBEngineVersions', () =>
      ctx.clients.rds.send(new DescribeDBEngineVersionsCommand({ Engine: AURORA_ENGINE, Marker: marker })),
    );
    versions.push(...(page?.DBEngineVersions ?? []).map((v) => v.EngineVersion ?? '').filter(Boolean));
    marker = page?.Marker;
  } while (marker);
  return versions;
}

/** Every orderable option of the class for the version (DescribeOrderableDBInstanceOptions, all pages). */
async function orderableOptions(ctx: CheckContext): Promise<OrderableDBInstanceOption[]> {
  const { target } = ctx;
  const options: OrderableDBInstanceOption[] = [];
  let marker: string | undefined;
  do {
    const page = await ctx.call('rds:DescribeOrderableDBInstanceOptions', () =>
      ctx.clients.rds.send(
        new DescribeOrderableDBInstanceOptionsCommand({ Engine: AURORA_ENGINE, EngineVersion: target.engineVersion, DBInstanceClass: target.instanceClass, Marker: marker }),
      ),
    );
    options.push(...(page?.OrderableDBInstanceOptions ?? []));
    marker = page?.Marker;
  } while (marker);
  return options;
}

/** The AZ of each private subnet of the networking stack (DescribeSubnets), by subnet id. */
async function privateSubnetZones(ctx: CheckContext, subnetIds: string[]): Promise<Map<string, string>> {
  const found = await ctx.call('ec2:DescribeSubnets', () => ctx.clients.ec2.send(new DescribeSubnetsCommand({ SubnetIds: subnetIds })));
  return new Map((found?.Subnets ?? []).map((subnet) => [subnet.SubnetId ?? '', subnet.AvailabilityZone ?? '']));
}

/**
 * The pinned engine version is offered in the region, and the environment's instance class is orderable for it in
 * every AZ of the networking stack's private subnets (DescribeOrderableDBInstanceOptions filtered by engine, version
 * and class: an empty list means not orderable; its AvailabilityZones are where the class can be placed).
 *
 * @example
 * const [engine, instanceClass] = await checkDatabase(ctx, networkingState(ctx, false));
 */
export async function checkDatabase(ctx: CheckContext, networking?: NetworkingState): Promise<CheckResult[]> {
  const { target } = ctx;
  const engineTitle = `Aurora PostgreSQL ${target.engineVersion} offered in ${target.region}`;
  const classTitle = `${target.instanceClass} orderable for Aurora PostgreSQL ${target.engineVersion}`;
  const versions = await offeredVersions(ctx);
  if (!versions.includes(target.engineVersion)) {
    const major = target.engineVersion.split('.')[0];
    const sameMajor = versions.filter((v) => v.split('.')[0] === major);
    return [
      fail(
        'engine-version',
        engineTitle,
        `not offered; ${major}.x offered here: ${sameMajor.length > 0 ? sameMajor.join(', ') : 'none'}`,
        `pin an offered version in @tap/validation (AURORA_POSTGRES_VERSION) or deploy to another region; list them with: aws rds describe-db-engine-versions --engine ${AURORA_ENGINE} --region ${target.region} --query 'DBEngineVersions[].EngineVersion'`,
      ),
      skip('instance-class', classTitle, 'not checked: the engine version is not offered'),
    ];
  }
  const options = await orderableOptions(ctx);
  const zones = [...new Set(options.flatMap((o) => (o.AvailabilityZones ?? []).map((z) => z.Name ?? '')).filter(Boolean))].sort();
  const listClasses = `aws rds describe-orderable-db-instance-options --engine ${AURORA_ENGINE} --engine-version ${target.engineVersion} --region ${target.region} --query 'OrderableDBInstanceOptions[].[DBInstanceClass,AvailabilityZones[].Name]'`;
  const engine = pass('engine-version', engineTitle, 'offered');
  if (options.length === 0) {
    return [engine, fail('instance-class', classTitle, 'not orderable in this region', `set TapStack:dbInstanceClass in Pulumi.${target.stack}.yaml to an orderable class: ${listClasses}`)];
  }
  const orderableIn = zones.length > 0 ? `orderable in ${zones.join(', ')}` : 'orderable';
  if (networking?.planned) return [engine, { ...pass('instance-class', classTitle, orderableIn), note: `private-subnet AZs not compared: ${CREATED_FIRST}` }];
  const subnets = networking?.outputs ? (networking.outputs['privateSubnetIds'] as unknown[]).map(String) : [];
  if (subnets.length === 0 || zones.length === 0) {
    const why = zones.length === 0 ? 'RDS listed no AZs' : 'no networking stack outputs';
    return [engine, { ...pass('instance-class', classTitle, orderableIn), note: `private-subnet AZs not compared: ${why}` }];
  }
  // An instance is placed in one of the DB subnet group's subnets: every private subnet's AZ must offer the class.
  const subnetZones = await privateSubnetZones(ctx, subnets);
  const outside = subnets.filter((id) => !zones.includes(subnetZones.get(id) ?? ''));
  if (outside.length === 0) return [engine, pass('instance-class', classTitle, `${orderableIn} (every private subnet's AZ)`)];
  const missingZones = [...new Set(outside.map((id) => subnetZones.get(id) || `an unknown AZ (${id} not found)`))];
  return [
    engine,
    fail(
      'instance-class',
      classTitle,
      `${orderableIn}; not in ${missingZones.join(', ')}, where private subnet${outside.length > 1 ? 's' : ''} ${outside.join(', ')} ${outside.length > 1 ? 'are' : 'is'}`,
      `set TapStack:dbInstanceClass in Pulumi.${target.stack}.yaml to a class orderable in every private-subnet AZ (${listClasses}) or move the networking stack's subnets to AZs that offer it`,
    ),
  ];
}

/** One physical name the stack would create. */
interface StackName {
  resource: string;
  type: NamedResourceType;
  name: string;
}

/** The physical names of `types` the stack would create: every Aurora instance, 1 to instanceCount (the name's index). */
function stackNames(target: PreflightTarget, types: readonly NamedResourceType[]): StackName[] {
  return STACK_PHYSICAL_NAMES.filter((entry) => types.includes(entry.type)).flatMap((entry) => {
    const indexes = entry.type === 'aws:rds/clusterInstance:ClusterInstance' ? Array.from({ length: target.instanceCount }, (_u, i) => i + 1) : [target.instanceCount];
    return indexes.map((index) => ({ resource: entry.resource, type: entry.type, name: entry.name(target.environment, target.suffix, index) }));
  });
}

/**
 * Lambda quotas: the account's concurrency limit must leave AWS's minimum unreserved concurrency after the stack's
 * reservations (payment, migration and rotation functions; what they already reserve is given back first, so a
 * redeploy is not counted twice); the environment's memory must be one the account may set.
 *
 * @example
 * const [concurrency, memory] = await checkLambda(ctx);
 */
export async function checkLambda(ctx: CheckContext): Promise<CheckResult[]> {
  const { target } = ctx;
  const settings = await ctx.call('lambda:GetAccountSettings', () => ctx.clients.lambda.send(new GetAccountSettingsCommand({})));
  const total = settings?.AccountLimit?.ConcurrentExecutions ?? 0;
  const unreserved = settings?.AccountLimit?.UnreservedConcurrentExecutions ?? total;
  const wanted = target.reservedConcurrency + FIXED_RESERVED_CONCURRENCY.migration + FIXED_RESERVED_CONCURRENCY.rotation;
  let held = 0;
  for (const fn of stackNames(target, ['aws:lambda/function:Function'])) {
    try {
      const current = await ctx.call('lambda:GetFunctionConcurrency', () => ctx.clients.lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: fn.name })));
      held += current?.ReservedConcurrentExecutions ?? 0;
    } catch (error) {
      if (awsErrorName(error) !== 'ResourceNotFoundException') throw error;
    }
  }
  const minimum = total <= MIN_UNRESERVED_CONCURRENCY_SMALL_ACCOUNT ? MIN_UNRESERVED_CONCURRENCY_SMALL_ACCOUNT : MIN_UNRESERVED_CONCURRENCY;
  const left = unreserved + held - wanted;
  const concurrencyTitle = `Lambda concurrency leaves ${minimum} unreserved after the stack's ${wanted}`;
  const concurrency =
    left >= minimum
      ? pass('lambda-concurrency', concurrencyTitle, `limit ${total}, unreserved ${unreserved}${held ? ` (+${held} this stack holds)` : ''}, ${left} left`)
      : fail(
          'lambda-concurrency',
          concurrencyTitle,
          `limit ${total}, unreserved ${unreserved}${held ? ` (+${held} this stack holds)` : ''}: only ${left} would be left`,
          `request a higher "Concurrent executions" quota (Service Quotas, AWS Lambda, ${target.region}) or lower TapStack:lambdaReservedConcurrency in Pulumi.${target.stack}.yaml`,
        );
  const memoryTitle = `Lambda memory ${target.memoryMb} MB allowed`;
  let memory: CheckResult;
  if (target.memoryMb > LAMBDA_MEMORY_MAX_MB) {
    memory = fail('lambda-memory', memoryTitle, `above Lambda's maximum of ${LAMBDA_MEMORY_MAX_MB} MB`, `lower TapStack:lambdaMemoryMb in Pulumi.${target.stack}.yaml`);
  } else if (target.memoryMb <= LAMBDA_MEMORY_CAPPED_ACCOUNT_MB) {
    memory = pass('lambda-memory', memoryTitle, `within ${LAMBDA_MEMORY_CAPPED_ACCOUNT_MB} MB, which every account may set`);
  } else {
    // No AWS API reports whether an account is still capped at 3008 MB: say so instead of guessing.
    memory = skip(
      'lambda-memory',
      memoryTitle,
      `above ${LAMBDA_MEMORY_CAPPED_ACCOUNT_MB} MB, which some accounts cap and no API reports; if the deploy fails with "MemorySize ... less than or equal to ${LAMBDA_MEMORY_CAPPED_ACCOUNT_MB}", request the increase in Service Quotas`,
    );
  }
  return [concurrency, memory];
}

/** `pulumi stack output` of a stack that was never created (the CLI's "no stack named ... found"). */
const NO_SUCH_STACK = /no stack named|stack .* (does not exist|not found)/i;

/**
 * The networking stack's outputs, or a failed/skipped check that says why not. When it does not exist yet (no stack,
 * or a stack with none of the outputs) and `deployedFirst` (this deploy runs networking-stack's deploy before the
 * tap-stack's), that is the plan, not a failure: a pass with a note.
 *
 * @example
 * const networking = networkingState(ctx, true);
 * networking.planned; // true on an empty account
 */
export function networkingState(ctx: CheckContext, deployedFirst: boolean): NetworkingState {
  const { target } = ctx;
  const title = `networking stack ${target.networkingStackRef} exports ${NETWORKING_OUTPUTS.join(', ')}`;
  const planned = (): NetworkingState => ({ planned: true, result: { ...pass('networking-stack', title, 'not deployed yet'), note: PLANNED } });
  const run = ctx.spawn(ctx.pulumi, ['stack', 'output', '--json', '--show-secrets=false', '--non-interactive', '--stack', target.networkingStackRef], { cwd: ctx.cwd });
  if (notInstalled(run)) return { result: skip('networking-stack', title, 'not checked: the Pulumi CLI is not installed') };
  if (run.status !== 0) {
    if (deployedFirst && NO_SUCH_STACK.test(run.stderr)) return planned();
    return {
      result: fail(
        'networking-stack',
        title,
        `pulumi stack output failed: ${firstLine(run.stderr) ?? `exit ${run.status}`}`,
        `deploy it first (npx nx run networking-stack:deploy --configuration=${target.environment}) or fix TapStack:networkingStackRef in Pulumi.${target.stack}.yaml`,
      ),
    };
  }
  let outputs: Record<string, unknown>;
  try {
    outputs = JSON.parse(run.stdout) as Record<string, unknown>;
  } catch {
    return { result: fail('networking-stack', title, 'pulumi stack output printed no JSON', 'run the command by hand to see why') };
  }
  const missing = NETWORKING_OUTPUTS.filter((key) => outputs[key] === undefined);
  // A stack created but never deployed has no outputs at all; some but not all is a broken networking stack.
  if (deployedFirst && missing.length === NETWORKING_OUTPUTS.length) return planned();
  const subnets = outputs['privateSubnetIds'];
  const problems = [
    ...(missing.length > 0 ? [`missing ${missing.join(', ')}`] : []),
    ...(Array.isArray(subnets) && subnets.length !== PRIVATE_SUBNET_COUNT ? [`${subnets.length} private subnets, ${PRIVATE_SUBNET_COUNT} expected`] : []),
    ...(subnets !== undefined && !Array.isArray(subnets) ? ['privateSubnetIds is not a list'] : []),
  ];
  if (problems.length > 0) {
    return {
      result: fail('networking-stack', title, problems.join('; '), `redeploy the networking stack (npx nx run networking-stack:deploy --configuration=${target.environment})`),
    };
  }
  return { outputs, result: pass('networking-stack', title, `${outputs['vpcId']}, private subnets ${(subnets as string[]).join(', ')}`) };
}

/**
 * The networking stack's outputs, then whether its private subnets reach Secrets Manager: the functions' HTTPS egress
 * is limited to the VPC CIDR, so only an available interface endpoint with private DNS
 * (`com.amazonaws.<region>.secretsmanager`) serves them; a NAT route is reported but is not enough.
 *
 * @example
 * const [stack, route] = await checkNetworking(ctx, networkingState(ctx, false));
 */
export async function checkNetworking(ctx: CheckContext, networking: NetworkingState = networkingState(ctx, false)): Promise<CheckResult[]> {
  const { outputs, result } = networking;
  const routeTitle = 'private subnets reach Secrets Manager (interface endpoint with private DNS)';
  if (networking.planned) return [result, skip('secrets-route', routeTitle, `not checked: ${CREATED_FIRST} (its endpoint is in its own baseline)`)];
  if (result.status !== 'pass' || !outputs) return [result, skip('secrets-route', routeTitle, 'not checked: no networking stack outputs')];
  const vpcId = String(outputs['vpcId']);
  const subnets = (outputs['privateSubnetIds'] as string[]).map(String);
  const service = `com.amazonaws.${ctx.target.region}.secretsmanager`;
  const found = await ctx.call('ec2:DescribeVpcEndpoints', () =>
    ctx.clients.ec2.send(
      new DescribeVpcEndpointsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }, { Name: 'service-name', Values: [service] }] }),
    ),
  );
  const endpoints = (found?.VpcEndpoints ?? []).filter((e) => e.ServiceName === service && e.VpcId === vpcId);
  // Private DNS makes the public hostname resolve to the endpoint's addresses everywhere in the VPC.
  const usable = endpoints.find((e) => e.VpcEndpointType === 'Interface' && e.PrivateDnsEnabled === true && (e.State ?? '').toLowerCase() === 'available');
  if (usable) return [result, pass('secrets-route', routeTitle, `${usable.VpcEndpointId} (private DNS) in ${vpcId}`)];

  const tables = await ctx.call('ec2:DescribeRouteTables', () =>
    ctx.clients.ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] })),
  );
  const natSubnets = subnets.filter((subnet) => {
    const table =
      (tables?.RouteTables ?? []).find((t) => (t.Associations ?? []).some((a) => a.SubnetId === subnet)) ??
      (tables?.RouteTables ?? []).find((t) => (t.Associations ?? []).some((a) => a.Main));
    return (table?.Routes ?? []).some((r) => r.DestinationCidrBlock === '0.0.0.0/0' && r.NatGatewayId);
  });
  const endpointState = endpoints.length === 0 ? 'no Secrets Manager endpoint' : `endpoint ${endpoints[0].VpcEndpointId} without private DNS or not available`;
  const nat = natSubnets.length > 0 ? `; NAT route from ${natSubnets.join(', ')}, but the functions' HTTPS egress is limited to the VPC CIDR` : '; no NAT route either';
  return [
    result,
    fail(
      'secrets-route',
      routeTitle,
      `${endpointState} in ${vpcId}${nat}`,
      `deploy the networking stack's interface endpoint (${service}, private DNS on): npx nx run networking-stack:deploy --configuration=${ctx.target.environment}`,
    ),
  ];
}

/** Not-found errors by service: the name is free. */
const NOT_FOUND = [
  'ResourceNotFoundException',
  'DBClusterNotFoundFault',
  'DBInstanceNotFound',
  'DBInstanceNotFoundFault',
  'DBSubnetGroupNotFoundFault',
  'DBParameterGroupNotFound',
  'DBParameterGroupNotFoundFault',
  'NoSuchEntity',
  'NoSuchEntityException',
  'RepositoryNotFoundException',
  'NotFoundException',
  'NotFound',
];

/** Where a name is looked up: the account and partition (for ARNs), the networking stack's VPC (for security groups). */
interface ClashScope {
  account: string;
  partition: string;
  vpcId?: string;
}

/** Whether a resource with this exact name exists (types looked up one name at a time). */
async function exists(ctx: CheckContext, type: NamedResourceType, name: string, scope: ClashScope): Promise<boolean> {
  const { clients, target } = ctx;
  try {
    switch (type) {
      case 'aws:secretsmanager/secret:Secret':
        await ctx.call('secretsmanager:DescribeSecret', () => clients.secrets.send(new DescribeSecretCommand({ SecretId: name })));
        return true;
      case 'aws:rds/cluster:Cluster':
        return ((await ctx.call('rds:DescribeDBClusters', () => clients.rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: name }))))?.DBClusters ?? []).length > 0;
      case 'aws:rds/clusterInstance:ClusterInstance':
        return ((await ctx.call('rds:DescribeDBInstances', () => clients.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: name }))))?.DBInstances ?? []).length > 0;
      case 'aws:rds/subnetGroup:SubnetGroup':
        return ((await ctx.call('rds:DescribeDBSubnetGroups', () => clients.rds.send(new DescribeDBSubnetGroupsCommand({ DBSubnetGroupName: name }))))?.DBSubnetGroups ?? []).length > 0;
      case 'aws:rds/clusterParameterGroup:ClusterParameterGroup':
        return (
          (await ctx.call('rds:DescribeDBClusterParameterGroups', () => clients.rds.send(new DescribeDBClusterParameterGroupsCommand({ DBClusterParameterGroupName: name }))))
            ?.DBClusterParameterGroups ?? []
        ).length > 0;
      case 'aws:iam/role:Role':
        await ctx.call('iam:GetRole', () => clients.iam.send(new GetRoleCommand({ RoleName: name })));
        return true;
      case 'aws:ecr/repository:Repository':
        return ((await ctx.call('ecr:DescribeRepositories', () => clients.ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [name] }))))?.repositories ?? []).length > 0;
      case 'aws:cloudwatch/logGroup:LogGroup': {
        const page = await ctx.call('logs:DescribeLogGroups', () => clients.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name })));
        return (page?.logGroups ?? []).some((g) => g.logGroupName === name);
      }
      case 'aws:lambda/function:Function':
        // GetFunctionConcurrency answers ResourceNotFoundException for a missing function, like GetFunction, and
        // needs only the permission the concurrency check already uses.
        await ctx.call('lambda:GetFunctionConcurrency', () => clients.lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: name })));
        return true;
      case 'aws:kms/alias:Alias':
        // DescribeKey takes an alias name ("alias/..."); NotFoundException when no key has it.
        await ctx.call('kms:DescribeKey', () => clients.kms.send(new DescribeKeyCommand({ KeyId: name })));
        return true;
      case 'aws:sns/topic:Topic':
        await ctx.call('sns:GetTopicAttributes', () =>
          clients.sns.send(new GetTopicAttributesCommand({ TopicArn: `arn:${scope.partition}:sns:${target.region}:${scope.account}:${name}` })),
        );
        return true;
      default:
        return false;
    }
  } catch (error) {
    if (NOT_FOUND.includes(awsErrorName(error))) return false;
    throw error;
  }
}

/** The security groups of `names` that already exist in the VPC (group names are unique per VPC). */
async function takenSecurityGroups(ctx: CheckContext, vpcId: string, names: string[]): Promise<Set<string>> {
  if (names.length === 0) return new Set();
  const found = await ctx.call('ec2:DescribeSecurityGroups', () =>
    ctx.clients.ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }, { Name: 'group-name', Values: names }] })),
  );
  return new Set((found?.SecurityGroups ?? []).filter((g) => g.VpcId === undefined || g.VpcId === vpcId).map((g) => g.GroupName ?? ''));
}

/** The alarms of `names` that already exist (DescribeAlarms takes up to 100 names per call). */
async function takenAlarms(ctx: CheckContext, names: string[]): Promise<Set<string>> {
  const taken = new Set<string>();
  for (let i = 0; i < names.length; i += 100) {
    const batch = names.slice(i, i + 100);
    let token: string | undefined;
    do {
      const page = await ctx.call('cloudwatch:DescribeAlarms', () => ctx.clients.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: batch, NextToken: token })));
      for (const alarm of [...(page?.MetricAlarms ?? []), ...(page?.CompositeAlarms ?? [])]) taken.add(alarm.AlarmName ?? '');
      token = page?.NextToken;
    } while (token);
  }
  return taken;
}

/** Types whose name clash fails `pulumi up` halfway (CreateX answers "already exists") or, worse, is adopted silently. */
export const CLASH_TYPES: readonly NamedResourceType[] = [
  'aws:kms/alias:Alias',
  'aws:secretsmanager/secret:Secret',
  'aws:rds/cluster:Cluster',
  'aws:rds/clusterInstance:ClusterInstance',
  'aws:rds/subnetGroup:SubnetGroup',
  'aws:rds/clusterParameterGroup:ClusterParameterGroup',
  'aws:ec2/securityGroup:SecurityGroup',
  'aws:lambda/function:Function',
  'aws:iam/role:Role',
  'aws:ecr/repository:Repository',
  'aws:cloudwatch/logGroup:LogGroup',
  'aws:sns/topic:Topic',
  'aws:cloudwatch/metricAlarm:MetricAlarm',
];

/** Types whose create call succeeds on an existing name: the stack would take over someone else's resource. */
const SILENT: Partial<Record<NamedResourceType, string>> = {
  'aws:sns/topic:Topic': 'CreateTopic would adopt it silently',
  'aws:cloudwatch/metricAlarm:MetricAlarm': 'PutMetricAlarm would overwrite it silently',
};

/** The stack's own state (`pulumi stack export`), where names it already holds appear; empty for a new stack. */
function stackState(ctx: CheckContext): string {
  const run = ctx.spawn(ctx.pulumi, ['stack', 'export', '--non-interactive', '--stack', ctx.target.stack], { cwd: ctx.cwd });
  return run.status === 0 ? run.stdout : '';
}

/**
 * No resource outside the stack already holds a physical name the stack would create (every name of
 * `STACK_PHYSICAL_NAMES` of the clash types: key alias, secret, cluster, every instance, subnet and parameter groups,
 * security groups in the networking stack's VPC, functions, roles, ECR repository, log groups, alarm topic, alarms).
 * Names the stack's own state holds are its own, not a clash. Without a VPC yet, security groups cannot clash.
 *
 * @example
 * const clash = await checkNameClashes(ctx, networkingState(ctx, false), { account: '123456789012', arn: 'arn:aws:iam::123456789012:user/me' });
 */
export async function checkNameClashes(ctx: CheckContext, networking: NetworkingState, identity: { account: string; arn: string }): Promise<CheckResult> {
  const names = stackNames(ctx.target, CLASH_TYPES);
  const title = `no other resource holds the stack's ${names.length} physical names`;
  const state = stackState(ctx);
  const vpcId = networking.outputs ? String(networking.outputs['vpcId']) : undefined;
  const scope: ClashScope = { account: identity.account, partition: identity.arn.split(':')[1] || 'aws', vpcId };
  const ofType = (type: NamedResourceType) => names.filter((entry) => entry.type === type).map((entry) => entry.name);
  const groups = vpcId ? await takenSecurityGroups(ctx, vpcId, ofType('aws:ec2/securityGroup:SecurityGroup')) : new Set<string>();
  const alarms = await takenAlarms(ctx, ofType('aws:cloudwatch/metricAlarm:MetricAlarm'));
  const taken: string[] = [];
  for (const entry of names) {
    let held: boolean;
    if (entry.type === 'aws:ec2/securityGroup:SecurityGroup') held = groups.has(entry.name);
    else if (entry.type === 'aws:cloudwatch/metricAlarm:MetricAlarm') held = alarms.has(entry.name);
    else held = await exists(ctx, entry.type, entry.name, scope);
    if (held && !state.includes(`"${entry.name}`) && !state.includes(`:${entry.name}`)) {
      taken.push(`${entry.resource} ${entry.name}${SILENT[entry.type] ? ` (${SILENT[entry.type]})` : ''}`);
    }
  }
  const note = vpcId
    ? undefined
    : networking.planned
      ? 'security groups not checked: their VPC is created first by this deploy'
      : 'security groups not checked: no networking stack outputs';
  const result =
    taken.length === 0
      ? pass('name-clash', title, 'all free (or held by this stack)')
      : fail(
          'name-clash',
          title,
          `already taken: ${taken.join(', ')}`,
          `delete or import them, or choose another TapStack:environmentSuffix in Pulumi.${ctx.target.stack}.yaml`,
        );
  return note ? { ...result, note } : result;
}

/**
 * An S3 backend URL names its bucket's region (`s3://<bucket>?region=<region>`): the jobs run with AWS_REGION set to
 * each stack's region, and without `region=` the state bucket is looked for there.
 *
 * @example
 * checkBackendUrl('s3://tap-state', 'PULUMI_BACKEND_URL', 'us-east-2').status; // 'fail'
 */
export function checkBackendUrl(url: string | undefined, source: string, region: string): CheckResult {
  const title = "the Pulumi backend URL names the state bucket's region";
  if (!url) return skip('pulumi-backend', title, 'not checked: PULUMI_BACKEND_URL is not set and the Pulumi CLI reports no backend');
  if (!url.startsWith('s3://')) return pass('pulumi-backend', title, `${url}: not an S3 backend`);
  const [base, query = ''] = url.split('?');
  if (new URLSearchParams(query).get('region')) return pass('pulumi-backend', title, url);
  return fail(
    'pulumi-backend',
    title,
    `${source} ${url} does not name the bucket's region`,
    `set PULUMI_BACKEND_URL=${base}?region=<the bucket's region>${query ? `&${query}` : ''}: the deploy runs in ${region}, the state bucket is in one region`,
  );
}

/**
 * A Docker engine answers (the payment image is built during the deploy), the Pulumi CLI is installed and logged in,
 * and an S3 backend URL (`PULUMI_BACKEND_URL`, else the one `pulumi whoami` reports) names its bucket's region.
 *
 * @example
 * const [docker, pulumi, backend] = checkTools(ctx);
 */
export function checkTools(ctx: CheckContext): CheckResult[] {
  const dockerTitle = 'a Docker engine answers';
  const docker = ctx.spawn(ctx.docker, ['info', '--format', '{{.ServerVersion}}']);
  const dockerResult = notInstalled(docker)
    ? fail('docker', dockerTitle, 'docker is not installed', 'install Docker (or a compatible engine) and start it: the payment image is built during the deploy')
    : docker.status !== 0
      ? fail('docker', dockerTitle, firstLine(docker.stderr) ?? `docker info exited ${docker.status}`, 'start the Docker engine (or set DOCKER_HOST) and retry')
      : pass('docker', dockerTitle, `engine ${firstLine(docker.stdout) ?? 'running'}`);

  const pulumiTitle = 'the Pulumi CLI is installed and logged in';
  const version = ctx.spawn(ctx.pulumi, ['version']);
  let pulumiResult: CheckResult;
  let loggedInUrl: string | undefined;
  if (notInstalled(version) || version.status !== 0) {
    pulumiResult = fail('pulumi', pulumiTitle, 'the Pulumi CLI is not installed', 'install it (https://www.pulumi.com/docs/install/) and put it on PATH');
  } else {
    const whoami = ctx.spawn(ctx.pulumi, ['whoami', '--verbose', '--non-interactive']);
    loggedInUrl = whoami.status === 0 ? whoami.stdout.match(/Backend URL:\s*(\S+)/)?.[1] : undefined;
    pulumiResult =
      whoami.status === 0
        ? pass('pulumi', pulumiTitle, `${firstLine(version.stdout)}, ${(loggedInUrl ?? firstLine(whoami.stdout)) || 'logged in'}`)
        : fail('pulumi', pulumiTitle, `not logged in: ${firstLine(whoami.stderr) ?? `exit ${whoami.status}`}`, 'run "pulumi login" (or pulumi login s3://<bucket>?region=<region> / file://<dir>) and retry');
  }
  const fromEnv = ctx.env['PULUMI_BACKEND_URL'];
  const backend = fromEnv ? checkBackendUrl(fromEnv, 'PULUMI_BACKEND_URL', ctx.target.region) : checkBackendUrl(loggedInUrl, "pulumi whoami's backend", ctx.target.region);
  return [dockerResult, pulumiResult, backend];
}
