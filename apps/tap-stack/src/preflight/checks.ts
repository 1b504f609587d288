import { DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeRouteTablesCommand, DescribeVpcEndpointsCommand } from '@aws-sdk/client-ec2';
import { DescribeRepositoriesCommand } from '@aws-sdk/client-ecr';
import { GetRoleCommand } from '@aws-sdk/client-iam';
import { GetAccountSettingsCommand, GetFunctionConcurrencyCommand } from '@aws-sdk/client-lambda';
import { DescribeDBClustersCommand, DescribeDBEngineVersionsCommand, DescribeDBInstancesCommand, DescribeOrderableDBInstanceOptionsCommand } from '@aws-sdk/client-rds';
import { DescribeSecretCommand } from '@aws-sdk/client-secrets-manager';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { STACK_PHYSICAL_NAMES, type NamedResourceType } from '@tap/validation';
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
}

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

/**
 * The pinned engine version is offered in the region, and the environment's instance class is orderable for it
 * (DescribeOrderableDBInstanceOptions filtered by engine, version and class: an empty list means not orderable).
 *
 * @example
 * const [engine, instanceClass] = await checkDatabase(ctx);
 */
export async function checkDatabase(ctx: CheckContext): Promise<CheckResult[]> {
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
  const orderable = await ctx.call('rds:DescribeOrderableDBInstanceOptions', () =>
    ctx.clients.rds.send(
      new DescribeOrderableDBInstanceOptionsCommand({ Engine: AURORA_ENGINE, EngineVersion: target.engineVersion, DBInstanceClass: target.instanceClass }),
    ),
  );
  const options = orderable?.OrderableDBInstanceOptions ?? [];
  const zones = [...new Set(options.flatMap((o) => (o.AvailabilityZones ?? []).map((z) => z.Name ?? '')).filter(Boolean))].sort();
  return [
    pass('engine-version', engineTitle, 'offered'),
    options.length > 0
      ? pass('instance-class', classTitle, zones.length > 0 ? `orderable in ${zones.join(', ')}` : 'orderable')
      : fail(
          'instance-class',
          classTitle,
          'not orderable in this region',
          `set TapStack:dbInstanceClass in Pulumi.${target.stack}.yaml to an orderable class: aws rds describe-orderable-db-instance-options --engine ${AURORA_ENGINE} --engine-version ${target.engineVersion} --region ${target.region} --query 'OrderableDBInstanceOptions[].DBInstanceClass'`,
        ),
  ];
}

/** The physical names of `types` the stack would create. */
function stackNames(target: PreflightTarget, types: readonly NamedResourceType[]): { resource: string; type: NamedResourceType; name: string }[] {
  return STACK_PHYSICAL_NAMES.filter((entry) => types.includes(entry.type)).map((entry) => ({
    resource: entry.resource,
    type: entry.type,
    name: entry.name(target.environment, target.suffix, target.instanceCount),
  }));
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

/** The networking stack's outputs, or a failed/skipped check that says why not. */
function networkingOutputs(ctx: CheckContext): { outputs?: Record<string, unknown>; result: CheckResult } {
  const { target } = ctx;
  const title = `networking stack ${target.networkingStackRef} exports ${NETWORKING_OUTPUTS.join(', ')}`;
  const run = ctx.spawn(ctx.pulumi, ['stack', 'output', '--json', '--show-secrets=false', '--non-interactive', '--stack', target.networkingStackRef], { cwd: ctx.cwd });
  if (notInstalled(run)) return { result: skip('networking-stack', title, 'not checked: the Pulumi CLI is not installed') };
  if (run.status !== 0) {
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
  const subnets = outputs['privateSubnetIds'];
  const problems = [
    ...(missing.length > 0 ? [`missing ${missing.join(', ')}`] : []),
    ...(Array.isArray(subnets) && subnets.length !== PRIVATE_SUBNET_COUNT ? [`${subnets.length} private subnets, ${PRIVATE_SUBNET_COUNT} expected`] : []),
  ];
  if (problems.length > 0) {
    return {
      outputs,
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
 * const [stack, route] = await checkNetworking(ctx);
 */
export async function checkNetworking(ctx: CheckContext): Promise<CheckResult[]> {
  const { outputs, result } = networkingOutputs(ctx);
  const routeTitle = 'private subnets reach Secrets Manager (interface endpoint with private DNS)';
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
const NOT_FOUND = ['ResourceNotFoundException', 'DBClusterNotFoundFault', 'DBInstanceNotFound', 'DBInstanceNotFoundFault', 'NoSuchEntity', 'NoSuchEntityException', 'RepositoryNotFoundException'];

/** Whether a resource with this exact name exists. */
async function exists(ctx: CheckContext, type: NamedResourceType, name: string): Promise<boolean> {
  const { clients } = ctx;
  try {
    switch (type) {
      case 'aws:secretsmanager/secret:Secret':
        await ctx.call('secretsmanager:DescribeSecret', () => clients.secrets.send(new DescribeSecretCommand({ SecretId: name })));
        return true;
      case 'aws:rds/cluster:Cluster':
        return ((await ctx.call('rds:DescribeDBClusters', () => clients.rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: name }))))?.DBClusters ?? []).length > 0;
      case 'aws:rds/clusterInstance:ClusterInstance':
        return ((await ctx.call('rds:DescribeDBInstances', () => clients.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: name }))))?.DBInstances ?? []).length > 0;
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
      default:
        return false;
    }
  } catch (error) {
    if (NOT_FOUND.includes(awsErrorName(error))) return false;
    throw error;
  }
}

/** Types whose name clash fails `pulumi up` halfway (CreateX answers "already exists"). */
export const CLASH_TYPES: readonly NamedResourceType[] = [
  'aws:secretsmanager/secret:Secret',
  'aws:rds/cluster:Cluster',
  'aws:rds/clusterInstance:ClusterInstance',
  'aws:lambda/function:Function',
  'aws:iam/role:Role',
  'aws:ecr/repository:Repository',
  'aws:cloudwatch/logGroup:LogGroup',
];

/** The stack's own state (`pulumi stack export`), where names it already holds appear; empty for a new stack. */
function stackState(ctx: CheckContext): string {
  const run = ctx.spawn(ctx.pulumi, ['stack', 'export', '--non-interactive', '--stack', ctx.target.stack], { cwd: ctx.cwd });
  return run.status === 0 ? run.stdout : '';
}

/**
 * No resource outside the stack already holds a physical name the stack would create (secret, cluster, instances,
 * functions, roles, ECR repository, log groups). Names the stack's own state holds are its own, not a clash.
 *
 * @example
 * const clash = await checkNameClashes(ctx);
 */
export async function checkNameClashes(ctx: CheckContext): Promise<CheckResult> {
  const names = stackNames(ctx.target, CLASH_TYPES);
  const title = `no other resource holds the stack's ${names.length} physical names`;
  const state = stackState(ctx);
  const taken: string[] = [];
  for (const entry of names) {
    if ((await exists(ctx, entry.type, entry.name)) && !state.includes(`"${entry.name}`) && !state.includes(`:${entry.name}`)) {
      taken.push(`${entry.resource} ${entry.name}`);
    }
  }
  return taken.length === 0
    ? pass('name-clash', title, 'all free (or held by this stack)')
    : fail(
        'name-clash',
        title,
        `already taken: ${taken.join(', ')}`,
        `delete or import them, or choose another TapStack:environmentSuffix in Pulumi.${ctx.target.stack}.yaml`,
      );
}

/**
 * A Docker engine answers (the payment image is built during the deploy), and the Pulumi CLI is installed and logged in.
 *
 * @example
 * const [docker, pulumi] = checkTools(ctx);
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
  if (notInstalled(version) || version.status !== 0) {
    pulumiResult = fail('pulumi', pulumiTitle, 'the Pulumi CLI is not installed', 'install it (https://www.pulumi.com/docs/install/) and put it on PATH');
  } else {
    const whoami = ctx.spawn(ctx.pulumi, ['whoami', '--verbose', '--non-interactive']);
    pulumiResult =
      whoami.status === 0
        ? pass('pulumi', pulumiTitle, `${firstLine(version.stdout)}, ${(whoami.stdout.match(/Backend URL:\s*(\S+)/)?.[1] ?? firstLine(whoami.stdout)) || 'logged in'}`)
        : fail('pulumi', pulumiTitle, `not logged in: ${firstLine(whoami.stderr) ?? `exit ${whoami.status}`}`, 'run "pulumi login" (or pulumi login s3://<bucket> / file://<dir>) and retry');
  }
  return [dockerResult, pulumiResult];
}
