import type * as pulumi from '@pulumi/pulumi';
import type { EnvironmentName } from '@tap/validation';

/** Arguments of {@link DatabaseComponent}. */
export interface DatabaseComponentArgs {
  /** Environment name, part of every physical name. Required. */
  environment: EnvironmentName;
  /** Suffix of every physical name (`aurora-cluster-{environment}-{environmentSuffix}`). Required. */
  environmentSuffix: string;
  /** VPC of the cluster's security group. Required. */
  vpcId: pulumi.Input<string>;
  /** Private subnets of the cluster's subnet group (one per AZ). Required. */
  privateSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /** CIDR blocks admitted on 5432 (e.g. the VPC CIDR). `0.0.0.0/0` and `::/0` are rejected. Default: none. */
  ingressCidrBlocks?: pulumi.Input<string>[];
  /** Security groups admitted on 5432. Default: none (consumers can add rules on `securityGroupId`). */
  ingressSecurityGroupIds?: pulumi.Input<string>[];
  /** Customer-managed KMS key for storage and the master user secret. Default: a key created by the component. */
  kmsKeyArn?: pulumi.Input<string>;
  /** Exact Aurora PostgreSQL version (`major.minor`). Default: `15.10` (`AURORA_POSTGRES_VERSION` of @tap/validation). */
  engineVersion?: string;
  /** Instance class of every cluster instance. Default: `db.r6g.large`. */
  instanceClass?: string;
  /** Number of cluster instances (first is the writer). Default: 2. */
  instanceCount?: number;
  /** Days of automated backups, 1–35. Default: 7. */
  backupRetentionPeriod?: number;
  /** Initial database. Default: `payments`. */
  databaseName?: string;
  /** Master user name; its password is managed by RDS in Secrets Manager. Default: `tapadmin`. */
  masterUsername?: string;
  /**
   * Ignore differences in `engineVersion` between code and state. Default: false: the version is pinned and
   * instances have `autoMinorVersionUpgrade: false`, so the only drift left is an AWS-forced upgrade, which should be
   * seen and answered by bumping `engineVersion`. Turn on only while such a forced upgrade is rolling out.
   */
  ignoreEngineVersionDrift?: boolean;
  /**
   * Retention in days of the log group the cluster exports PostgreSQL logs to (`/aws/rds/cluster/<id>/postgresql`),
   * created before the cluster so RDS does not create it without retention. Default: 30.
   */
  logRetentionDays?: number;
  /**
   * RDS refuses to delete the cluster while on: `pulumi destroy` fails until a deployed change turns it off. Default:
   * false (destroyable). The tap-stack sets it from the `database.deletionProtection` setting (prod: true).
   */
  deletionProtection?: boolean;
  /**
   * Delete takes a final cluster snapshot, named `aurora-final-{environment}-{suffix}-{8 hex}`: the hex is random per
   * cluster (kept in state), so a re-created cluster's second delete does not clash with the first one's snapshot.
   * Default: false (delete keeps nothing). The tap-stack sets it from `database.finalSnapshot` (prod: true).
   */
  finalSnapshot?: boolean;
}
