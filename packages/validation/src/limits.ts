/**
 * AWS's length limits on the physical names the platform sets, by Pulumi type token and the property that holds the
 * name. Checked against the AWS API references (CreateRole, CreateFunction, CreateDBCluster, CreateDBInstance,
 * CreateSecret, PutMetricAlarm, CreateLogGroup, CreateAlias, CreateRepository, CreateSecurityGroup, CreateTopic,
 * PutRolePolicy, CreateDBSubnetGroup, CreateDBClusterParameterGroup). A name over its limit fails the deploy
 * halfway, after everything before it was created; validation rejects such a suffix first, the `aws-name-limits`
 * policy checks every name in the synth.
 */
export const AWS_NAME_LIMITS = {
  'aws:iam/role:Role': { property: 'name', max: 64, what: 'IAM role name' },
  'aws:iam/rolePolicy:RolePolicy': { property: 'name', max: 128, what: 'IAM inline policy name' },
  'aws:lambda/function:Function': { property: 'name', max: 64, what: 'Lambda function name' },
  'aws:rds/cluster:Cluster': { property: 'clusterIdentifier', max: 63, what: 'RDS cluster identifier' },
  'aws:rds/clusterInstance:ClusterInstance': { property: 'identifier', max: 63, what: 'RDS instance identifier' },
  'aws:rds/subnetGroup:SubnetGroup': { property: 'name', max: 255, what: 'DB subnet group name' },
  'aws:rds/clusterParameterGroup:ClusterParameterGroup': { property: 'name', max: 255, what: 'DB cluster parameter group name' },
  'aws:secretsmanager/secret:Secret': { property: 'name', max: 512, what: 'Secrets Manager secret name' },
  'aws:cloudwatch/metricAlarm:MetricAlarm': { property: 'name', max: 255, what: 'CloudWatch alarm name' },
  'aws:cloudwatch/logGroup:LogGroup': { property: 'name', max: 512, what: 'CloudWatch Logs log group name' },
  'aws:kms/alias:Alias': { property: 'name', max: 256, what: 'KMS alias name' },
  'aws:ecr/repository:Repository': { property: 'name', max: 256, what: 'ECR repository name' },
  'aws:ec2/securityGroup:SecurityGroup': { property: 'name', max: 255, what: 'security group name' },
  'aws:sns/topic:Topic': { property: 'name', max: 256, what: 'SNS topic name' },
} as const satisfies Readonly<Record<string, { property: string; max: number; what: string }>>;

/** A Pulumi type token that has a name limit. */
export type NamedResourceType = keyof typeof AWS_NAME_LIMITS;
