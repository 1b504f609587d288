import { resourceName, type EnvironmentName, type StackPhysicalName } from '@tap/validation';

type Env = EnvironmentName;

/**
 * The physical names DatabaseComponent gives its resources: its resources and its name check both read these.
 *
 * @example
 * DATABASE_NAMES.instance(2, 'prod', '001'); // 'aurora-instance-2-prod-001'
 */
export const DATABASE_NAMES = {
  cluster: (environment: Env, suffix: string) => resourceName('aurora-cluster', environment, suffix),
  /** Instance `index` counts from 1. */
  instance: (index: number, environment: Env, suffix: string) => resourceName(`aurora-instance-${index}`, environment, suffix),
  securityGroup: (environment: Env, suffix: string) => resourceName('aurora-sg', environment, suffix),
  subnetGroup: (environment: Env, suffix: string) => resourceName('aurora-subnet-group', environment, suffix),
  parameterGroup: (environment: Env, suffix: string) => resourceName('aurora-params', environment, suffix),
  logGroup: (environment: Env, suffix: string) => `/aws/rds/cluster/${DATABASE_NAMES.cluster(environment, suffix)}/postgresql`,
  /** Only when the component creates its own key (no `kmsKeyArn`). */
  keyAlias: (environment: Env, suffix: string) => `alias/${resourceName('aurora-key', environment, suffix)}`,
  /** The final snapshot identifier's fixed part; a random hex follows it. */
  finalSnapshotPrefix: (environment: Env, suffix: string) => resourceName('aurora-final', environment, suffix),
} as const;

/**
 * Every physical name DatabaseComponent creates whose limit is its resource's own (`AWS_NAME_LIMITS`); the instance
 * entry is the last (longest) of `instanceCount`. The key alias counts only when `createsKey`; the final snapshot
 * identifier has a limit of its own and is checked by the component (`OTHER_NAME_LIMITS`).
 *
 * @example
 * databasePhysicalNames({ createsKey: false }).map((n) => n.name('dev', '001', 1)); // ['aurora-cluster-dev-001', 'aurora-instance-1-dev-001', …]
 */
export function databasePhysicalNames(options: { createsKey: boolean }): StackPhysicalName[] {
  return [
    { resource: 'Aurora cluster', type: 'aws:rds/cluster:Cluster', name: DATABASE_NAMES.cluster },
    { resource: 'Aurora instance', type: 'aws:rds/clusterInstance:ClusterInstance', name: (environment, suffix, count) => DATABASE_NAMES.instance(count, environment, suffix) },
    { resource: 'Aurora security group', type: 'aws:ec2/securityGroup:SecurityGroup', name: DATABASE_NAMES.securityGroup },
    { resource: 'Aurora subnet group', type: 'aws:rds/subnetGroup:SubnetGroup', name: DATABASE_NAMES.subnetGroup },
    { resource: 'Aurora parameter group', type: 'aws:rds/clusterParameterGroup:ClusterParameterGroup', name: DATABASE_NAMES.parameterGroup },
    { resource: 'Aurora PostgreSQL log group', type: 'aws:cloudwatch/logGroup:LogGroup', name: DATABASE_NAMES.logGroup },
    ...(options.createsKey ? [{ resource: 'Aurora key alias', type: 'aws:kms/alias:Alias', name: DATABASE_NAMES.keyAlias } as const] : []),
  ];
}
