import * as pulumi from '@pulumi/pulumi';
import { createHash } from 'node:crypto';

/** Account of every mocked ARN unless `accountId` says otherwise. */
export const MOCK_ACCOUNT_ID = '123456789012';
/** Region of every mocked ARN and endpoint unless `region` says otherwise. */
export const MOCK_REGION = 'us-east-1';
/** The password of the mocked ECR authorization token: a test can check it never reaches an output. */
export const MOCK_ECR_PASSWORD = 'ecr-token-password-PLAINTEXT';

/** What {@link platformMocks} answer with. */
export interface PlatformMockOptions {
  /** Region of every ARN and endpoint, and what `aws.getRegion` returns. @default 'us-east-1' */
  region?: string;
  /** Account of every ARN, and what `aws.getCallerIdentity` returns. @default '123456789012' */
  accountId?: string;
  /** Outputs of each stack reference the program reads, by fully qualified stack name. @default {} */
  stackReferences?: Record<string, Record<string, unknown>>;
  /** CIDR `aws.ec2.getVpc` returns for a VPC that no stack reference exports with a `vpcCidr`. @default '10.0.0.0/16' */
  vpcCidr?: string;
  /** What `aws.getAvailabilityZones` returns. @default the region's a, b and c zones */
  availabilityZones?: string[];
  /** What every `random.RandomPassword` generates. @default a value derived from the resource's name */
  randomPassword?: string;
  /**
   * How the generated parts of ids, ARNs and endpoints look. `named`: after the logical name (`db-sg` gets id
   * `db-sg-id`, ARN `…:security-group/sg-db-sg`), so a test can write the value down. `hashed`: opaque and shaped like
   * AWS's (`securitygroup-3f9c…`), still the same on every run; the offline synth records these.
   * @default 'named'
   */
  ids?: 'named' | 'hashed';
  /**
   * `true`: a stack reference without outputs in `stackReferences` or a data source these mocks do not know fails the
   * program, so a new invoke cannot pass unmocked. `false`: they answer `{}`.
   * @default false
   */
  strict?: boolean;
}

/** A resource the program registered, as the mocks received it (secrets already unwrapped). */
export interface MockedResource {
  type: string;
  /** Logical name. */
  name: string;
  inputs: Record<string, unknown>;
}

/** A data source (invoke) the program called. */
export interface MockedCall {
  token: string;
  inputs: Record<string, unknown>;
}

/** The mocks, and what the program asked of them so far. */
export interface PlatformMocks extends pulumi.runtime.Mocks {
  resources: MockedResource[];
  calls: MockedCall[];
}

type State = Record<string, unknown>;

/** Stable short hash: the same resource always gets the same value, whatever ran before it. */
function digest(text: string, length: number): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}

/** `aws:rds/cluster:Cluster` -> `rds`; the ARN service of the few types whose module name differs. */
function arnService(type: string): string {
  if (type.startsWith('aws:cloudwatch/logGroup')) return 'logs';
  if (type.startsWith('aws:kms/')) return 'kms';
  return type.split(':')[1]?.split('/')[0] ?? 'mock';
}

function physicalName(name: string, inputs: State): string {
  // `identifier` before `clusterIdentifier`: an instance names itself and points at its cluster.
  for (const key of ['name', 'identifier', 'clusterIdentifier', 'functionName']) {
    const value = inputs[key];
    if (typeof value === 'string' && value !== '') return value;
  }
  return name;
}

/** What the cloud computes for each resource type the platform reads back. */
function computedState(type: string, name: string, inputs: State, options: Required<Pick<PlatformMockOptions, 'region' | 'accountId' | 'ids'>> & PlatformMockOptions): State {
  const { region, accountId } = options;
  const hashed = options.ids === 'hashed';
  /** A part AWS generates: a hash of `seed` when hashed, else the readable stand-in. */
  const generated = (seed: string, length: number, readable: string) => (hashed ? digest(seed, length) : readable);
  const physical = physicalName(name, inputs);
  const arn = (resource: string, service = arnService(type), scope = region) => `arn:aws:${service}:${scope}:${accountId}:${resource}`;
  const regionDns = generated(region, 12, 'abc');
  switch (type) {
    case 'aws:kms/key:Key': {
      const keyId = hashed ? [8, 4, 4, 4, 12].map((n, i) => digest(`${type}::${name}::${i}`, n)).join('-') : name;
      return { keyId, arn: arn(`key/${keyId}`) };
    }
    case 'aws:kms/alias:Alias':
      return { arn: arn(String(inputs['name'] ?? `alias/${name}`)) };
    case 'aws:rds/cluster:Cluster':
      return {
        arn: arn(`cluster:${physical}`),
        clusterIdentifier: physical,
        endpoint: `${physical}.cluster-${regionDns}.${region}.rds.amazonaws.com`,
        readerEndpoint: `${physical}.cluster-ro-${regionDns}.${region}.rds.amazonaws.com`,
        port: inputs['port'] ?? 5432,
        masterUserSecrets: [
          {
            secretArn: arn(`secret:rds!cluster-${generated(physical, 8, name)}-${generated(`${physical}-s`, 6, 'AbCdEf')}`, 'secretsmanager'),
            kmsKeyId: inputs['masterUserSecretKmsKeyId'],
            secretStatus: 'active',
          },
        ],
      };
    case 'aws:rds/clusterInstance:ClusterInstance':
      return { arn: arn(`db:${physical}`), identifier: physical, endpoint: `${physical}.${regionDns}.${region}.rds.amazonaws.com` };
    case 'aws:rds/subnetGroup:SubnetGroup':
      return { arn: arn(`subgrp:${physical}`), name: physical };
    case 'aws:ec2/securityGroup:SecurityGroup':
      return { arn: arn(`security-group/sg-${generated(`${type}::${name}`, 17, name)}`) };
    case 'aws:ec2/eip:Eip':
      return { allocationId: `eipalloc-${generated(`${type}::${name}`, 17, name)}` };
    case 'aws:ecr/repository:Repository':
      return {
        arn: arn(`repository/${physical}`),
        registryId: accountId,
        repositoryUrl: `${accountId}.dkr.ecr.${region}.amazonaws.com/${physical}`,
      };
    case 'docker:index/image:Image': {
      // A content digest: derived from the image name in both modes, as a registry derives it from the image.
      const imageName = String(inputs['imageName']);
      return { repoDigest: `${imageName.replace(/:[^:/]+$/, '')}@sha256:${digest(imageName, 64)}`, baseImageName: imageName };
    }
    case 'aws:lambda/function:Function':
      return {
        arn: arn(`function:${physical}`),
        invokeArn: `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/${arn(`function:${physical}`)}/invocations`,
        qualifiedArn: arn(`function:${physical}:$LATEST`),
        version: '$LATEST',
      };
    case 'aws:lambda/functionUrl:FunctionUrl':
      return { functionUrl: `https://${generated(name, 32, name)}.lambda-url.${region}.on.aws/` };
    case 'aws:cloudwatch/logGroup:LogGroup':
      return { arn: arn(`log-group:${physical}`) };
    case 'aws:cloudwatch/metricAlarm:MetricAlarm':
      return { arn: arn(`alarm:${physical}`) };
    case 'aws:sns/topic:Topic':
      return { arn: arn(physical) };
    case 'aws:iam/role:Role':
      return { arn: `arn:aws:iam::${accountId}:role/${physical}`, uniqueId: `AROA${generated(physical, 17, physical).toUpperCase()}` };
    case 'aws:secretsmanager/secret:Secret':
      // Secrets Manager appends six random characters to every secret ARN.
      return { arn: arn(`secret:${physical}-${generated(physical, 6, 'AbCdEf')}`) };
    case 'aws:secretsmanager/secretVersion:SecretVersion':
      return { arn: inputs['secretId'], versionId: generated(`${type}::${name}`, 32, `${name}-version`) };
    case 'random:index/randomId:RandomId': {
      // Hex of `byteLength` bytes, stable per resource name like every other mocked value.
      const hex = digest(`${type}::${name}`, 2 * Number(inputs['byteLength'] ?? 8));
      return { hex, dec: BigInt(`0x${hex}`).toString(), b64Url: Buffer.from(hex, 'hex').toString('base64url'), b64Std: Buffer.from(hex, 'hex').toString('base64') };
    }
    case 'random:index/randomPassword:RandomPassword':
      // The program must mark it secret; a recording shows "[secret]".
      return { result: options.randomPassword ?? `mock-${generated(name, 24, name)}` };
    default:
      return { arn: arn(`${type.split(':').pop()?.toLowerCase() ?? 'resource'}/${physical}`) };
  }
}

/**
 * Pulumi mocks that answer like AWS for every resource type and data source the TAP components use: ARNs, endpoints,
 * the cluster's `masterUserSecrets`, repository URLs, image digests, caller identity, VPC CIDR, stack reference
 * outputs. Deterministic: the same program gets the same answers on every run. They record what the program asked.
 *
 * @example
 * const mocks = platformMocks({ stackReferences: { 'organization/networking-stack/dev': networkOutputs } });
 * await pulumi.runtime.setMocks(mocks, 'my-project', 'dev');
 */
export function platformMocks(options: PlatformMockOptions = {}): PlatformMocks {
  const settings = { ...options, region: options.region ?? MOCK_REGION, accountId: options.accountId ?? MOCK_ACCOUNT_ID, ids: options.ids ?? 'named' };
  const { region, accountId } = settings;
  const stackReferences = options.stackReferences ?? {};
  const resources: MockedResource[] = [];
  const calls: MockedCall[] = [];
  const unknown = (what: string) => {
    if (options.strict) throw new Error(what);
    return {};
  };
  return {
    resources,
    calls,
    newResource: (args: pulumi.runtime.MockResourceArgs) => {
      resources.push({ type: args.type, name: args.name, inputs: args.inputs });
      if (args.type === 'pulumi:pulumi:StackReference') {
        const ref = String(args.inputs['name']);
        const outputs =
          stackReferences[ref] ??
          unknown(`the mocks have no outputs for stack reference ${ref} (they know: ${Object.keys(stackReferences).join(', ') || 'none'}); add them to stackReferences`);
        return { id: ref, state: { name: ref, outputs, secretOutputNames: [] } };
      }
      const id = args.id || (settings.ids === 'hashed' ? `${args.type.split('/').pop()?.split(':')[0]?.toLowerCase() ?? 'res'}-${digest(`${args.type}::${args.name}`, 17)}` : `${args.name}-id`);
      return { id, state: { ...args.inputs, ...computedState(args.type, args.name, args.inputs, settings) } };
    },
    call: (args: pulumi.runtime.MockCallArgs) => {
      calls.push({ token: args.token, inputs: args.inputs });
      switch (args.token) {
        case 'aws:index/getCallerIdentity:getCallerIdentity':
          return { accountId, arn: `arn:aws:iam::${accountId}:user/mock`, userId: 'AIDAMOCK', id: accountId };
        case 'aws:index/getPartition:getPartition':
          return { partition: 'aws', dnsSuffix: 'amazonaws.com', reverseDnsPrefix: 'com.amazonaws', id: 'aws' };
        case 'aws:index/getRegion:getRegion':
          return { name: region, region, endpoint: `ec2.${region}.amazonaws.com`, description: region, id: region };
        case 'aws:index/getAvailabilityZones:getAvailabilityZones': {
          const names = options.availabilityZones ?? ['a', 'b', 'c'].map((z) => `${region}${z}`);
          return { names, zoneIds: names.map((_, i) => `use-az${i + 1}`), id: region };
        }
        case 'aws:ec2/getVpc:getVpc': {
          const exported = Object.values(stackReferences).find((outputs) => outputs['vpcId'] === args.inputs['id']);
          return { id: args.inputs['id'], cidrBlock: exported?.['vpcCidr'] ?? options.vpcCidr ?? '10.0.0.0/16' };
        }
        case 'aws:ecr/getAuthorizationToken:getAuthorizationToken':
          return {
            userName: 'AWS',
            password: MOCK_ECR_PASSWORD,
            authorizationToken: 'mock-ecr-authorization',
            proxyEndpoint: `https://${accountId}.dkr.ecr.${region}.amazonaws.com`,
            id: region,
          };
        case 'aws:secretsmanager/getRandomPassword:getRandomPassword':
          return { randomPassword: options.randomPassword ?? `mock-${digest(JSON.stringify(args.inputs), 24)}`, id: 'mock' };
        default:
          return unknown(`the mocks have no answer for data source ${args.token}; add one to platformMocks in @tap/blocks/testing`);
      }
    },
  };
}

/** Where {@link setPlatformMocks} installs the mocks: the Pulumi project and stack the program sees. */
export interface MockStack {
  /** @default 'project' */
  project?: string;
  /** @default 'stack' */
  stack?: string;
}

/**
 * Installs {@link platformMocks} as the Pulumi runtime (process-global: once per test file, before any resource is
 * created) and returns them, to inspect what the program registered.
 *
 * @example
 * const mocks = setPlatformMocks({ project: 'payments', stack: 'dev', stackReferences: { 'acme/network/dev': network } });
 * new PaymentsStack('payments', args);
 * mocks.resources.filter((r) => r.type === 'aws:rds/cluster:Cluster');
 */
export function setPlatformMocks(options: PlatformMockOptions & MockStack = {}): PlatformMocks {
  const mocks = platformMocks(options);
  // setMocks does all its work before its first await: the mocks are in place when it returns.
  void pulumi.runtime.setMocks(mocks, options.project ?? 'project', options.stack ?? 'stack', false);
  return mocks;
}

/**
 * Mocks that only echo: every resource's state is its inputs, every data source answers its arguments. What a team
 * writes when it does not know the platform's resources; the components must still construct under them.
 *
 * @example
 * await pulumi.runtime.setMocks(echoMocks(), 'consumer', 'unit');
 */
export function echoMocks(): pulumi.runtime.Mocks {
  return {
    newResource: (args: pulumi.runtime.MockResourceArgs) => ({ id: `${args.name}-id`, state: args.inputs }),
    call: (args: pulumi.runtime.MockCallArgs) => args.inputs,
  };
}
