import { AWS_NAME_LIMITS, type NamedResourceType } from './limits';
import type { EnvironmentName } from './types';

/** One physical name the tap-stack creates, as a function of the environment, the suffix and the instance count. */
export interface StackPhysicalName {
  /** What carries the name, for messages, e.g. `migration function role`. */
  resource: string;
  /** Pulumi type token; its AWS limit is `AWS_NAME_LIMITS[type]`. */
  type: NamedResourceType;
  /** The name the stack gives it. */
  name: (environment: EnvironmentName, suffix: string, instanceCount: number) => string;
}

const n = (type: string) => (environment: EnvironmentName, suffix: string) => `${type}-${environment}-${suffix}`;

/**
 * Every physical name the tap-stack derives from the environment suffix. Validation rejects a suffix that would push
 * any of them past its AWS limit before a resource exists; a tap-stack test proves each name in the synth is listed
 * here, and the `aws-name-limits` policy checks the synth itself.
 */
export const STACK_PHYSICAL_NAMES: readonly StackPhysicalName[] = [
  { resource: 'stack key alias', type: 'aws:kms/alias:Alias', name: (e, s) => `alias/${n('tap-key')(e, s)}` },
  { resource: 'Aurora cluster', type: 'aws:rds/cluster:Cluster', name: n('aurora-cluster') },
  { resource: 'Aurora instance', type: 'aws:rds/clusterInstance:ClusterInstance', name: (e, s, count) => n(`aurora-instance-${count}`)(e, s) },
  { resource: 'Aurora security group', type: 'aws:ec2/securityGroup:SecurityGroup', name: n('aurora-sg') },
  { resource: 'Aurora subnet group', type: 'aws:rds/subnetGroup:SubnetGroup', name: n('aurora-subnet-group') },
  { resource: 'Aurora parameter group', type: 'aws:rds/clusterParameterGroup:ClusterParameterGroup', name: n('aurora-params') },
  { resource: 'Aurora PostgreSQL log group', type: 'aws:cloudwatch/logGroup:LogGroup', name: (e, s) => `/aws/rds/cluster/${n('aurora-cluster')(e, s)}/postgresql` },
  { resource: 'database credentials secret', type: 'aws:secretsmanager/secret:Secret', name: (e, s) => `${e}-db-credentials-${s}` },
  { resource: 'rotation function', type: 'aws:lambda/function:Function', name: n('db-rotation') },
  { resource: 'rotation function role', type: 'aws:iam/role:Role', name: n('db-rotation-role') },
  { resource: 'rotation function policy', type: 'aws:iam/rolePolicy:RolePolicy', name: n('db-rotation-policy') },
  { resource: 'rotation function security group', type: 'aws:ec2/securityGroup:SecurityGroup', name: n('rotation-sg') },
  { resource: 'rotation function log group', type: 'aws:cloudwatch/logGroup:LogGroup', name: (e, s) => `/aws/lambda/${n('db-rotation')(e, s)}` },
  { resource: 'payment function', type: 'aws:lambda/function:Function', name: n('payment-processor') },
  { resource: 'payment image repository', type: 'aws:ecr/repository:Repository', name: n('payment-processor') },
  { resource: 'payment function role', type: 'aws:iam/role:Role', name: n('payment-processor-role') },
  { resource: 'payment function policy', type: 'aws:iam/rolePolicy:RolePolicy', name: n('payment-processor-policy') },
  { resource: 'payment function security group', type: 'aws:ec2/securityGroup:SecurityGroup', name: n('lambda-sg') },
  { resource: 'payment function log group', type: 'aws:cloudwatch/logGroup:LogGroup', name: (_e, s) => `/aws/lambda/payment-processor-${s}` },
  { resource: 'migration function', type: 'aws:lambda/function:Function', name: n('payment-processor-migrate') },
  { resource: 'migration function role', type: 'aws:iam/role:Role', name: n('payment-processor-migrate-role') },
  { resource: 'migration function policy', type: 'aws:iam/rolePolicy:RolePolicy', name: n('payment-processor-migrate-policy') },
  { resource: 'migration function log group', type: 'aws:cloudwatch/logGroup:LogGroup', name: (_e, s) => `/aws/lambda/payment-processor-migrate-${s}` },
  { resource: 'alarm topic', type: 'aws:sns/topic:Topic', name: n('alarms-topic') },
  ...(['lambda', 'rotation', 'migrate'] as const).flatMap((fn) =>
    (['errors', 'duration'] as const).map(
      (metric): StackPhysicalName => ({ resource: `${fn} ${metric} alarm`, type: 'aws:cloudwatch/metricAlarm:MetricAlarm', name: n(`${fn}-${metric}-alarm`) }),
    ),
  ),
  { resource: 'Aurora CPU alarm', type: 'aws:cloudwatch/metricAlarm:MetricAlarm', name: n('aurora-cpu-alarm') },
  { resource: 'Aurora connections alarm', type: 'aws:cloudwatch/metricAlarm:MetricAlarm', name: n('aurora-connections-alarm') },
  { resource: 'application log group', type: 'aws:cloudwatch/logGroup:LogGroup', name: (e, s) => `/aws/application/${e}-${s}` },
];

/** The name of the tap-stack that first breaks its AWS limit with `suffix`, or nothing when all fit. */
export interface NameLimitBreach {
  resource: string;
  type: NamedResourceType;
  name: string;
  limit: number;
  /** The longest suffix with which every name of this environment fits. */
  maxSuffixLength: number;
}

/**
 * The longest environment suffix with which every tap-stack name of `environment` stays within AWS's limits.
 *
 * @example
 * maxEnvironmentSuffixLength('staging', 2); // 25: "payment-processor-migrate-role-staging-<suffix>" must fit IAM's 64
 */
export function maxEnvironmentSuffixLength(environment: EnvironmentName, instanceCount: number): number {
  return Math.min(
    ...STACK_PHYSICAL_NAMES.map((entry) => AWS_NAME_LIMITS[entry.type].max - entry.name(environment, '', instanceCount).length),
  );
}

/**
 * The tap-stack name that `suffix` pushes furthest past its AWS limit, or `undefined` when every name fits.
 *
 * @example
 * nameLimitBreach('staging', 'a'.repeat(26), 2)?.resource; // 'migration function role'
 */
export function nameLimitBreach(environment: EnvironmentName, suffix: string, instanceCount: number): NameLimitBreach | undefined {
  const over = STACK_PHYSICAL_NAMES.map((entry) => {
    const name = entry.name(environment, suffix, instanceCount);
    return { entry, name, excess: name.length - AWS_NAME_LIMITS[entry.type].max };
  })
    .filter((x) => x.excess > 0)
    .sort((a, b) => b.excess - a.excess)[0];
  if (!over) return undefined;
  return {
    resource: over.entry.resource,
    type: over.entry.type,
    name: over.name,
    limit: AWS_NAME_LIMITS[over.entry.type].max,
    maxSuffixLength: maxEnvironmentSuffixLength(environment, instanceCount),
  };
}
