import * as cloudwatch from '@pulumi/aws/cloudwatch';
import * as ec2 from '@pulumi/aws/ec2';
import * as rds from '@pulumi/aws/rds';
import * as vpc from '@pulumi/aws/vpc';
import * as pulumi from '@pulumi/pulumi';
import * as random from '@pulumi/random';
import { createCustomerManagedKey } from '@tap/blocks';
import { AURORA_POSTGRES_ENGINE, DATABASE_DEFAULTS, DATABASE_PARAMETERS, FINAL_SNAPSHOT_RANDOM_BYTES, POSTGRES_PORT } from './constants';
import { databaseKeyPolicy } from './keyPolicy';
import { DATABASE_NAMES } from './names';
import type { DatabaseComponentArgs } from './types';
import { assertDatabaseNames, assertDatabaseSettings, assertNotOpenCidr } from './validate';

/**
 * Aurora PostgreSQL cluster in private subnets, encrypted with a customer-managed KMS key, with an RDS-managed
 * master password and a security group that admits 5432 only from the given sources.
 *
 * @example
 * const db = new DatabaseComponent('db', {
 *   environment: 'dev',
 *   environmentSuffix: '001',
 *   vpcId: network.vpcId,
 *   privateSubnetIds: network.privateSubnetIds,
 *   ingressCidrBlocks: [network.vpcCidr],
 * });
 */
export class DatabaseComponent extends pulumi.ComponentResource {
  public readonly kmsKeyArn: pulumi.Output<string>;
  public readonly securityGroupId: pulumi.Output<string>;
  public readonly subnetGroupName: pulumi.Output<string>;
  public readonly clusterIdentifier: pulumi.Output<string>;
  public readonly clusterArn: pulumi.Output<string>;
  /** Writer endpoint. */
  public readonly endpoint: pulumi.Output<string>;
  public readonly readerEndpoint: pulumi.Output<string>;
  public readonly port: pulumi.Output<number>;
  public readonly databaseName: pulumi.Output<string>;
  public readonly masterUsername: pulumi.Output<string>;
  /** Secrets Manager secret holding the RDS-managed master password (never in Pulumi state). */
  public readonly masterUserSecretArn: pulumi.Output<string>;
  public readonly instanceIdentifiers: pulumi.Output<string>[];
  /**
   * The cluster instances. The database answers only once they exist (5–15 minutes each): whatever connects at
   * deploy time (migrations, configuring rotation, alarms on the cluster's metrics) must `dependsOn` them.
   */
  public readonly instances: rds.ClusterInstance[];
  /** The log group the cluster exports PostgreSQL logs to. */
  public readonly logGroupName: pulumi.Output<string>;
  /** The snapshot a delete takes (`aurora-final-{environment}-{suffix}-{hex}`); undefined without `finalSnapshot`. */
  public readonly finalSnapshotIdentifier?: pulumi.Output<string>;

  constructor(name: string, args: DatabaseComponentArgs, opts?: pulumi.ComponentResourceOptions) {
    super('tap:database:DatabaseComponent', name, {}, opts);

    const { environment, environmentSuffix: suffix } = args;
    const engineVersion = args.engineVersion ?? DATABASE_DEFAULTS.engineVersion;
    const instanceClass = args.instanceClass ?? DATABASE_DEFAULTS.instanceClass;
    const instanceCount = args.instanceCount ?? DATABASE_DEFAULTS.instanceCount;
    const backupRetentionDays = args.backupRetentionDays ?? DATABASE_DEFAULTS.backupRetentionDays;
    const databaseName = args.databaseName ?? DATABASE_DEFAULTS.databaseName;
    const masterUsername = args.masterUsername ?? DATABASE_DEFAULTS.masterUsername;
    const ignoreEngineVersionDrift = args.ignoreEngineVersionDrift ?? DATABASE_DEFAULTS.ignoreEngineVersionDrift;
    const logRetentionDays = args.logging?.retentionDays ?? DATABASE_DEFAULTS.logging.retentionDays;
    const deletionProtection = args.deletionProtection ?? DATABASE_DEFAULTS.deletionProtection;
    const finalSnapshot = args.finalSnapshot ?? DATABASE_DEFAULTS.finalSnapshot;
    assertDatabaseSettings({ engineVersion, instanceCount, backupRetentionDays, logRetentionDays });
    // Every name against its AWS limit before any resource exists: a name over it fails the deploy halfway.
    assertDatabaseNames(name, environment, suffix, { instanceCount, createsKey: args.kmsKeyArn === undefined, finalSnapshot });
    // Plain strings fail here, before any resource; Outputs fail when they resolve.
    const ingressCidrBlocks = (args.ingressCidrBlocks ?? []).map((cidr) =>
      typeof cidr === 'string' ? assertNotOpenCidr(cidr) : pulumi.output(cidr).apply(assertNotOpenCidr),
    );
    const ingressSecurityGroupIds = args.ingressSecurityGroupIds ?? [];
    const clusterIdentifier = DATABASE_NAMES.cluster(environment, suffix);

    if (args.kmsKeyArn !== undefined) {
      this.kmsKeyArn = pulumi.output(args.kmsKeyArn);
    } else {
      const { key } = createCustomerManagedKey(
        `${name}-key`,
        {
          description: `Aurora storage and master user secret of ${clusterIdentifier}`,
          policy: ({ accountId, partition, region }) => databaseKeyPolicy(accountId, partition, region),
          aliasName: DATABASE_NAMES.keyAlias(environment, suffix),
        },
        this,
      );
      this.kmsKeyArn = key.arn;
    }

    const securityGroup = new ec2.SecurityGroup(
      `${name}-sg`,
      {
        name: DATABASE_NAMES.securityGroup(environment, suffix),
        description: `Aurora PostgreSQL ${clusterIdentifier}: 5432 from the listed sources only`,
        vpcId: args.vpcId,
        // No inline rules: the provider then removes AWS's default allow-all egress, and every ingress is a separate
        // rule resource below (consumers such as the payment Lambda add their own on securityGroupId).
        tags: { Name: DATABASE_NAMES.securityGroup(environment, suffix) },
      },
      { parent: this },
    );
    ingressCidrBlocks.forEach((cidr, i) => {
      new vpc.SecurityGroupIngressRule(
        `${name}-ingress-cidr-${i}`,
        {
          securityGroupId: securityGroup.id,
          cidrIpv4: cidr,
          ipProtocol: 'tcp',
          fromPort: POSTGRES_PORT,
          toPort: POSTGRES_PORT,
          description: 'PostgreSQL from an allowed CIDR',
        },
        { parent: this },
      );
    });
    ingressSecurityGroupIds.forEach((sourceId, i) => {
      new vpc.SecurityGroupIngressRule(
        `${name}-ingress-sg-${i}`,
        {
          securityGroupId: securityGroup.id,
          referencedSecurityGroupId: sourceId,
          ipProtocol: 'tcp',
          fromPort: POSTGRES_PORT,
          toPort: POSTGRES_PORT,
          description: 'PostgreSQL from an allowed security group',
        },
        { parent: this },
      );
    });

    const subnetGroup = new rds.SubnetGroup(
      `${name}-subnets`,
      {
        name: DATABASE_NAMES.subnetGroup(environment, suffix),
        description: `Private subnets of ${clusterIdentifier}`,
        subnetIds: args.privateSubnetIds,
      },
      { parent: this },
    );

    // TLS is not optional: Aurora accepts plaintext connections unless rds.force_ssl is on (default 0).
    const parameterGroup = new rds.ClusterParameterGroup(
      `${name}-params`,
      {
        name: DATABASE_NAMES.parameterGroup(environment, suffix),
        family: `${AURORA_POSTGRES_ENGINE}${engineVersion.split('.')[0]}`,
        description: `Parameters of ${clusterIdentifier}: TLS required`,
        parameters: Object.entries(DATABASE_PARAMETERS).map(([parameterName, value]) => ({
          name: parameterName,
          value,
          // Applied at creation; on an existing cluster at the next reboot rather than mid-traffic.
          applyMethod: 'pending-reboot',
        })),
        tags: { Name: DATABASE_NAMES.parameterGroup(environment, suffix) },
      },
      { parent: this },
    );

    // RDS creates /aws/rds/cluster/<id>/postgresql on first export with no retention (logs kept forever); created here
    // first, the cluster exports into this group and its retention applies.
    const logGroup = new cloudwatch.LogGroup(
      `${name}-postgresql-logs`,
      { name: DATABASE_NAMES.logGroup(environment, suffix), retentionInDays: logRetentionDays },
      { parent: this },
    );

    // The final snapshot's name is read from state when the cluster is deleted. A fixed name would clash on the second
    // delete of a re-created cluster (DBClusterSnapshotAlreadyExists, the cluster stays): the random part is drawn once
    // per cluster and kept in state, so each cluster's last snapshot has its own name and the synth stays stable.
    const finalSnapshotIdentifier = finalSnapshot
      ? pulumi.interpolate`${DATABASE_NAMES.finalSnapshotPrefix(environment, suffix)}-${new random.RandomId(`${name}-final-snapshot`, { byteLength: FINAL_SNAPSHOT_RANDOM_BYTES, keepers: { clusterIdentifier } }, { parent: this }).hex}`
      : undefined;

    const cluster = new rds.Cluster(
      `${name}-cluster`,
      {
        clusterIdentifier,
        engine: AURORA_POSTGRES_ENGINE,
        // Pinned exactly; instances do not auto-upgrade minor versions (below), so state and code agree. See README.
        engineVersion,
        allowMajorVersionUpgrade: false,
        databaseName,
        masterUsername,
        // RDS generates and stores the password in Secrets Manager: it never enters Pulumi state or outputs.
        manageMasterUserPassword: true,
        masterUserSecretKmsKeyId: this.kmsKeyArn,
        storageEncrypted: true,
        kmsKeyId: this.kmsKeyArn,
        port: POSTGRES_PORT,
        dbSubnetGroupName: subnetGroup.name,
        dbClusterParameterGroupName: parameterGroup.name,
        vpcSecurityGroupIds: [securityGroup.id],
        backupRetentionPeriod: backupRetentionDays,
        enabledCloudwatchLogsExports: ['postgresql'],
        copyTagsToSnapshot: true,
        // Per environment: dev and staging (and every copy) are destroyable without manual steps; prod is protected
        // (RDS refuses the delete until a deployed change lifts it) and keeps a final snapshot.
        skipFinalSnapshot: !finalSnapshot,
        finalSnapshotIdentifier,
        deletionProtection,
        tags: { Name: clusterIdentifier },
      },
      { parent: this, dependsOn: [logGroup], ignoreChanges: ignoreEngineVersionDrift ? ['engineVersion'] : [] },
    );

    const instances = Array.from({ length: instanceCount }, (_unused, i) => {
      const identifier = DATABASE_NAMES.instance(i + 1, environment, suffix);
      return new rds.ClusterInstance(
        `${name}-instance-${i}`,
        {
          identifier,
          clusterIdentifier: cluster.id,
          engine: AURORA_POSTGRES_ENGINE,
          instanceClass,
          dbSubnetGroupName: subnetGroup.name,
          publiclyAccessible: false,
          // Minor upgrades happen when engineVersion changes in code, never behind our back (drift guard).
          autoMinorVersionUpgrade: false,
          promotionTier: i,
          tags: { Name: identifier },
        },
        { parent: this },
      );
    });

    this.securityGroupId = securityGroup.id;
    this.subnetGroupName = subnetGroup.name;
    this.clusterIdentifier = cluster.clusterIdentifier;
    this.clusterArn = cluster.arn;
    this.endpoint = cluster.endpoint;
    this.readerEndpoint = cluster.readerEndpoint;
    this.port = cluster.port;
    this.databaseName = pulumi.output(databaseName);
    this.masterUsername = pulumi.output(masterUsername);
    // Mocks that echo inputs return no masterUserSecrets; the cloud always does when manageMasterUserPassword is on.
    this.masterUserSecretArn = cluster.masterUserSecrets.apply((secrets) => secrets?.[0]?.secretArn ?? '');
    this.instanceIdentifiers = instances.map((instance) => instance.identifier);
    this.instances = instances;
    this.logGroupName = logGroup.name;
    this.finalSnapshotIdentifier = finalSnapshotIdentifier;

    this.registerOutputs({
      kmsKeyArn: this.kmsKeyArn,
      securityGroupId: this.securityGroupId,
      clusterIdentifier: this.clusterIdentifier,
      endpoint: this.endpoint,
      readerEndpoint: this.readerEndpoint,
      port: this.port,
      masterUserSecretArn: this.masterUserSecretArn,
      logGroupName: this.logGroupName,
    });
  }
}
