import type * as pulumi from '@pulumi/pulumi';
import type { DatabaseSettings, EnvironmentName, LoggingSettings } from '@tap/validation';

/**
 * Arguments of {@link DatabaseComponent}. Its settings are the fields of `DatabaseSettings` of @tap/validation
 * (`instanceClass`, `instanceCount`, `engineVersion`, `backupRetentionDays`, `deletionProtection`, `finalSnapshot`),
 * by the same names and documented there, so an environment's `database` block passes as it is (`...config.database`);
 * each one left out takes `DATABASE_DEFAULTS`.
 */
export interface DatabaseComponentArgs extends Partial<DatabaseSettings> {
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
   * The environment's logging settings (`LoggingSettings`): `retentionDays` of the log group the cluster exports
   * PostgreSQL logs to (`/aws/rds/cluster/<id>/postgresql`), created before the cluster so RDS does not create it
   * without retention. Default: `DATABASE_DEFAULTS.logging` (30 days).
   */
  logging?: Partial<LoggingSettings>;
}
