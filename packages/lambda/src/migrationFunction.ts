import * as lambda from '@pulumi/aws/lambda';
import * as pulumi from '@pulumi/pulumi';
import { createVpcFunction } from '@tap/blocks';
import { MIGRATION_DEFAULTS } from './constants';
import { LAMBDA_NAMES } from './names';
import { lambdaRolePolicy } from './policies';
import type { LambdaComponentArgs, LambdaMigrationArgs } from './types';
import { assertMigrationSettings } from './validate';

/** What the migration shares with the component's main function. */
export interface MigrationContext {
  serviceName: string;
  architecture: string;
  imageDigest: pulumi.Output<string>;
  securityGroupId: pulumi.Output<string>;
  logRetentionDays: number;
  region: pulumi.Output<string>;
  /** The rules to the database and Secrets Manager: the migration runs only once they exist. */
  networkRules: pulumi.Resource[];
}

/**
 * The migration function (same image, other CMD) in the main function's security group, with its own log group and
 * role, and its invocation per image digest.
 *
 * @example
 * const { invocation } = createMigrationFunction('payments', args, args.migrations, context, component);
 */
export function createMigrationFunction(
  name: string,
  args: LambdaComponentArgs,
  migrations: LambdaMigrationArgs,
  context: MigrationContext,
  parent: pulumi.Resource,
): { fn: lambda.Function; invocation: lambda.Invocation } {
  const { environment, environmentSuffix: suffix } = args;
  const handler = migrations.handler ?? MIGRATION_DEFAULTS.handler;
  const timeoutSeconds = migrations.timeoutSeconds ?? MIGRATION_DEFAULTS.timeoutSeconds;
  assertMigrationSettings({ timeoutSeconds, handler });
  const migrateService = LAMBDA_NAMES.migrateService(context.serviceName);
  const kmsKeyArns = [args.kmsKeyArn, migrations.ownerSecretKmsKeyArn].filter((k): k is pulumi.Input<string> => k !== undefined);
  const { fn } = createVpcFunction(
    `${name}-migrate`,
    {
      functionName: LAMBDA_NAMES.function(migrateService, environment, suffix),
      privateSubnetIds: args.privateSubnetIds,
      network: { securityGroupId: context.securityGroupId },
      logGroupName: LAMBDA_NAMES.logGroup(migrateService, environment, suffix),
      logRetentionDays: context.logRetentionDays,
      roleName: LAMBDA_NAMES.role(migrateService, environment, suffix),
      policyName: LAMBDA_NAMES.policy(migrateService, environment, suffix),
      policy: (logGroupArn) =>
        pulumi
          .all([logGroupArn, pulumi.output(migrations.ownerSecretArn), pulumi.output(args.dbSecretArn), pulumi.all(kmsKeyArns), context.region])
          .apply(([logGroupArnValue, ownerSecretArn, appSecretArn, keys, regionName]) =>
            // Reads the owner secret to connect and the application secret to create its role with that password.
            lambdaRolePolicy({
              logGroupArn: logGroupArnValue,
              secretArn: ownerSecretArn,
              additionalSecretArns: [appSecretArn],
              kmsKeyArns: keys,
              region: regionName,
            }),
          ),
      settings: {
        packageType: 'Image',
        imageUri: context.imageDigest,
        imageConfig: { commands: [handler] },
        architectures: [context.architecture],
        memorySize: MIGRATION_DEFAULTS.memorySize,
        timeout: timeoutSeconds,
        reservedConcurrentExecutions: MIGRATION_DEFAULTS.reservedConcurrency,
        environment: {
          variables: {
            ...migrations.environment,
            DB_SECRET_ARN: migrations.ownerSecretArn,
            APP_DB_SECRET_ARN: args.dbSecretArn,
            POWERTOOLS_SERVICE_NAME: migrateService,
          },
        },
      },
    },
    parent,
  );
  // Runs on create and whenever the image digest changes; a failed migration fails the deployment. On a first deploy
  // the function exists long before the database answers: the invocation must also wait for the network rules to
  // the database and Secrets Manager, and for whatever the caller names (cluster instances, the secret's value).
  const invocation = new lambda.Invocation(
    `${name}-migrate-invocation`,
    { functionName: fn.name, input: JSON.stringify({}), triggers: { imageDigest: context.imageDigest } },
    { parent, dependsOn: [...context.networkRules, ...(migrations.dependsOn ?? [])] },
  );
  return { fn, invocation };
}
