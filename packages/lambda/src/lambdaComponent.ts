import * as ec2 from '@pulumi/aws/ec2';
import * as ecr from '@pulumi/aws/ecr';
import * as lambda from '@pulumi/aws/lambda';
import { getRegionOutput } from '@pulumi/aws/getRegion';
import * as docker from '@pulumi/docker';
import * as pulumi from '@pulumi/pulumi';
import { createVpcFunction, createVpcFunctionNetwork } from '@tap/blocks';
import { isAbsolute, join } from 'node:path';
import { ARCHITECTURE_PLATFORMS, LAMBDA_DEFAULTS } from './constants';
import { contentTag } from './contentTag';
import { LambdaComponentError } from './errors';
import { createMigrationFunction } from './migrationFunction';
import { LAMBDA_NAMES } from './names';
import { lambdaRolePolicy } from './policies';
import type { LambdaComponentArgs } from './types';
import { assertLambdaNames, assertLambdaSettings } from './validate';

/**
 * Container-image Lambda in the VPC: ECR repository, image built and pushed by `@pulumi/docker` under a
 * content-addressed tag, function pinned to the pushed digest, its own security group, log group and inline role.
 *
 * @example
 * const fn = new LambdaComponent('payments', {
 *   environment: 'dev',
 *   environmentSuffix: '001',
 *   buildContext: 'dist/apps/payment-processor',
 *   vpcId: network.vpcId,
 *   privateSubnetIds: network.privateSubnetIds,
 *   dbSecretArn: secrets.secretArn,
 *   databaseSecurityGroupId: db.securityGroupId,
 *   kmsKeyArn: key.arn,
 * });
 */
export class LambdaComponent extends pulumi.ComponentResource {
  public readonly repositoryUrl: pulumi.Output<string>;
  /** `{repositoryUrl}:{tag}`: the content-addressed tag that was pushed. */
  public readonly imageUri: pulumi.Output<string>;
  /** `{repository}@sha256:…`: what the function runs. */
  public readonly imageDigest: pulumi.Output<string>;
  public readonly imageTag: string;
  public readonly functionArn: pulumi.Output<string>;
  public readonly functionName: pulumi.Output<string>;
  public readonly securityGroupId: pulumi.Output<string>;
  public readonly logGroupName: pulumi.Output<string>;
  public readonly roleArn: pulumi.Output<string>;
  /** Only when `createFunctionUrl` is true. */
  public readonly functionUrl: pulumi.Output<string> | undefined;
  /** Only with `migrations`: the migration function's name (watch it with alarms like the main one). */
  public readonly migrationFunctionName: pulumi.Output<string> | undefined;
  /**
   * Only with `migrations`: the invocation that runs them. What needs the migrated schema or the users it creates
   * (configuring secret rotation, for one) `dependsOn` it.
   */
  public readonly migration: lambda.Invocation | undefined;

  constructor(name: string, args: LambdaComponentArgs, opts?: pulumi.ComponentResourceOptions) {
    super('tap:lambda:LambdaComponent', name, {}, opts);

    const { environment, environmentSuffix: suffix } = args;
    const serviceName = args.serviceName ?? LAMBDA_DEFAULTS.serviceName;
    const architecture = args.architecture ?? LAMBDA_DEFAULTS.architecture;
    const memoryMb = args.memoryMb ?? LAMBDA_DEFAULTS.memoryMb;
    const timeoutSeconds = args.timeoutSeconds ?? LAMBDA_DEFAULTS.timeoutSeconds;
    const logRetentionDays = args.logging?.retentionDays ?? LAMBDA_DEFAULTS.logging.retentionDays;
    const maxImageCount = args.maxImageCount ?? LAMBDA_DEFAULTS.maxImageCount;
    const createFunctionUrl = args.createFunctionUrl ?? LAMBDA_DEFAULTS.createFunctionUrl;
    // Secrets Manager is reached through the VPC's interface endpoint, so HTTPS never needs to leave the VPC.
    const httpsEgressCidrBlocks = args.httpsEgressCidrBlocks ?? [ec2.getVpcOutput({ id: args.vpcId }, { parent: this }).cidrBlock];
    assertLambdaSettings({ memoryMb, timeoutSeconds, reservedConcurrency: args.reservedConcurrency, logRetentionDays, maxImageCount });
    // Every name against its AWS limit before any resource exists: a name over it fails the deploy halfway.
    assertLambdaNames(name, environment, suffix, { serviceName, migrations: args.migrations !== undefined });
    // The context is an input of the image: an absolute path changes with the checkout's location, which makes the
    // next deploy from elsewhere rebuild and push another digest under the same tag, and the IMMUTABLE repository
    // refuses that push.
    if (isAbsolute(args.buildContext)) {
      throw new LambdaComponentError(
        `buildContext "${args.buildContext}" must be relative to the Pulumi project directory (e.g. ../../dist/apps/payment-processor), so the image inputs do not depend on where the checkout lives`,
      );
    }
    this.imageTag = args.imageTag ?? contentTag(args.buildContext);
    if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(this.imageTag) || this.imageTag === 'latest') {
      throw new LambdaComponentError(`imageTag "${this.imageTag}" must be a valid Docker tag other than "latest"`);
    }
    const functionName = LAMBDA_NAMES.function(serviceName, environment, suffix);
    const { region } = getRegionOutput({}, { parent: this });

    // --- image ---------------------------------------------------------------------------------------------------
    const repository = new ecr.Repository(
      `${name}-repo`,
      {
        name: LAMBDA_NAMES.repository(serviceName, environment, suffix),
        imageScanningConfiguration: { scanOnPush: true },
        // Tags are content hashes: a tag never needs to move, so it must not be able to.
        imageTagMutability: 'IMMUTABLE',
        encryptionConfigurations: [{ encryptionType: 'KMS' }],
        // Destroyable with images inside.
        forceDelete: true,
      },
      { parent: this },
    );
    new ecr.LifecyclePolicy(
      `${name}-repo-lifecycle`,
      {
        repository: repository.name,
        policy: JSON.stringify({
          rules: [
            {
              rulePriority: 1,
              description: `keep the last ${maxImageCount} images`,
              selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: maxImageCount },
              action: { type: 'expire' },
            },
          ],
        }),
      },
      { parent: this },
    );
    const auth = ecr.getAuthorizationTokenOutput({ registryId: repository.registryId }, { parent: this });
    this.repositoryUrl = repository.repositoryUrl;
    this.imageUri = pulumi.interpolate`${repository.repositoryUrl}:${this.imageTag}`;
    const image = new docker.Image(
      `${name}-image`,
      {
        imageName: this.imageUri,
        build: {
          context: args.buildContext,
          dockerfile: join(args.buildContext, 'Dockerfile'),
          platform: ARCHITECTURE_PLATFORMS[architecture],
          // docker.Image builds through the Docker Engine API (ImageBuild, then ImagePush of that one image): no
          // buildx client, so no default provenance attestation and no OCI index, which Lambda rejects ("The image
          // manifest, config or layer media type ... is not supported", aws/aws-lambda-roadmap#82). One platform only.
          builderVersion: 'BuilderBuildKit',
        },
        registry: {
          server: repository.repositoryUrl,
          username: auth.userName,
          password: pulumi.secret(auth.password),
        },
      },
      { parent: this },
    );
    this.imageDigest = image.repoDigest;

    // --- network -------------------------------------------------------------------------------------------------
    // Every rule the functions need to reach the database and Secrets Manager: the migration may run only once they exist.
    const network = createVpcFunctionNetwork(
      name,
      {
        securityGroupName: LAMBDA_NAMES.securityGroup(environment, suffix),
        description: `${functionName}: egress to the database and AWS APIs only`,
        functionName,
        vpcId: args.vpcId,
        databaseSecurityGroupId: args.databaseSecurityGroupId,
        databaseEgressCidrBlocks: args.databaseEgressCidrBlocks,
        httpsEgressCidrBlocks,
      },
      this,
    );
    const securityGroupId = network.securityGroup.id;

    // --- migrations ----------------------------------------------------------------------------------------------
    const migration = args.migrations
      ? createMigrationFunction(
          name,
          args,
          args.migrations,
          { serviceName, architecture, imageDigest: image.repoDigest, securityGroupId, logRetentionDays, region, networkRules: network.rules },
          this,
        )
      : undefined;

    // --- function ------------------------------------------------------------------------------------------------
    const { fn, logGroup, role } = createVpcFunction(
      name,
      {
        functionName,
        privateSubnetIds: args.privateSubnetIds,
        network: { securityGroupId },
        // The platform's documented log group name has no environment, while the function is named
        // `{service}-{env}-{suffix}`; Lambda would write to `/aws/lambda/{function name}`. The block points the
        // function at this group (`loggingConfig.logGroup`), so the group we create (with its retention) is the one it writes to.
        logGroupName: LAMBDA_NAMES.logGroup(serviceName, environment, suffix),
        logRetentionDays,
        roleName: LAMBDA_NAMES.role(serviceName, environment, suffix),
        policyName: LAMBDA_NAMES.policy(serviceName, environment, suffix),
        policy: (logGroupArn) =>
          pulumi
            .all([logGroupArn, pulumi.output(args.dbSecretArn), pulumi.output(args.kmsKeyArn), region])
            .apply(([logGroupArnValue, secretArn, kmsKeyArn, regionName]) =>
              lambdaRolePolicy({ logGroupArn: logGroupArnValue, secretArn, kmsKeyArn, region: regionName }),
            ),
        settings: {
          packageType: 'Image',
          imageUri: image.repoDigest,
          architectures: [architecture],
          memorySize: memoryMb,
          timeout: timeoutSeconds,
          reservedConcurrentExecutions: args.reservedConcurrency,
          environment: {
            // Only what the handler reads: it finds the database through the secret.
            variables: {
              DB_SECRET_ARN: args.dbSecretArn,
              POWERTOOLS_SERVICE_NAME: serviceName,
            },
          },
        },
        // A new image is migrated before it serves.
        dependsOn: migration ? [migration.invocation] : [],
      },
      this,
    );

    if (createFunctionUrl) {
      const url = new lambda.FunctionUrl(
        `${name}-url`,
        // Never NONE: callers sign requests with SigV4 and need lambda:InvokeFunctionUrl.
        { functionName: fn.name, authorizationType: 'AWS_IAM' },
        { parent: this },
      );
      this.functionUrl = url.functionUrl;
    } else {
      this.functionUrl = undefined;
    }

    this.functionArn = fn.arn;
    this.functionName = fn.name;
    this.securityGroupId = securityGroupId;
    this.logGroupName = logGroup.name;
    this.roleArn = role.arn;
    this.migrationFunctionName = migration?.fn.name;
    this.migration = migration?.invocation;

    this.registerOutputs({
      repositoryUrl: this.repositoryUrl,
      imageUri: this.imageUri,
      imageDigest: this.imageDigest,
      functionArn: this.functionArn,
      functionName: this.functionName,
      securityGroupId: this.securityGroupId,
      logGroupName: this.logGroupName,
      roleArn: this.roleArn,
      functionUrl: this.functionUrl,
      migrationFunctionName: this.migrationFunctionName,
    });
  }
}
