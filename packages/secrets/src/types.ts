import type * as pulumi from '@pulumi/pulumi';
import type { EnvironmentName, LoggingSettings, SecretsSettings } from '@tap/validation';

/**
 * Arguments of {@link SecretsComponent}. Its settings are the fields of `SecretsSettings` of @tap/validation
 * (`rotationDays`), by the same names and documented there, so an environment's `secrets` block passes as it is
 * (`...config.secrets`); each one left out takes `SECRETS_DEFAULTS`.
 */
export interface SecretsComponentArgs extends Partial<SecretsSettings> {
  /** Environment name, part of every physical name. Required. */
  environment: EnvironmentName;
  /** Suffix of every physical name (lowercase letters, digits, single hyphens). Required. */
  environmentSuffix: string;
  /**
   * Customer-managed KMS key of the secret (its policy must let Secrets Manager use it). The rotation function's
   * environment holds no secret and stays on Lambda's AWS-managed key. Required.
   */
  kmsKeyArn: pulumi.Input<string>;
  /** VPC of the rotation function's security group; its CIDR bounds the HTTPS egress by default. Required. */
  vpcId: pulumi.Input<string>;
  /** Private subnets the rotation function runs in. Required. */
  privateSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /** Database security group: the component adds ingress 5432 from the rotation function's group on it. Required. */
  databaseSecurityGroupId: pulumi.Input<string>;
  /** Database host (the cluster writer endpoint, not an RDS Proxy) stored in the secret. Required. */
  host: pulumi.Input<string>;
  /** Database port stored in the secret. Required. */
  port: pulumi.Input<number>;
  /** Database name stored in the secret. Required. */
  dbname: pulumi.Input<string>;
  /** Database user whose password the secret holds and rotation changes. Default: `tap_app`. */
  username?: string;
  /** Code of the rotation function. Default: `FileArchive` of the bundle this package ships (`rotation/index.js`). */
  rotationCode?: pulumi.asset.Archive;
  /** Reserved concurrent executions of the rotation function (≥ 1). Default: 1. */
  rotationReservedConcurrency?: number;
  /**
   * The environment's logging settings (`LoggingSettings`): `retentionDays` of the rotation function's log group.
   * Default: `SECRETS_DEFAULTS.logRetentionDays` (30).
   */
  logging?: Partial<LoggingSettings>;
  /** Characters new passwords must not contain (`EXCLUDE_CHARACTERS`). Default: space, `"`, `'`, `\`, `/`, `@`, `:`. */
  excludeCharacters?: string;
  /**
   * CIDRs the function may reach on 443 (Secrets Manager). Default: the VPC's CIDR, which holds the Secrets Manager
   * interface endpoint; with a NAT gateway instead of an endpoint, pass the Secrets Manager address ranges.
   */
  httpsEgressCidrBlocks?: pulumi.Input<string>[];
  /** Tags on every taggable child. Default: none. */
  tags?: Record<string, string>;
  /**
   * Leave rotation unconfigured until {@link SecretsComponent.configureRotation} is called. Configuring rotation makes
   * Secrets Manager run the function's testSecret step at once (even without immediate rotation), which logs in with
   * the secret: set this when the database user is created after this component, e.g. by a migration, and call
   * `configureRotation([thatMigration])`. Default: false (configured as soon as the secret, function and rules exist).
   */
  deferRotation?: boolean;
}
