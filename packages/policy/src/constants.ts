import { VPC_NETWORK_INTERFACE_ACTIONS } from '@tap/validation';

/** Name of the CrossGuard pack built from {@link policies} (tools/policy-pack). */
export const POLICY_PACK_NAME = 'tap-security';

/** The platform's environments (mirrors `ENVIRONMENT_NAMES` of @tap/validation). */
export const ENVIRONMENTS = ['dev', 'staging', 'prod'] as const;

/**
 * Stack tags the pack reads. Set them with `pulumi stack tag set <tag> <value>` when the stack name alone does not
 * say the environment (the tap-stack's stacks are named after it: dev, staging, prod).
 */
export const STACK_TAGS = {
  environment: 'tap:environment',
  environmentSuffix: 'tap:environmentSuffix',
  project: 'pulumi:project',
} as const;

/** Thresholds of the mandatory policies. */
export const LIMITS = {
  minBackupRetentionDays: 7,
  minProdClusterInstances: 2,
  minKmsDeletionWindowDays: 7,
  maxKmsDeletionWindowDays: 30,
  /** AWS's default when `deletionWindowInDays` is omitted. */
  defaultKmsDeletionWindowDays: 30,
  maxRotationDays: 30,
  minLogRetentionDays: 30,
  /** Lambda's default timeout when `timeout` is omitted. */
  defaultLambdaTimeoutSeconds: 3,
} as const;

/**
 * Actions AWS offers no resource-level permissions for, so `Resource: "*"` is the only way to grant them:
 * the network-interface actions a VPC Lambda needs, and Secrets Manager's password generator used by rotation.
 */
export const WILDCARD_RESOURCE_ACTIONS = [...VPC_NETWORK_INTERFACE_ACTIONS, 'secretsmanager:GetRandomPassword'] as const;

/** AWS-managed KMS keys: encryption with them is not customer-managed. */
export const AWS_MANAGED_KEY_ALIAS = /(^|:)alias\/aws\//;

/** CIDR blocks that mean "anyone". */
export const OPEN_CIDRS = ['0.0.0.0/0', '::/0'] as const;

/** Private IPv4 ranges (RFC 1918): the fallback for database ingress when the VPC CIDR is not in the stack. */
export const PRIVATE_IPV4_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'] as const;

/** Default ports of the RDS engines; a cluster without `port` listens on its engine's. */
export const ENGINE_PORTS: Readonly<Record<string, number>> = {
  'aurora-postgresql': 5432,
  postgres: 5432,
  'aurora-mysql': 3306,
  aurora: 3306,
  mysql: 3306,
};

/** A secret is treated as database credentials when its name, description or tags match this. */
export const DATABASE_SECRET_PATTERN = /(^|[^a-z])(db|database|rds|aurora|postgres(ql)?|mysql)([^a-z]|$)|credentials/i;

/**
 * Log groups whose name the platform fixes without the environment (`/aws/lambda/payment-processor-{suffix}`, the platform's documented name):
 * they must still carry the environment suffix.
 */
export const SUFFIX_ONLY_NAME_PREFIXES = ['/aws/lambda/'] as const;

/** What the offline synth writes in place of secret values. */
export const SECRET_PLACEHOLDER = '[secret]';

/** What the offline synth writes where a value is unknown (the engine sends its unknown sentinel instead). */
export const UNKNOWN_PLACEHOLDER = '[unknown]';

/** Resource types, as @pulumi/aws 7 registers them. */
export const TYPES = {
  cluster: 'aws:rds/cluster:Cluster',
  clusterInstance: 'aws:rds/clusterInstance:ClusterInstance',
  subnetGroup: 'aws:rds/subnetGroup:SubnetGroup',
  clusterParameterGroup: 'aws:rds/clusterParameterGroup:ClusterParameterGroup',
  kmsKey: 'aws:kms/key:Key',
  kmsAlias: 'aws:kms/alias:Alias',
  secret: 'aws:secretsmanager/secret:Secret',
  secretRotation: 'aws:secretsmanager/secretRotation:SecretRotation',
  lambdaFunction: 'aws:lambda/function:Function',
  functionUrl: 'aws:lambda/functionUrl:FunctionUrl',
  lambdaPermission: 'aws:lambda/permission:Permission',
  role: 'aws:iam/role:Role',
  rolePolicy: 'aws:iam/rolePolicy:RolePolicy',
  userPolicy: 'aws:iam/userPolicy:UserPolicy',
  groupPolicy: 'aws:iam/groupPolicy:GroupPolicy',
  iamPolicy: 'aws:iam/policy:Policy',
  rolePolicyAttachment: 'aws:iam/rolePolicyAttachment:RolePolicyAttachment',
  policyAttachment: 'aws:iam/policyAttachment:PolicyAttachment',
  userPolicyAttachment: 'aws:iam/userPolicyAttachment:UserPolicyAttachment',
  groupPolicyAttachment: 'aws:iam/groupPolicyAttachment:GroupPolicyAttachment',
  rolePolicyAttachmentsExclusive: 'aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive',
  securityGroup: 'aws:ec2/securityGroup:SecurityGroup',
  securityGroupRule: 'aws:ec2/securityGroupRule:SecurityGroupRule',
  ingressRule: 'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule',
  vpc: 'aws:ec2/vpc:Vpc',
  subnet: 'aws:ec2/subnet:Subnet',
  logGroup: 'aws:cloudwatch/logGroup:LogGroup',
  metricAlarm: 'aws:cloudwatch/metricAlarm:MetricAlarm',
  topic: 'aws:sns/topic:Topic',
  ecrRepository: 'aws:ecr/repository:Repository',
  awsProvider: 'pulumi:providers:aws',
  stackReference: 'pulumi:pulumi:StackReference',
} as const;

/** Exit codes of the `tap-policy` CLI. */
export const EXIT_CODES = { ok: 0, violations: 1, badInput: 2 } as const;

/** Report formats of the `tap-policy` CLI. */
export const OUTPUT_FORMATS = ['text', 'json', 'markdown'] as const;
