import type * as pulumi from '@pulumi/pulumi';
import { createHash } from 'node:crypto';
import { SYNTH_ACCOUNT_ID } from './constants';
import { SynthError } from './errors';

/** A networking fixture: the stack it stands for and the outputs that stack exports. */
export interface StackReferenceFixture {
  stack: string;
  outputs: Record<string, unknown>;
}

/** What the mocks answer with. */
export interface SynthMockOptions {
  /** Region of every ARN and of `aws.getRegion`. */
  region: string;
  /** Outputs of the stack references the program may read, by fully qualified stack name. */
  stackReferences: StackReferenceFixture[];
}

type State = Record<string, unknown>;

/** Stable short hash: the same resource always gets the same id, whatever ran before it. */
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
    if (typeof inputs[key] === 'string' && inputs[key] !== '') return inputs[key] as string;
  }
  return name;
}

/** Computed attributes the cloud would return for each resource type the components read. */
function computedState(type: string, name: string, inputs: State, region: string): State {
  const id = digest(`${type}::${name}`, 17);
  const physical = physicalName(name, inputs);
  const arn = (resource: string, service = arnService(type), scope = region) =>
    `arn:aws:${service}:${scope}:${SYNTH_ACCOUNT_ID}:${resource}`;
  switch (type) {
    case 'aws:kms/key:Key': {
      const keyId = [8, 4, 4, 4, 12].map((n, i) => digest(`${type}::${name}::${i}`, n)).join('-');
      return { keyId, arn: arn(`key/${keyId}`) };
    }
    case 'aws:kms/alias:Alias':
      return { arn: arn(String(inputs['name'] ?? `alias/${name}`)) };
    case 'aws:rds/cluster:Cluster':
      return {
        arn: arn(`cluster:${physical}`),
        clusterIdentifier: physical,
        endpoint: `${physical}.cluster-${digest(region, 12)}.${region}.rds.amazonaws.com`,
        readerEndpoint: `${physical}.cluster-ro-${digest(region, 12)}.${region}.rds.amazonaws.com`,
        port: inputs['port'] ?? 5432,
        masterUserSecrets: [
          {
            secretArn: arn(`secret:rds!cluster-${digest(physical, 8)}-${digest(`${physical}-s`, 6)}`, 'secretsmanager'),
            kmsKeyId: inputs['masterUserSecretKmsKeyId'],
            secretStatus: 'active',
          },
        ],
      };
    case 'aws:rds/clusterInstance:ClusterInstance':
      return { arn: arn(`db:${physical}`), identifier: physical, endpoint: `${physical}.${digest(region, 12)}.${region}.rds.amazonaws.com` };
    case 'aws:rds/subnetGroup:SubnetGroup':
      return { arn: arn(`subgrp:${physical}`), name: physical };
    case 'aws:ec2/securityGroup:SecurityGroup':
      return { arn: arn(`security-group/sg-${id}`) };
    case 'aws:ecr/repository:Repository':
      return {
        arn: arn(`repository/${physical}`),
        registryId: SYNTH_ACCOUNT_ID,
        repositoryUrl: `${SYNTH_ACCOUNT_ID}.dkr.ecr.${region}.amazonaws.com/${physical}`,
      };
    case 'docker:index/image:Image': {
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
      return { functionUrl: `https://${digest(name, 32)}.lambda-url.${region}.on.aws/` };
    case 'aws:cloudwatch/logGroup:LogGroup':
      return { arn: arn(`log-group:${physical}`) };
    case 'aws:cloudwatch/metricAlarm:MetricAlarm':
      return { arn: arn(`alarm:${physical}`) };
    case 'aws:sns/topic:Topic':
      return { arn: arn(physical) };
    case 'aws:iam/role:Role':
      return { arn: `arn:aws:iam::${SYNTH_ACCOUNT_ID}:role/${physical}`, uniqueId: `AROA${digest(physical, 17).toUpperCase()}` };
    case 'aws:secretsmanager/secret:Secret':
      // Secrets Manager appends six random characters to every secret ARN.
      return { arn: arn(`secret:${physical}-${digest(physical, 6)}`) };
    case 'aws:secretsmanager/secretVersion:SecretVersion':
      return { arn: inputs['secretId'], versionId: digest(`${type}::${name}`, 32) };
    case 'random:index/randomPassword:RandomPassword':
      // Deterministic so the synth output is too; the program must mark it secret, resources.json shows "[secret]".
      return { result: `synth-${digest(name, 24)}` };
    default:
      return { arn: arn(`${type.split(':').pop()?.toLowerCase() ?? 'resource'}/${physical}`) };
  }
}

/**
 * Pulumi mocks that answer like AWS would, deterministically: ids and ARNs derive from the resource's type and name,
 * stack references from fixtures, data sources from the region and a fixed account. An unknown data source fails
 * the synth rather than answering `{}`, so a new invoke in a component cannot slip through unmocked.
 *
 * @example
 * pulumi.runtime.setMocks(createSynthMocks({ region: 'us-east-1', stackReferences: [fixture] }), 'TapStack', 'prod');
 */
export function createSynthMocks(options: SynthMockOptions): pulumi.runtime.Mocks {
  const { region } = options;
  return {
    newResource: (args: pulumi.runtime.MockResourceArgs) => {
      if (args.type === 'pulumi:pulumi:StackReference') {
        const ref = String(args.inputs['name']);
        const fixture = options.stackReferences.find((f) => f.stack === ref);
        if (!fixture) {
          const known = options.stackReferences.map((f) => f.stack).join(', ') || 'none';
          throw new SynthError(`no fixture for stack reference ${ref} (fixtures describe: ${known}); add one or fix TapStack:networkingStackRef`);
        }
        return { id: ref, state: { name: ref, outputs: fixture.outputs, secretOutputNames: [] } };
      }
      const id = args.id || `${args.type.split('/').pop()?.split(':')[0]?.toLowerCase() ?? 'res'}-${digest(`${args.type}::${args.name}`, 17)}`;
      return { id, state: { ...args.inputs, ...computedState(args.type, args.name, args.inputs, region) } };
    },
    call: (args: pulumi.runtime.MockCallArgs) => {
      switch (args.token) {
        case 'aws:index/getCallerIdentity:getCallerIdentity':
          return { accountId: SYNTH_ACCOUNT_ID, arn: `arn:aws:iam::${SYNTH_ACCOUNT_ID}:user/synth`, userId: 'AIDASYNTH', id: SYNTH_ACCOUNT_ID };
        case 'aws:index/getPartition:getPartition':
          return { partition: 'aws', dnsSuffix: 'amazonaws.com', reverseDnsPrefix: 'com.amazonaws', id: 'aws' };
        case 'aws:index/getRegion:getRegion':
          return { name: region, region, endpoint: `ec2.${region}.amazonaws.com`, description: region, id: region };
        case 'aws:index/getAvailabilityZones:getAvailabilityZones':
          return { names: ['a', 'b', 'c'].map((z) => `${region}${z}`), zoneIds: [1, 2, 3].map((n) => `use-az${n}`), id: region };
        case 'aws:ec2/getVpc:getVpc': {
          const fixture = options.stackReferences.find((f) => f.outputs['vpcId'] === args.inputs['id']);
          return { id: args.inputs['id'], cidrBlock: fixture?.outputs['vpcCidr'] ?? '10.0.0.0/16' };
        }
        case 'aws:ecr/getAuthorizationToken:getAuthorizationToken':
          return {
            userName: 'AWS',
            password: 'synth-ecr-token',
            authorizationToken: 'synth-ecr-authorization',
            proxyEndpoint: `https://${SYNTH_ACCOUNT_ID}.dkr.ecr.${region}.amazonaws.com`,
            id: region,
          };
        case 'aws:secretsmanager/getRandomPassword:getRandomPassword':
          return { randomPassword: `synth-${digest(JSON.stringify(args.inputs), 24)}`, id: 'synth' };
        default:
          throw new SynthError(`the synth has no mock for data source ${args.token}; add one in apps/tap-stack/src/synth/mocks.ts`);
      }
    },
  };
}
