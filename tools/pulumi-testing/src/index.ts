// Pulumi mocks shared by the component packages' tests: every resource and invoke is recorded, AWS answers are deterministic.
import { createHash } from 'node:crypto';
import * as pulumi from '@pulumi/pulumi';

/* eslint-disable @typescript-eslint/no-explicit-any -- mock inputs/state are untyped by Pulumi's MockResourceArgs */

export const ACCOUNT_ID = '123456789012';
export const REGION = 'us-east-1';
/** What the mocked ECR authorization token returns as password: tests check it never reaches an output. */
export const ECR_PASSWORD = 'ecr-token-password-PLAINTEXT';

export interface RecordedResource {
  type: string;
  name: string;
  inputs: Record<string, any>;
}

export interface MockOptions {
  /** Outputs of each stack reference, by fully qualified stack name. */
  stackOutputs?: Record<string, Record<string, unknown>>;
  /** CIDR returned by `aws.ec2.getVpc`. */
  vpcCidr?: string;
}

export interface Mocks {
  resources: RecordedResource[];
  calls: { token: string; inputs: Record<string, any> }[];
  options: MockOptions;
}

function stateFor(type: string, name: string, inputs: Record<string, any>): Record<string, any> {
  const arn = (service: string, resource: string) => `arn:aws:${service}:${REGION}:${ACCOUNT_ID}:${resource}`;
  switch (type) {
    case 'pulumi:pulumi:StackReference':
      return {};
    case 'aws:kms/key:Key':
      return { arn: arn('kms', `key/${name}`), keyId: name };
    case 'aws:rds/cluster:Cluster':
      return {
        arn: arn('rds', `cluster:${inputs.clusterIdentifier}`),
        endpoint: `${inputs.clusterIdentifier}.cluster-abc.${REGION}.rds.amazonaws.com`,
        readerEndpoint: `${inputs.clusterIdentifier}.cluster-ro-abc.${REGION}.rds.amazonaws.com`,
        port: inputs.port ?? 5432,
        masterUserSecrets: [
          {
            secretArn: arn('secretsmanager', `secret:rds!cluster-${name}-AbCdEf`),
            kmsKeyId: inputs.masterUserSecretKmsKeyId,
            secretStatus: 'active',
          },
        ],
      };
    case 'aws:ec2/securityGroup:SecurityGroup':
      return { arn: arn('ec2', `security-group/sg-${name}`) };
    case 'aws:ecr/repository:Repository':
      return {
        arn: arn('ecr', `repository/${inputs.name}`),
        registryId: ACCOUNT_ID,
        repositoryUrl: `${ACCOUNT_ID}.dkr.ecr.${REGION}.amazonaws.com/${inputs.name}`,
      };
    case 'docker:index/image:Image': {
      const imageName = String(inputs.imageName);
      const digest = createHash('sha256').update(imageName).digest('hex');
      return { repoDigest: `${imageName.replace(/:[^:/]+$/, '')}@sha256:${digest}`, baseImageName: imageName };
    }
    case 'aws:lambda/function:Function':
      return { arn: arn('lambda', `function:${inputs.name}`) };
    case 'aws:lambda/functionUrl:FunctionUrl':
      return { functionUrl: `https://${name}.lambda-url.${REGION}.on.aws/` };
    case 'aws:cloudwatch/logGroup:LogGroup':
      return { arn: arn('logs', `log-group:${inputs.name}`) };
    case 'aws:sns/topic:Topic':
      return { arn: arn('sns', String(inputs.name)) };
    case 'aws:iam/role:Role':
      return { arn: `arn:aws:iam::${ACCOUNT_ID}:role/${inputs.name}` };
    case 'aws:cloudwatch/metricAlarm:MetricAlarm':
      return { arn: arn('cloudwatch', `alarm:${inputs.name}`) };
    default:
      return { arn: arn('mock', `${type}/${name}`) };
  }
}

/**
 * Installs Pulumi mocks that record every resource and invoke, and returns the recording.
 * Call once per test file, before constructing components.
 */
export function installMocks(options: MockOptions = {}): Mocks {
  const mocks: Mocks = { resources: [], calls: [], options};
  pulumi.runtime.setMocks(
    {
      newResource: (args: pulumi.runtime.MockResourceArgs) => {
        mocks.resources.push({ type: args.type, name: args.name, inputs: args.inputs });
        if (args.type === 'pulumi:pulumi:StackReference') {
          const outputs = mocks.options.stackOutputs?.[String(args.inputs.name)] ?? {};
          return { id: String(args.inputs.name), state: { name: args.inputs.name, outputs, secretOutputNames: [] } };
        }
        return { id: `${args.name}-id`, state: { ...args.inputs, ...stateFor(args.type, args.name, args.inputs) } };
      },
      call: (args: pulumi.runtime.MockCallArgs) => {
        mocks.calls.push({ token: args.token, inputs: args.inputs });
        switch (args.token) {
          case 'aws:index/getCallerIdentity:getCallerIdentity':
            return { accountId: ACCOUNT_ID, arn: `arn:aws:iam::${ACCOUNT_ID}:user/ci`, userId: 'AIDA', id: ACCOUNT_ID };
          case 'aws:index/getPartition:getPartition':
            return { partition: 'aws', dnsSuffix: 'amazonaws.com', id: 'aws' };
          case 'aws:index/getRegion:getRegion':
            return { name: REGION, region: REGION, id: REGION };
          case 'aws:ec2/getVpc:getVpc':
            return { id: args.inputs.id, cidrBlock: mocks.options.vpcCidr ?? '10.99.0.0/16' };
          case 'aws:ecr/getAuthorizationToken:getAuthorizationToken':
            return { userName: 'AWS', password: ECR_PASSWORD, proxyEndpoint: `https://${ACCOUNT_ID}.dkr.ecr.${REGION}.amazonaws.com` };
          default:
            return {};
        }
      },
    },
    'tap',
    'unit',
    false,
  );
  return mocks;
}

/** Resolves with the value of an Output (never resolves for an Output that fails). */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((value) => resolve(value)));
}

/** Waits until no new resource has been registered for a few event-loop turns. */
export async function flush(mocks: Mocks): Promise<void> {
  let stable = 0;
  let last = -1;
  while (stable < 5) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    if (mocks.resources.length === last) stable += 1;
    else {
      stable = 0;
      last = mocks.resources.length;
    }
  }
}

/** Resources of `type` whose logical name starts with `prefix`. */
export function ofType(mocks: Mocks, prefix: string, type: string): RecordedResource[] {
  return mocks.resources.filter((r) => r.type === type && r.name.startsWith(prefix));
}

/** The single resource of `type` under `prefix`; fails when there is not exactly one. */
export function one(mocks: Mocks, prefix: string, type: string): RecordedResource {
  const found = ofType(mocks, prefix, type);
  if (found.length !== 1) throw new Error(`expected one ${type} under ${prefix}, found ${found.length}`);
  return found[0];
}


export { recordGraph, type GraphRecording, type GraphResource } from './graph';
