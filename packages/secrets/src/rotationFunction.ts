import * as lambda from '@pulumi/aws/lambda';
import { getCallerIdentityOutput } from '@pulumi/aws/getCallerIdentity';
import { getRegionOutput } from '@pulumi/aws/getRegion';
import * as pulumi from '@pulumi/pulumi';
import { createVpcFunction } from '@tap/blocks';
import type { VpcFunction } from '@tap/blocks';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ROTATION_HANDLER, ROTATION_RUNTIME, SECRETS_DEFAULTS } from './constants';
import { SecretsComponentError } from './errors';
import type { secretsResourceNames } from './names';
import { rotationRolePolicy } from './policies';
import type { SecretsComponentArgs } from './types';

/** Arguments of {@link createRotationFunction}: the component's arguments with their defaults resolved. */
export interface RotationFunctionArgs {
  names: ReturnType<typeof secretsResourceNames>;
  args: SecretsComponentArgs;
  secretArn: pulumi.Output<string>;
  httpsEgressCidrBlocks: pulumi.Input<string>[];
  logRetentionDays: number;
  reservedConcurrency: number;
  excludeCharacters: string;
  rotationCode: pulumi.asset.Archive;
  tags: Record<string, string>;
}

/** What {@link createRotationFunction} creates. */
export interface RotationFunction extends VpcFunction {
  /** Lets Secrets Manager (for this account and secret only) invoke the function. */
  permission: lambda.Permission;
  /** The permission and every network rule: what must exist before rotation can be configured. */
  ready: pulumi.Resource[];
}

/**
 * The single-user PostgreSQL rotation function in the VPC (own security group, log group and role) and the
 * permission that lets Secrets Manager invoke it.
 *
 * @example
 * const rotation = createRotationFunction('secrets', { names, args, secretArn: secret.arn, ... }, component);
 */
export function createRotationFunction(name: string, input: RotationFunctionArgs, parent: pulumi.Resource): RotationFunction {
  const { names, args, secretArn, tags } = input;
  const { region } = getRegionOutput({}, { parent });
  const { accountId } = getCallerIdentityOutput({}, { parent });
  const rotation = createVpcFunction(
    `${name}-rotation`,
    {
      functionName: names.function,
      privateSubnetIds: args.privateSubnetIds,
      network: {
        securityGroupName: names.securityGroup,
        description: `${names.function}: egress to the database and Secrets Manager only`,
        vpcId: args.vpcId,
        databaseSecurityGroupId: args.databaseSecurityGroupId,
        httpsEgressCidrBlocks: input.httpsEgressCidrBlocks,
        // The first HTTPS rule has been unnumbered since the component had only one; its URN must not change.
        logicalNames: { egressHttps: (i) => (i === 0 ? `${name}-rotation-egress-https` : `${name}-rotation-egress-https-${i}`) },
      },
      logGroupName: names.logGroup,
      logRetentionDays: input.logRetentionDays,
      roleName: names.role,
      policyName: names.policy,
      policy: (logGroupArn) =>
        pulumi
          .all([secretArn, pulumi.output(args.kmsKeyArn), logGroupArn])
          .apply(([secret, kmsKeyArn, logGroup]) => rotationRolePolicy({ secretArn: secret, kmsKeyArn, logGroupArn: logGroup })),
      settings: {
        description: `Single-user PostgreSQL rotation of ${names.secret}`,
        runtime: ROTATION_RUNTIME,
        handler: ROTATION_HANDLER,
        code: input.rotationCode,
        architectures: [SECRETS_DEFAULTS.rotationArchitecture],
        memorySize: SECRETS_DEFAULTS.rotationMemorySize,
        timeout: SECRETS_DEFAULTS.rotationTimeoutSeconds,
        reservedConcurrentExecutions: input.reservedConcurrency,
        // No kmsKeyArn: the variables hold no secret, and Lambda could not use the secret's key anyway (its policy
        // allows use only through Secrets Manager; Lambda's CreateGrant for the environment would be refused).
        environment: {
          variables: {
            SECRETS_MANAGER_ENDPOINT: pulumi.interpolate`https://secretsmanager.${region}.amazonaws.com`,
            EXCLUDE_CHARACTERS: input.excludeCharacters,
            DB_SSL: 'require',
            // Node.js 20+ Lambda runtimes no longer trust the RDS CA by default; this bundle ships with the runtime.
            NODE_EXTRA_CA_CERTS: '/var/runtime/ca-cert.pem',
            POWERTOOLS_SERVICE_NAME: 'db-rotation',
          },
        },
      },
      tags,
      // Named before the block's defaults existed; the URN must not change.
      logicalNames: { rolePolicy: `${name}-rotation-policy` },
    },
    parent,
  );
  const permission = new lambda.Permission(
    `${name}-rotation-permission`,
    {
      action: 'lambda:InvokeFunction',
      function: rotation.fn.name,
      principal: 'secretsmanager.amazonaws.com',
      // Confused-deputy guard: only Secrets Manager acting for this account, on this secret.
      sourceAccount: accountId,
      sourceArn: secretArn,
    },
    { parent },
  );
  // The function must be invocable and able to reach the database and Secrets Manager before rotation is configured.
  return { ...rotation, permission, ready: [permission, ...(rotation.network?.rules ?? [])] };
}

/**
 * The folder holding the rotation bundle (`index.js`) that the package build writes: `dist/rotation-bundle` of this
 * package, found through the package's own `package.json`, so the same lookup serves the installed package and the
 * workspace (where `node_modules/@tap/secrets` links to `packages/secrets`). Not `dist/rotation`: that is where the
 * compiler puts the `@tap/secrets/rotation` module.
 * Throws when it holds no `index.js`: build the package first, or pass `rotationCode`.
 *
 * @example
 * new pulumi.asset.FileArchive(defaultRotationCodeDir());
 */
export function defaultRotationCodeDir(): string {
  // By package name, not a relative path: right from src/, from dist/ and from a program bundle that inlines this file.
  // eslint-disable-next-line @nx/enforce-module-boundaries
  const dir = join(dirname(require.resolve('@tap/secrets/package.json')), 'dist', 'rotation-bundle');
  if (!existsSync(join(dir, 'index.js'))) {
    throw new SecretsComponentError(`rotation bundle not found (no index.js in ${dir}); build it with "nx build secrets" or pass rotationCode`);
  }
  return dir;
}
