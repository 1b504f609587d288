import type * as pulumi from '@pulumi/pulumi';
import type { EnvironmentName, LambdaSettings, LoggingSettings } from '@tap/validation';
import type { ARCHITECTURE_PLATFORMS } from './constants';

/**
 * Arguments of {@link LambdaComponent}. Its settings are the fields of `LambdaSettings` of @tap/validation (`memoryMb`,
 * `timeoutSeconds`, `reservedConcurrency`), by the same names and documented there, so an environment's `lambda` block
 * passes as it is (`...config.lambda`); each one left out takes `LAMBDA_DEFAULTS` (`reservedConcurrency`: none, the
 * account's unreserved pool). `vcpu` is not an argument: Lambda has no CPU setting, it follows the memory.
 */
export interface LambdaComponentArgs extends Partial<Omit<LambdaSettings, 'vcpu'>> {
  /** Environment name, part of every physical name. Required. */
  environment: EnvironmentName;
  /** Suffix of every physical name. Required. */
  environmentSuffix: string;
  /** Service name: function `{serviceName}-{env}-{suffix}`, log group `/aws/lambda/{serviceName}-{suffix}`. Default: `payment-processor`. */
  serviceName?: string;
  /**
   * Directory that is a complete Docker build context with its `Dockerfile`, relative to the Pulumi project directory
   * (e.g. `../../dist/apps/payment-processor`); absolute paths are refused, as they make the image inputs depend on
   * where the checkout lives. Required.
   */
  buildContext: string;
  /** Image tag. Default: `contentTag(buildContext)`, a hash of the context's files. */
  imageTag?: string;
  /** CPU architecture of image and function. Default: `x86_64`. */
  architecture?: keyof typeof ARCHITECTURE_PLATFORMS;
  /** VPC of the function's security group. Required. */
  vpcId: pulumi.Input<string>;
  /** Private subnets the function runs in. Required. */
  privateSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /** Secret with the database credentials (`DB_SECRET_ARN`); the role may read this secret only. Required. */
  dbSecretArn: pulumi.Input<string>;
  /** Database security group: adds ingress 5432 from the function's group on it, and egress to it. Default: none. */
  databaseSecurityGroupId?: pulumi.Input<string>;
  /** CIDRs the function may reach on 5432 when the database is admitted by CIDR rather than by group. Default: none. */
  databaseEgressCidrBlocks?: pulumi.Input<string>[];
  /** CIDRs the function may reach on 443 (Secrets Manager through the VPC's interface endpoint). Default: the VPC's CIDR. */
  httpsEgressCidrBlocks?: pulumi.Input<string>[];
  /** KMS key encrypting the secret: the role may decrypt with it through Secrets Manager. Default: none. */
  kmsKeyArn?: pulumi.Input<string>;
  /**
   * The environment's logging settings (`LoggingSettings`): `retentionDays` of the function's log group (and the
   * migration function's), one of the periods CloudWatch Logs accepts. Default: `LAMBDA_DEFAULTS.logging` (30 days).
   */
  logging?: Partial<LoggingSettings>;
  /** Images kept in the ECR repository. Default: 10. */
  maxImageCount?: number;
  /** Create a Function URL with `AWS_IAM` auth. Default: false. */
  createFunctionUrl?: boolean;
  /** Schema migrations run from the same image before the function serves it (see {@link LambdaMigrationArgs}). Default: none. */
  migrations?: LambdaMigrationArgs;
}

/**
 * A second function from the same image with its `CMD` overridden, invoked once per new image (through
 * `aws.lambda.Invocation`) before the main function is pointed at that image: the schema is always at least as new as
 * the code that reads it. It runs in the function's security group, with its own role and log group.
 */
export interface LambdaMigrationArgs {
  /** Secret of the database owner (e.g. the Aurora master user secret) the migrations connect with. Required. */
  ownerSecretArn: pulumi.Input<string>;
  /** Key encrypting the owner secret, when it is not `kmsKeyArn`. Default: `kmsKeyArn`. */
  ownerSecretKmsKeyArn?: pulumi.Input<string>;
  /** Handler in the image. Default: `migrate.handler`. */
  handler?: string;
  /** Timeout in seconds, 1–900. Default: 300. */
  timeoutSeconds?: number;
  /** Extra environment, e.g. `DB_HOST`/`DB_PORT`/`DB_NAME` when the owner secret holds only a username and password. Default: none. */
  environment?: Record<string, pulumi.Input<string>>;
  /**
   * What the migration must wait for besides its function and the component's network rules: on a first deploy, the
   * database's instances (the cluster answers only once they run) and the value of the secret it reads. Default: none.
   */
  dependsOn?: pulumi.Resource[];
}
