import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import * as random from '@pulumi/random';
import { resourceName } from '@tap/validation';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  HTTPS_PORT,
  INITIAL_PASSWORD_SPECIALS,
  INITIAL_VERSION_STAGE,
  POSTGRES_PORT,
  ROTATION_DAYS_RANGE,
  ROTATION_HANDLER,
  ROTATION_KMS_ACTIONS,
  ROTATION_RUNTIME,
  ROTATION_SECRET_ACTIONS,
  SECRETS_DEFAULTS,
  SECRET_ENGINE,
  VPC_NETWORK_INTERFACE_ACTIONS,
} from './constants';
import { SecretsComponentError } from './errors';
import type { SecretsComponentArgs } from './types';

/**
 * Database credentials in Secrets Manager (customer-managed key, generated initial password) rotated every
 * `rotationDays` days by the single-user PostgreSQL rotation function this package ships, deployed in the VPC with
 * its own security group, log group and inline least-privilege role.
 *
 * @example
 * const secrets = new SecretsComponent('secrets', {
 *   environment: 'dev',
 *   environmentSuffix: '001',
 *   kmsKeyArn: key.arn,
 *   vpcId: network.vpcId,
 *   privateSubnetIds: network.privateSubnetIds,
 *   databaseSecurityGroupId: db.securityGroupId,
 *   host: db.endpoint,
 *   port: db.port,
 *   dbname: 'payments',
 * });
 */
export class SecretsComponent extends pulumi.ComponentResource {
  public readonly secretArn: pulumi.Output<string>;
  public readonly secretName: pulumi.Output<string>;
  public readonly rotationFunctionArn: pulumi.Output<string>;
  public readonly rotationFunctionName: pulumi.Output<string>;
  public readonly rotationSecurityGroupId: pulumi.Output<string>;
  public readonly rotationLogGroupName: pulumi.Output<string>;
  public readonly rotationRoleArn: pulumi.Output<string>;
  /** The secret's initial value. Whatever logs in with the secret at deploy time (a migration) must `dependsOn` it. */
  public readonly secretVersion: aws.secretsmanager.SecretVersion;
  /** The rotation schedule; `undefined` while `deferRotation` leaves it to {@link configureRotation}. */
  public rotation: aws.secretsmanager.SecretRotation | undefined;
  private readonly rotationSettings: {
    name: string;
    secretId: pulumi.Output<string>;
    functionArn: pulumi.Output<string>;
    rotationDays: number;
    ready: pulumi.Resource[];
  };

  constructor(name: string, args: SecretsComponentArgs, opts?: pulumi.ComponentResourceOptions) {
    super('tap:secrets:SecretsComponent', name, {}, opts);

    // --- defaults, in one place -----------------------------------------------------------------------------------
    const { environment, environmentSuffix: suffix } = args;
    const username = args.username ?? SECRETS_DEFAULTS.username;
    const rotationDays = args.rotationDays ?? SECRETS_DEFAULTS.rotationDays;
    const reservedConcurrency = args.rotationReservedConcurrency ?? SECRETS_DEFAULTS.rotationReservedConcurrency;
    const logRetentionDays = args.logRetentionDays ?? SECRETS_DEFAULTS.logRetentionDays;
    const excludeCharacters = args.excludeCharacters ?? SECRETS_DEFAULTS.excludeCharacters;
    const tags = args.tags ?? {};
    assertSecretsSettings({ username, rotationDays, reservedConcurrency, logRetentionDays });
    const names = secretsResourceNames(environment, suffix);
    const rotationCode = args.rotationCode ?? new pulumi.asset.FileArchive(defaultRotationCodeDir());

    const { region } = aws.getRegionOutput({}, { parent: this });
    const { accountId } = aws.getCallerIdentityOutput({}, { parent: this });
    const httpsEgressCidrBlocks = args.httpsEgressCidrBlocks ?? [aws.ec2.getVpcOutput({ id: args.vpcId }, { parent: this }).cidrBlock];

    // --- secret ---------------------------------------------------------------------------------------------------
    const password = new random.RandomPassword(
      `${name}-password`,
      {
        length: SECRETS_DEFAULTS.initialPasswordLength,
        special: true,
        overrideSpecial: INITIAL_PASSWORD_SPECIALS,
        minLower: 1,
        minUpper: 1,
        minNumeric: 1,
        minSpecial: 1,
      },
      { parent: this },
    );
    const secret = new aws.secretsmanager.Secret(
      `${name}-secret`,
      {
        name: names.secret,
        description: `Database credentials of ${username} (engine, host, port, dbname, username, password), rotated every ${rotationDays} days`,
        kmsKeyId: args.kmsKeyArn,
        // Destroyable without the 7–30 day recovery window blocking a re-create under the same name.
        recoveryWindowInDays: 0,
        tags,
      },
      { parent: this },
    );
    const secretVersion = new aws.secretsmanager.SecretVersion(
      `${name}-secret-version`,
      {
        secretId: secret.id,
        // RandomPassword.result is already secret; wrapping the whole string keeps it so whatever is added later.
        secretString: pulumi.secret(
          pulumi.jsonStringify({
            engine: SECRET_ENGINE,
            host: args.host,
            port: args.port,
            dbname: args.dbname,
            username,
            password: password.result,
          }),
        ),
        // AWSCURRENT for the first deploy; INITIAL_VERSION_STAGE keeps the version from ever being deprecated and
        // deleted, which would make the next `up` re-create it with the initial password.
        versionStages: ['AWSCURRENT', INITIAL_VERSION_STAGE],
      },
      // Rotation owns the value and moves AWSCURRENT after the first deploy: neither may be put back.
      { parent: this, ignoreChanges: ['secretString', 'versionStages'] },
    );

    // --- network --------------------------------------------------------------------------------------------------
    const securityGroup = new aws.ec2.SecurityGroup(
      `${name}-rotation-sg`,
      {
        name: names.securityGroup,
        description: `${names.function}: egress to the database and Secrets Manager only`,
        vpcId: args.vpcId,
        tags: { ...tags, Name: names.securityGroup },
      },
      { parent: this },
    );
    const egressDb = new aws.vpc.SecurityGroupEgressRule(
      `${name}-rotation-egress-db`,
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
    const egressHttps = httpsEgressCidrBlocks.map(
      (cidr, i) =>
        new aws.vpc.SecurityGroupEgressRule(
          i === 0 ? `${name}-rotation-egress-https` : `${name}-rotation-egress-https-${i}`,
          {
            securityGroupId: securityGroup.id,
            cidrIpv4: cidr,
            ipProtocol: 'tcp',
            fromPort: HTTPS_PORT,
            toPort: HTTPS_PORT,
            description: 'HTTPS to the Secrets Manager VPC endpoint',
          },
          { parent: this },
        ),
    );
    // Lives on the database's group but belongs to this component: the database never needs to know about rotation.
    const dbIngress = new aws.vpc.SecurityGroupIngressRule(
      `${name}-rotation-db-ingress`,
      {
        securityGroupId: args.databaseSecurityGroupId,
        referencedSecurityGroupId: securityGroup.id,
        ipProtocol: 'tcp',
        fromPort: POSTGRES_PORT,
        toPort: POSTGRES_PORT,
        description: `PostgreSQL from ${names.function}`,
      },
      { parent: this },
    );

    // --- logs -----------------------------------------------------------------------------------------------------
    // Created before the function: otherwise Lambda creates it on first write, with no retention.
    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-rotation-logs`,
      { name: `/aws/lambda/${names.function}`, retentionInDays: logRetentionDays, tags },
      { parent: this },
    );

    // --- IAM ------------------------------------------------------------------------------------------------------
    const role = new aws.iam.Role(
      `${name}-rotation-role`,
      {
        name: names.role,
        assumeRolePolicy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
        }),
        tags,
      },
      { parent: this },
    );
    const rolePolicy = new aws.iam.RolePolicy(
      `${name}-rotation-policy`,
      {
        name: names.policy,
        role: role.id,
        policy: pulumi
          .all([secret.arn, pulumi.output(args.kmsKeyArn), logGroup.arn])
          .apply(([secretArn, kmsKeyArn, logGroupArn]) => rotationRolePolicy({ secretArn, kmsKeyArn, logGroupArn })),
      },
      { parent: this },
    );

    // --- function -------------------------------------------------------------------------------------------------
    const fn = new aws.lambda.Function(
      `${name}-rotation-function`,
      {
        name: names.function,
        description: `Single-user PostgreSQL rotation of ${names.secret}`,
        runtime: ROTATION_RUNTIME,
        handler: ROTATION_HANDLER,
        code: rotationCode,
        architectures: [SECRETS_DEFAULTS.rotationArchitecture],
        role: role.arn,
        memorySize: SECRETS_DEFAULTS.rotationMemorySize,
        timeout: SECRETS_DEFAULTS.rotationTimeoutSeconds,
        reservedConcurrentExecutions: reservedConcurrency,
        // No kmsKeyArn: the variables hold no secret, and Lambda could not use the secret's key anyway (its policy
        // allows use only through Secrets Manager; Lambda's CreateGrant for the environment would be refused).
        vpcConfig: { subnetIds: args.privateSubnetIds, securityGroupIds: [securityGroup.id] },
        environment: {
          variables: {
            SECRETS_MANAGER_ENDPOINT: pulumi.interpolate`https://secretsmanager.${region}.amazonaws.com`,
            EXCLUDE_CHARACTERS: excludeCharacters,
            DB_SSL: 'require',
            // Node.js 20+ Lambda runtimes no longer trust the RDS CA by default; this bundle ships with the runtime.
            NODE_EXTRA_CA_CERTS: '/var/runtime/ca-cert.pem',
            POWERTOOLS_SERVICE_NAME: 'db-rotation',
          },
        },
        loggingConfig: { logFormat: 'JSON', logGroup: logGroup.name },
        tags,
      },
      // The role needs its ENI permissions before CreateFunction with a VPC config succeeds; the log group (with its
      // retention) must exist before the first invocation writes to it.
      { parent: this, dependsOn: [rolePolicy, logGroup] },
    );
    const permission = new aws.lambda.Permission(
      `${name}-rotation-permission`,
      {
        action: 'lambda:InvokeFunction',
        function: fn.name,
        principal: 'secretsmanager.amazonaws.com',
        // Confused-deputy guard: only Secrets Manager acting for this account, on this secret.
        sourceAccount: accountId,
        sourceArn: secret.arn,
      },
      { parent: this },
    );
    this.secretVersion = secretVersion;
    this.rotationSettings = {
      name,
      secretId: secret.id,
      functionArn: fn.arn,
      rotationDays,
      // The function must be invocable and able to reach the database and Secrets Manager before rotation is configured.
      ready: [permission, secretVersion, dbIngress, egressDb, ...egressHttps],
    };
    this.rotation = args.deferRotation ? undefined : this.configureRotation([]);

    this.secretArn = secret.arn;
    this.secretName = secret.name;
    this.rotationFunctionArn = fn.arn;
    this.rotationFunctionName = fn.name;
    this.rotationSecurityGroupId = securityGroup.id;
    this.rotationLogGroupName = logGroup.name;
    this.rotationRoleArn = role.arn;

    this.registerOutputs({
      secretArn: this.secretArn,
      secretName: this.secretName,
      rotationFunctionArn: this.rotationFunctionArn,
      rotationFunctionName: this.rotationFunctionName,
      rotationSecurityGroupId: this.rotationSecurityGroupId,
      rotationLogGroupName: this.rotationLogGroupName,
      rotationRoleArn: this.rotationRoleArn,
    });
  }

  /**
   * Configures rotation (every `rotationDays` days, first one a period from now) once `after` exists. Secrets Manager
   * runs the function's testSecret step while configuring it, so `after` must include whatever creates the database
   * user in the secret. Call once, and only with `deferRotation: true`.
   *
   * @example
   * const secrets = new SecretsComponent('secrets', { ...args, deferRotation: true });
   * secrets.configureRotation([migration]);
   */
  public configureRotation(after: pulumi.Resource[]): aws.secretsmanager.SecretRotation {
    if (this.rotation !== undefined) {
      throw new SecretsComponentError('rotation is already configured: configureRotation is called once, with deferRotation: true');
    }
    const { name, secretId, functionArn, rotationDays, ready } = this.rotationSettings;
    this.rotation = new aws.secretsmanager.SecretRotation(
      `${name}-rotation`,
      {
        secretId,
        rotationLambdaArn: functionArn,
        rotationRules: { automaticallyAfterDays: rotationDays },
        // Not at creation: a new secret's first rotation would race the first deploy. Configuring still runs testSecret.
        rotateImmediately: false,
      },
      { parent: this, dependsOn: [...ready, ...after] },
    );
    return this.rotation;
  }
}

/**
 * Physical names of the component's resources. Validates environment and suffix through `resourceName`.
 *
 * @example
 * secretsResourceNames('dev', '001').secret; // 'dev-db-credentials-001'
 */
export function secretsResourceNames(environment: SecretsComponentArgs['environment'], suffix: string) {
  const fn = resourceName('db-rotation', environment, suffix);
  // The secret keeps the platform's documented name `{environment}-db-credentials-{suffix}`; resourceName above has
  // already checked both parts.
  return {
    secret: `${environment}-db-credentials-${suffix}`,
    function: fn,
    securityGroup: resourceName('rotation-sg', environment, suffix),
    role: resourceName('db-rotation-role', environment, suffix),
    policy: resourceName('db-rotation-policy', environment, suffix),
  };
}

/**
 * Checks the scalar settings of SecretsComponent; throws SecretsComponentError naming the setting and the fix.
 *
 * @example
 * assertSecretsSettings({ username: 'tap_app', rotationDays: 30, reservedConcurrency: 1, logRetentionDays: 30 });
 */
export function assertSecretsSettings(settings: {
  username: string;
  rotationDays: number;
  reservedConcurrency: number;
  logRetentionDays: number;
}): void {
  const { username, rotationDays, reservedConcurrency, logRetentionDays } = settings;
  if (!Number.isInteger(rotationDays) || rotationDays < ROTATION_DAYS_RANGE.min || rotationDays > ROTATION_DAYS_RANGE.max) {
    throw new SecretsComponentError(
      `rotationDays must be an integer from ${ROTATION_DAYS_RANGE.min} to ${ROTATION_DAYS_RANGE.max}, got ${rotationDays}; our policy expects 30`,
    );
  }
  if (!Number.isInteger(reservedConcurrency) || reservedConcurrency < 1) {
    throw new SecretsComponentError(`rotationReservedConcurrency must be an integer of at least 1, got ${reservedConcurrency}`);
  }
  if (!Number.isInteger(logRetentionDays) || logRetentionDays < 1) {
    throw new SecretsComponentError(`logRetentionDays must be a positive integer, got ${logRetentionDays}`);
  }
  // PostgreSQL identifiers are at most 63 bytes; anything longer is silently truncated, so the secret would lie.
  if (username.length === 0 || Buffer.byteLength(username) > 63) {
    throw new SecretsComponentError(`username must be 1 to 63 bytes (a PostgreSQL role name), got "${username}"`);
  }
}

/**
 * The folder holding the rotation bundle (`index.js`) that the package build writes. In the published package it is
 * `<package>/rotation`; from the workspace sources (tsconfig paths) it is `dist/packages/secrets/rotation`.
 * Throws when neither holds `index.js`: build the package first, or pass `rotationCode`.
 *
 * @example
 * new pulumi.asset.FileArchive(defaultRotationCodeDir());
 */
export function defaultRotationCodeDir(): string {
  const candidates = [join(__dirname, '..', 'rotation'), join(__dirname, '..', '..', '..', 'dist', 'packages', 'secrets', 'rotation')];
  const found = candidates.find((dir) => existsSync(join(dir, 'index.js')));
  if (found === undefined) {
    throw new SecretsComponentError(
      `rotation bundle not found (looked for index.js in ${candidates.join(' and ')}); build it with "nx build secrets" or pass rotationCode`,
    );
  }
  return found;
}

/**
 * The rotation function's inline policy. Every statement names its exact ARNs except the two AWS cannot scope
 * (GetRandomPassword and the VPC network-interface actions), each in a statement of its own.
 *
 * @example
 * rotationRolePolicy({ secretArn, kmsKeyArn, logGroupArn });
 */
export function rotationRolePolicy(input: { secretArn: string; kmsKeyArn: string; logGroupArn: string }): string {
  const statements = [
    {
      Sid: 'RotateThisSecret',
      Effect: 'Allow',
      Action: [...ROTATION_SECRET_ACTIONS],
      Resource: [input.secretArn],
    },
    {
      Sid: 'GenerateRandomPassword',
      Effect: 'Allow',
      Action: ['secretsmanager:GetRandomPassword'],
      // Wildcard by necessity: GetRandomPassword acts on no resource, so IAM accepts only "*" for it.
      Resource: '*',
    },
    {
      Sid: 'UseThisSecretKey',
      Effect: 'Allow',
      Action: [...ROTATION_KMS_ACTIONS],
      Resource: [input.kmsKeyArn],
    },
    {
      Sid: 'VpcNetworkInterfaces',
      Effect: 'Allow',
      Action: [...VPC_NETWORK_INTERFACE_ACTIONS],
      // Wildcard by necessity: these EC2 actions support no resource-level permissions for Lambda's ENIs.
      Resource: '*',
    },
    {
      Sid: 'WriteOwnLogGroup',
      Effect: 'Allow',
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: [`${input.logGroupArn}:*`],
    },
  ];
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}
