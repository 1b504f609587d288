import * as cloudwatch from '@pulumi/aws/cloudwatch';
import * as ec2 from '@pulumi/aws/ec2';
import * as iam from '@pulumi/aws/iam';
import * as lambda from '@pulumi/aws/lambda';
import * as vpc from '@pulumi/aws/vpc';
import * as pulumi from '@pulumi/pulumi';
import { HTTPS_PORT, POSTGRES_PORT } from './constants';
import { lambdaAssumeRolePolicy } from './iamStatements';
import { assertNamesFit } from './nameLimits';

/**
 * Logical names of the network resources. They are part of each resource's URN: a changed name replaces the resource
 * on a deployed stack, so callers that already have resources pass the names those have.
 */
export interface VpcFunctionNetworkLogicalNames {
  /** Default: `{name}-sg`. */
  securityGroup: string;
  /** Default: `{name}-egress-db`. */
  egressDb: string;
  /** Default: `{name}-db-ingress`. */
  dbIngress: string;
  /** Default: `{name}-egress-db-cidr-{i}`. */
  egressDbCidr: (index: number) => string;
  /** Default: `{name}-egress-https-{i}`. */
  egressHttps: (index: number) => string;
}

/** Arguments of {@link createVpcFunctionNetwork}. */
export interface VpcFunctionNetworkArgs {
  /** Physical name of the security group (also its `Name` tag). Required. */
  securityGroupName: string;
  /** Description of the security group. Required. */
  description: string;
  /** VPC of the security group. Required. */
  vpcId: pulumi.Input<string>;
  /**
   * Database security group: egress 5432 to it, and ingress 5432 from the function's group on it (the rule lives on
   * the database's group but belongs to the caller: the database never needs to know its clients). Default: none.
   */
  databaseSecurityGroupId?: pulumi.Input<string>;
  /** Physical name of the function the group is for (named in the database ingress rule's description). Required. */
  functionName: string;
  /** CIDRs reachable on 5432, when the database is admitted by CIDR rather than by group. Default: none. */
  databaseEgressCidrBlocks?: pulumi.Input<string>[];
  /** CIDRs reachable on 443 (Secrets Manager through the VPC's interface endpoint). Default: none. */
  httpsEgressCidrBlocks?: pulumi.Input<string>[];
  /** Tags of the security group, besides `Name`. Default: none. */
  tags?: Record<string, string>;
  /** Logical names, for callers whose resources already exist under other names. Default: derived from `name`. */
  logicalNames?: Partial<VpcFunctionNetworkLogicalNames>;
}

/** What {@link createVpcFunctionNetwork} creates. */
export interface VpcFunctionNetwork {
  securityGroup: ec2.SecurityGroup;
  /** Every egress and ingress rule: what must exist before the function can reach the database and Secrets Manager. */
  rules: pulumi.Resource[];
}

/**
 * A function's security group with no inline rules (so no default allow-all egress) and one rule resource each for
 * PostgreSQL to the database and HTTPS to the given CIDRs. Plain resources under `parent`, not a component: their URNs
 * are those the callers always had.
 *
 * @example
 * const network = createVpcFunctionNetwork('payments', {
 *   securityGroupName: 'lambda-sg-dev-001',
 *   description: 'payment-processor-dev-001: egress to the database and AWS APIs only',
 *   vpcId: 'vpc-1',
 *   databaseSecurityGroupId: 'sg-db',
 *   functionName: 'payment-processor-dev-001',
 *   httpsEgressCidrBlocks: ['10.0.0.0/16'],
 * }, component);
 */
export function createVpcFunctionNetwork(name: string, args: VpcFunctionNetworkArgs, parent: pulumi.Resource): VpcFunctionNetwork {
  assertNamesFit('createVpcFunctionNetwork', name, [{ what: 'security group name', type: 'aws:ec2/securityGroup:SecurityGroup', name: args.securityGroupName }]);
  const names: VpcFunctionNetworkLogicalNames = {
    securityGroup: `${name}-sg`,
    egressDb: `${name}-egress-db`,
    dbIngress: `${name}-db-ingress`,
    egressDbCidr: (i) => `${name}-egress-db-cidr-${i}`,
    egressHttps: (i) => `${name}-egress-https-${i}`,
    ...args.logicalNames,
  };
  const securityGroup = new ec2.SecurityGroup(
    names.securityGroup,
    {
      name: args.securityGroupName,
      description: args.description,
      vpcId: args.vpcId,
      tags: { ...args.tags, Name: args.securityGroupName },
    },
    { parent },
  );
  const postgres = { ipProtocol: 'tcp', fromPort: POSTGRES_PORT, toPort: POSTGRES_PORT };
  const rules: pulumi.Resource[] = [];
  if (args.databaseSecurityGroupId !== undefined) {
    rules.push(
      new vpc.SecurityGroupEgressRule(
        names.egressDb,
        {
          securityGroupId: securityGroup.id,
          referencedSecurityGroupId: args.databaseSecurityGroupId,
          ...postgres,
          description: 'PostgreSQL to the database security group',
        },
        { parent },
      ),
      new vpc.SecurityGroupIngressRule(
        names.dbIngress,
        {
          securityGroupId: args.databaseSecurityGroupId,
          referencedSecurityGroupId: securityGroup.id,
          ...postgres,
          description: `PostgreSQL from ${args.functionName}`,
        },
        { parent },
      ),
    );
  }
  (args.databaseEgressCidrBlocks ?? []).forEach((cidr, i) => {
    rules.push(
      new vpc.SecurityGroupEgressRule(
        names.egressDbCidr(i),
        { securityGroupId: securityGroup.id, cidrIpv4: cidr, ...postgres, description: 'PostgreSQL' },
        { parent },
      ),
    );
  });
  (args.httpsEgressCidrBlocks ?? []).forEach((cidr, i) => {
    rules.push(
      new vpc.SecurityGroupEgressRule(
        names.egressHttps(i),
        {
          securityGroupId: securityGroup.id,
          cidrIpv4: cidr,
          ipProtocol: 'tcp',
          fromPort: HTTPS_PORT,
          toPort: HTTPS_PORT,
          description: 'HTTPS to the Secrets Manager VPC endpoint',
        },
        { parent },
      ),
    );
  });
  return { securityGroup, rules };
}

/** Logical names of the function's resources (part of their URNs; see {@link VpcFunctionNetworkLogicalNames}). */
export interface VpcFunctionLogicalNames {
  /** Default: `{name}-logs`. */
  logGroup: string;
  /** Default: `{name}-role`. */
  role: string;
  /** Default: `{name}-role-policy`. */
  rolePolicy: string;
  /** Default: `{name}-function`. */
  function: string;
}

/** The function's own settings; the block sets `name`, `role`, `vpcConfig`, `loggingConfig` and `tags`. */
export type VpcFunctionSettings = Omit<lambda.FunctionArgs, 'name' | 'role' | 'vpcConfig' | 'loggingConfig' | 'tags'>;

/** Arguments of {@link createVpcFunction}. */
export interface VpcFunctionArgs {
  /** Physical name of the function. Required. */
  functionName: string;
  /** Private subnets the function runs in. Required. */
  privateSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * The function's security group: either one created here (see {@link createVpcFunctionNetwork}) or the id of an
   * existing one, e.g. shared with another function. Required.
   */
  network: Omit<VpcFunctionNetworkArgs, 'functionName'> | { securityGroupId: pulumi.Input<string> };
  /** Name of the log group, e.g. `/aws/lambda/{functionName}`; the function writes there (`loggingConfig`). Required. */
  logGroupName: string;
  /** Retention of the log group in days. Required. */
  logRetentionDays: number;
  /** Physical name of the execution role. Required. */
  roleName: string;
  /** Physical name of the role's inline policy. Required. */
  policyName: string;
  /**
   * The inline policy document, given the log group's ARN (see `writeOwnLogGroupStatement`,
   * `vpcNetworkInterfacesStatement`, `policyDocument`). Required.
   */
  policy: (logGroupArn: pulumi.Output<string>) => pulumi.Input<string>;
  /** Runtime or image, handler, memory, timeout, concurrency, environment… Required. */
  settings: VpcFunctionSettings;
  /** Tags of the log group, role, function (and security group). Default: none. */
  tags?: Record<string, string>;
  /** What the function waits for besides its role policy and log group, e.g. a migration. Default: none. */
  dependsOn?: pulumi.Resource[];
  /** Logical names, for callers whose resources already exist under other names. Default: derived from `name`. */
  logicalNames?: Partial<VpcFunctionLogicalNames>;
}

/** What {@link createVpcFunction} creates. */
export interface VpcFunction {
  /** Only when `network` creates the security group. */
  network: VpcFunctionNetwork | undefined;
  securityGroupId: pulumi.Output<string>;
  logGroup: cloudwatch.LogGroup;
  role: iam.Role;
  rolePolicy: iam.RolePolicy;
  fn: lambda.Function;
}

/**
 * A Lambda function in the VPC: security group and rules (or an existing group), log group with retention, execution
 * role with one inline policy, and the function, which waits for its policy (CreateFunction with a VPC config needs
 * the ENI permissions) and its log group (so the first invocation writes where the retention applies). Plain resources
 * under `parent`, not a component: their URNs are those the callers always had.
 *
 * @example
 * const rotation = createVpcFunction('secrets-rotation', {
 *   functionName: 'db-rotation-dev-001',
 *   privateSubnetIds: ['subnet-a', 'subnet-b'],
 *   network: { securityGroupName: 'rotation-sg-dev-001', description: 'rotation', vpcId: 'vpc-1' },
 *   logGroupName: '/aws/lambda/db-rotation-dev-001',
 *   logRetentionDays: 30,
 *   roleName: 'db-rotation-role-dev-001',
 *   policyName: 'db-rotation-policy-dev-001',
 *   policy: (logGroupArn) => logGroupArn.apply((arn) => policyDocument([writeOwnLogGroupStatement(arn), vpcNetworkInterfacesStatement()])),
 *   settings: { runtime: 'nodejs22.x', handler: 'index.handler', code: new pulumi.asset.FileArchive('dist/rotation') },
 * }, component);
 */
export function createVpcFunction(name: string, args: VpcFunctionArgs, parent: pulumi.Resource): VpcFunction {
  assertNamesFit('createVpcFunction', name, [
    { what: 'function name', type: 'aws:lambda/function:Function', name: args.functionName },
    { what: 'log group name', type: 'aws:cloudwatch/logGroup:LogGroup', name: args.logGroupName },
    { what: 'role name', type: 'aws:iam/role:Role', name: args.roleName },
    { what: 'role policy name', type: 'aws:iam/rolePolicy:RolePolicy', name: args.policyName },
  ]);
  const names: VpcFunctionLogicalNames = {
    logGroup: `${name}-logs`,
    role: `${name}-role`,
    rolePolicy: `${name}-role-policy`,
    function: `${name}-function`,
    ...args.logicalNames,
  };
  const tagged = args.tags === undefined ? {} : { tags: args.tags };
  let network: VpcFunctionNetwork | undefined;
  let securityGroupId: pulumi.Output<string>;
  if ('securityGroupId' in args.network) {
    securityGroupId = pulumi.output(args.network.securityGroupId);
  } else {
    network = createVpcFunctionNetwork(name, { tags: args.tags, ...args.network, functionName: args.functionName }, parent);
    securityGroupId = network.securityGroup.id;
  }

  const logGroup = new cloudwatch.LogGroup(
    names.logGroup,
    { name: args.logGroupName, retentionInDays: args.logRetentionDays, ...tagged },
    { parent },
  );
  const role = new iam.Role(names.role, { name: args.roleName, assumeRolePolicy: lambdaAssumeRolePolicy(), ...tagged }, { parent });
  const rolePolicy = new iam.RolePolicy(
    names.rolePolicy,
    { name: args.policyName, role: role.id, policy: args.policy(logGroup.arn) },
    { parent },
  );
  const fn = new lambda.Function(
    names.function,
    {
      ...args.settings,
      name: args.functionName,
      role: role.arn,
      vpcConfig: { subnetIds: args.privateSubnetIds, securityGroupIds: [securityGroupId] },
      loggingConfig: { logFormat: 'JSON', logGroup: logGroup.name },
      ...tagged,
    },
    { parent, dependsOn: [rolePolicy, logGroup, ...(args.dependsOn ?? [])] },
  );
  return { network, securityGroupId, logGroup, role, rolePolicy, fn };
}
