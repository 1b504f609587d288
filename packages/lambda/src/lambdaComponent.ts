import * as aws from '@pulumi/aws';
import * as docker from '@pulumi/docker';
import * as pulumi from '@pulumi/pulumi';
import { resourceName } from '@tap/validation';
import { isAbsolute, join } from 'node:path';
import {
  ARCHITECTURE_PLATFORMS,
  HTTPS_PORT,
  LAMBDA_DEFAULTS,
  MIGRATION_DEFAULTS,
  POSTGRES_PORT,
  VPC_NETWORK_INTERFACE_ACTIONS,
} from './constants';
import { contentTag } from './contentTag';
import { LambdaComponentError } from './errors';
import type { LambdaComponentArgs, LambdaMigrationArgs } from './types';

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
 *   latencyThresholdMs: 3000,
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
  public readonly migration: aws.lambda.Invocation | undefined;

  constructor(name: string, args: LambdaComponentArgs, opts?: pulumi.ComponentResourceOptions) {
    super('tap:lambda:LambdaComponent', name, {}, opts);

    const { environment, environmentSuffix: suffix } = args;
    const serviceName = args.serviceName ?? LAMBDA_DEFAULTS.serviceName;
    const architecture = args.architecture ?? LAMBDA_DEFAULTS.architecture;
    const memorySize = args.memorySize ?? LAMBDA_DEFAULTS.memorySize;
    const timeoutSeconds = args.timeoutSeconds ?? LAMBDA_DEFAULTS.timeoutSeconds;
    const logRetentionDays = args.logRetentionDays ?? LAMBDA_DEFAULTS.logRetentionDays;
    const maxImageCount = args.maxImageCount ?? LAMBDA_DEFAULTS.maxImageCount;
    const createFunctionUrl = args.createFunctionUrl ?? LAMBDA_DEFAULTS.createFunctionUrl;
    // Secrets Manager is reached through the VPC's interface endpoint, so HTTPS never needs to leave the VPC.
    const httpsEgressCidrBlocks = args.httpsEgressCidrBlocks ?? [aws.ec2.getVpcOutput({ id: args.vpcId }, { parent: this }).cidrBlock];
    assertLambdaSettings({
      memorySize,
      timeoutSeconds,
      latencyThresholdMs: args.latencyThresholdMs,
      reservedConcurrency: args.reservedConcurrency,
      maxImageCount,
    });
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
    const functionName = resourceName(serviceName, environment, suffix);
    const { region } = aws.getRegionOutput({}, { parent: this });

    // --- image ---------------------------------------------------------------------------------------------------
    const repository = new aws.ecr.Repository(
      `${name}-repo`,
      {
        name: functionName,
        imageScanningConfiguration: { scanOnPush: true },
        // Tags are content hashes: a tag never needs to move, so it must not be able to.
        imageTagMutability: 'IMMUTABLE',
        encryptionConfigurations: [{ encryptionType: 'KMS' }],
        // Destroyable with images inside.
        forceDelete: true,
      },
      { parent: this },
    );
    new aws.ecr.LifecyclePolicy(
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
    const auth = aws.ecr.getAuthorizationTokenOutput({ registryId: repository.registryId }, { parent: this });
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
    const securityGroup = new aws.ec2.SecurityGroup(
      `${name}-sg`,
      {
        name: resourceName('lambda-sg', environment, suffix),
        description: `${functionName}: egress to the database and AWS APIs only`,
        vpcId: args.vpcId,
        tags: { Name: resourceName('lambda-sg', environment, suffix) },
      },
      { parent: this },
    );
    // Every rule the functions need to reach the database and Secrets Manager: the migration may run only once they exist.
    const networkRules: pulumi.Resource[] = [];
    if (args.databaseSecurityGroupId !== undefined) {
      const egressDb = new aws.vpc.SecurityGroupEgressRule(
        `${name}-egress-db`,
        {
          securityGroupId: securityGroup.id,
          referencedSecurityGroupId: args.databaseSecurityGroupId,
          ipProtocol: 'tcp',
          fromPort: POSTGRES_PORT,
          toPort: POSTGRES_PORT,
          description: 'PostgreSQL to the database security group',
        },
        { parent: this },
      );
      // The rule lives on the database's group but belongs to this component: the database never needs to know us.
      const dbIngress = new aws.vpc.SecurityGroupIngressRule(
        `${name}-db-ingress`,
        {
          securityGroupId: args.databaseSecurityGroupId,
          referencedSecurityGroupId: securityGroup.id,
          ipProtocol: 'tcp',
          fromPort: POSTGRES_PORT,
          toPort: POSTGRES_PORT,
          description: `PostgreSQL from ${functionName}`,
        },
        { parent: this },
      );
      networkRules.push(egressDb, dbIngress);
    }
    (args.databaseEgressCidrBlocks ?? []).forEach((cidr, i) => {
      const rule = new aws.vpc.SecurityGroupEgressRule(
        `${name}-egress-db-cidr-${i}`,
        { securityGroupId: securityGroup.id, cidrIpv4: cidr, ipProtocol: 'tcp', fromPort: POSTGRES_PORT, toPort: POSTGRES_PORT, description: 'PostgreSQL' },
        { parent: this },
      );
      networkRules.push(rule);
    });
    httpsEgressCidrBlocks.forEach((cidr, i) => {
      const rule = new aws.vpc.SecurityGroupEgressRule(
        `${name}-egress-https-${i}`,
        { securityGroupId: securityGroup.id, cidrIpv4: cidr, ipProtocol: 'tcp', fromPort: HTTPS_PORT, toPort: HTTPS_PORT, description: 'HTTPS to the Secrets Manager VPC endpoint' },
        { parent: this },
      );
      networkRules.push(rule);
    });

    // --- logs ----------------------------------------------------------------------------------------------------
    // The platform's documented log group name has no environment, while the function is named
    // `{service}-{env}-{suffix}`; Lambda would write to `/aws/lambda/{function name}`. `loggingConfig.logGroup`
    // below points the function at this group, so the group we create (with its retention) is the one it writes to.
    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      { name: `/aws/lambda/${serviceName}-${suffix}`, retentionInDays: logRetentionDays },
      { parent: this },
    );

    // --- IAM -----------------------------------------------------------------------------------------------------
    const role = new aws.iam.Role(
      `${name}-role`,
      {
        name: resourceName(`${serviceName}-role`, environment, suffix),
        assumeRolePolicy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
        }),
      },
      { parent: this },
    );
    const rolePolicy = new aws.iam.RolePolicy(
      `${name}-role-policy`,
      {
        name: resourceName(`${serviceName}-policy`, environment, suffix),
        role: role.id,
        policy: pulumi
          .all([logGroup.arn, pulumi.output(args.dbSecretArn), pulumi.output(args.kmsKeyArn), region])
          .apply(([logGroupArn, secretArn, kmsKeyArn, regionName]) =>
            lambdaRolePolicy({ logGroupArn, secretArn, kmsKeyArn, region: regionName }),
          ),
      },
      { parent: this },
    );

    // --- migrations ----------------------------------------------------------------------------------------------
    const migration = args.migrations
      ? this.migrationFunction(name, args, args.migrations, {
          serviceName,
          architecture,
          imageDigest: image.repoDigest,
          securityGroupId: securityGroup.id,
          logRetentionDays,
          region,
          networkRules,
        })
      : undefined;

    // --- function ------------------------------------------------------------------------------------------------
    const fn = new aws.lambda.Function(
      `${name}-function`,
      {
        name: functionName,
        packageType: 'Image',
        imageUri: image.repoDigest,
        architectures: [architecture],
        role: role.arn,
        memorySize,
        timeout: timeoutSeconds,
        reservedConcurrentExecutions: args.reservedConcurrency,
        vpcConfig: { subnetIds: args.privateSubnetIds, securityGroupIds: [securityGroup.id] },
        environment: {
          // Only what the handler reads: it finds the database through the secret.
          variables: {
            DB_SECRET_ARN: args.dbSecretArn,
            POWERTOOLS_SERVICE_NAME: serviceName,
          },
        },
        loggingConfig: { logFormat: 'JSON', logGroup: logGroup.name },
      },
      // The role needs its ENI permissions before CreateFunction with a VPC config succeeds, and the log group must
      // exist (with retention) before the first invocation writes to it. A new image is migrated before it serves.
      { parent: this, dependsOn: [rolePolicy, logGroup, ...(migration ? [migration.invocation] : [])] },
    );

    if (createFunctionUrl) {
      const url = new aws.lambda.FunctionUrl(
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
    this.securityGroupId = securityGroup.id;
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

  /** The migration function (same image, other CMD), its log group and role, and its invocation per image digest. */
  private migrationFunction(
    name: string,
    args: LambdaComponentArgs,
    migrations: LambdaMigrationArgs,
    shared: {
      serviceName: string;
      architecture: keyof typeof ARCHITECTURE_PLATFORMS;
      imageDigest: pulumi.Output<string>;
      securityGroupId: pulumi.Output<string>;
      logRetentionDays: number;
      region: pulumi.Output<string>;
      networkRules: pulumi.Resource[];
    },
  ): { fn: aws.lambda.Function; invocation: aws.lambda.Invocation } {
    const { environment, environmentSuffix: suffix } = args;
    const handler = migrations.handler ?? MIGRATION_DEFAULTS.handler;
    const timeoutSeconds = migrations.timeoutSeconds ?? MIGRATION_DEFAULTS.timeoutSeconds;
    if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 1 || timeoutSeconds > 900) {
      throw new LambdaComponentError(`migrations.timeoutSeconds must be an integer from 1 to 900, got ${timeoutSeconds}`);
    }
    if (!/^[A-Za-z0-9_./-]+\.[A-Za-z0-9_]+$/.test(handler)) {
      throw new LambdaComponentError(`migrations.handler "${handler}" must look like <file>.<export>, e.g. migrate.handler`);
    }
    const migrateService = `${shared.serviceName}-migrate`;
    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-migrate-logs`,
      { name: `/aws/lambda/${migrateService}-${suffix}`, retentionInDays: shared.logRetentionDays },
      { parent: this },
    );
    const role = new aws.iam.Role(
      `${name}-migrate-role`,
      {
        name: resourceName(`${migrateService}-role`, environment, suffix),
        assumeRolePolicy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
        }),
      },
      { parent: this },
    );
    const kmsKeyArns = [args.kmsKeyArn, migrations.ownerSecretKmsKeyArn].filter((k): k is pulumi.Input<string> => k !== undefined);
    const rolePolicy = new aws.iam.RolePolicy(
      `${name}-migrate-role-policy`,
      {
        name: resourceName(`${migrateService}-policy`, environment, suffix),
        role: role.id,
        policy: pulumi
          .all([logGroup.arn, pulumi.output(migrations.ownerSecretArn), pulumi.output(args.dbSecretArn), pulumi.all(kmsKeyArns), shared.region])
          .apply(([logGroupArn, ownerSecretArn, appSecretArn, keys, regionName]) =>
            // Reads the owner secret to connect and the application secret to create its role with that password.
            lambdaRolePolicy({ logGroupArn, secretArn: ownerSecretArn, additionalSecretArns: [appSecretArn], kmsKeyArns: keys, region: regionName }),
          ),
      },
      { parent: this },
    );
    const fn = new aws.lambda.Function(
      `${name}-migrate-function`,
      {
        name: resourceName(migrateService, environment, suffix),
        packageType: 'Image',
        imageUri: shared.imageDigest,
        imageConfig: { commands: [handler] },
        architectures: [shared.architecture],
        role: role.arn,
        memorySize: MIGRATION_DEFAULTS.memorySize,
        timeout: timeoutSeconds,
        reservedConcurrentExecutions: MIGRATION_DEFAULTS.reservedConcurrency,
        vpcConfig: { subnetIds: args.privateSubnetIds, securityGroupIds: [shared.securityGroupId] },
        environment: {
          variables: {
            ...migrations.environment,
            DB_SECRET_ARN: migrations.ownerSecretArn,
            APP_DB_SECRET_ARN: args.dbSecretArn,
            POWERTOOLS_SERVICE_NAME: migrateService,
          },
        },
        loggingConfig: { logFormat: 'JSON', logGroup: logGroup.name },
      },
      { parent: this, dependsOn: [rolePolicy, logGroup] },
    );
    // Runs on create and whenever the image digest changes; a failed migration fails the deployment. On a first deploy
    // the function exists long before the database answers: the invocation must also wait for the network rules to
    // the database and Secrets Manager, and for whatever the caller names (cluster instances, the secret's value).
    const invocation = new aws.lambda.Invocation(
      `${name}-migrate-invocation`,
      { functionName: fn.name, input: JSON.stringify({}), triggers: { imageDigest: shared.imageDigest } },
      { parent: this, dependsOn: [...shared.networkRules, ...(migrations.dependsOn ?? [])] },
    );
    return { fn, invocation };
  }
}

/**
 * Checks the scalar settings of LambdaComponent.
 *
 * @example
 * assertLambdaSettings({ memorySize: 512, timeoutSeconds: 30, latencyThresholdMs: 3000, maxImageCount: 10 });
 */
export function assertLambdaSettings(settings: {
  memorySize: number;
  timeoutSeconds: number;
  latencyThresholdMs: number;
  reservedConcurrency?: number;
  maxImageCount: number;
}): void {
  const { memorySize, timeoutSeconds, latencyThresholdMs, reservedConcurrency, maxImageCount } = settings;
  if (!Number.isInteger(memorySize) || memorySize < 128 || memorySize > 10240) {
    throw new LambdaComponentError(`memorySize must be an integer from 128 to 10240 MB, got ${memorySize}`);
  }
  if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 1 || timeoutSeconds > 900) {
    throw new LambdaComponentError(`timeoutSeconds must be an integer from 1 to 900, got ${timeoutSeconds}`);
  }
  if (!Number.isFinite(latencyThresholdMs) || latencyThresholdMs <= 0) {
    throw new LambdaComponentError(`latencyThresholdMs must be a positive number, got ${latencyThresholdMs}`);
  }
  if (timeoutSeconds * 1000 <= latencyThresholdMs) {
    throw new LambdaComponentError(
      `timeout ${timeoutSeconds}s must exceed the latency alarm threshold ${latencyThresholdMs}ms, or slow invocations time out before the alarm can see them; raise timeoutSeconds or lower latencyThresholdMs`,
    );
  }
  if (reservedConcurrency !== undefined && (!Number.isInteger(reservedConcurrency) || reservedConcurrency < 0)) {
    throw new LambdaComponentError(`reservedConcurrency must be a non-negative integer, got ${reservedConcurrency}`);
  }
  if (!Number.isInteger(maxImageCount) || maxImageCount < 1) {
    throw new LambdaComponentError(`maxImageCount must be a positive integer, got ${maxImageCount}`);
  }
}

/**
 * The function's inline policy: logs on its log group, read on its secret, decrypt with its key through Secrets
 * Manager, and the VPC network-interface actions (the only wildcard resource: AWS offers no scoping for them).
 */
export function lambdaRolePolicy(input: {
  logGroupArn: string;
  secretArn: string;
  /** Further secrets the function reads. */
  additionalSecretArns?: string[];
  kmsKeyArn?: string;
  /** Several keys (e.g. owner and application secrets under different keys); joined with `kmsKeyArn`. */
  kmsKeyArns?: string[];
  region: string;
}): string {
  const keys = [...new Set([...(input.kmsKeyArn ? [input.kmsKeyArn] : []), ...(input.kmsKeyArns ?? [])])];
  const statements: Record<string, unknown>[] = [
    {
      Sid: 'WriteOwnLogGroup',
      Effect: 'Allow',
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: [`${input.logGroupArn}:*`],
    },
    {
      Sid: 'ReadDatabaseSecret',
      Effect: 'Allow',
      Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
      Resource: [input.secretArn, ...(input.additionalSecretArns ?? [])],
    },
  ];
  if (keys.length > 0) {
    statements.push({
      Sid: 'DecryptDatabaseSecret',
      Effect: 'Allow',
      Action: ['kms:Decrypt'],
      Resource: keys,
      Condition: { StringEquals: { 'kms:ViaService': `secretsmanager.${input.region}.amazonaws.com` } },
    });
  }
  statements.push({
    Sid: 'VpcNetworkInterfaces',
    Effect: 'Allow',
    Action: [...VPC_NETWORK_INTERFACE_ACTIONS],
    // Wildcard by necessity: these EC2 actions support no resource-level permissions for Lambda's ENIs.
    Resource: '*',
  });
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}
