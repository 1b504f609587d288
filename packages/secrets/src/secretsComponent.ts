import * as ec2 from '@pulumi/aws/ec2';
import * as secretsmanager from '@pulumi/aws/secretsmanager';
import * as pulumi from '@pulumi/pulumi';
import * as random from '@pulumi/random';
import { INITIAL_PASSWORD_SPECIALS, INITIAL_VERSION_STAGE, SECRETS_DEFAULTS, SECRET_ENGINE } from './constants';
import { SecretsComponentError } from './errors';
import { secretsResourceNames } from './names';
import { createRotationFunction, defaultRotationCodeDir } from './rotationFunction';
import type { SecretsComponentArgs } from './types';
import { assertSecretsNames, assertSecretsSettings } from './validate';

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
  public readonly secretVersion: secretsmanager.SecretVersion;
  /** The rotation schedule; `undefined` while `deferRotation` leaves it to {@link configureRotation}. */
  public rotation: secretsmanager.SecretRotation | undefined;
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
    const logRetentionDays = args.logging?.retentionDays ?? SECRETS_DEFAULTS.logRetentionDays;
    const excludeCharacters = args.excludeCharacters ?? SECRETS_DEFAULTS.excludeCharacters;
    const tags = args.tags ?? {};
    assertSecretsSettings({ username, rotationDays, reservedConcurrency, logRetentionDays });
    const names = secretsResourceNames(environment, suffix);
    // Every name against its AWS limit before any resource exists: a name over it fails the deploy halfway.
    assertSecretsNames(name, environment, suffix);
    const rotationCode = args.rotationCode ?? new pulumi.asset.FileArchive(defaultRotationCodeDir());

    const httpsEgressCidrBlocks = args.httpsEgressCidrBlocks ?? [ec2.getVpcOutput({ id: args.vpcId }, { parent: this }).cidrBlock];

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
    const secret = new secretsmanager.Secret(
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
    const secretVersion = new secretsmanager.SecretVersion(
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

    // --- rotation function ----------------------------------------------------------------------------------------
    const rotation = createRotationFunction(
      name,
      { names, args, secretArn: secret.arn, httpsEgressCidrBlocks, logRetentionDays, reservedConcurrency, excludeCharacters, rotationCode, tags },
      this,
    );
    this.secretVersion = secretVersion;
    this.rotationSettings = {
      name,
      secretId: secret.id,
      functionArn: rotation.fn.arn,
      rotationDays,
      ready: [secretVersion, ...rotation.ready],
    };
    this.rotation = args.deferRotation ? undefined : this.configureRotation([]);

    this.secretArn = secret.arn;
    this.secretName = secret.name;
    this.rotationFunctionArn = rotation.fn.arn;
    this.rotationFunctionName = rotation.fn.name;
    this.rotationSecurityGroupId = rotation.securityGroupId;
    this.rotationLogGroupName = rotation.logGroup.name;
    this.rotationRoleArn = rotation.role.arn;

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
  public configureRotation(after: pulumi.Resource[]): secretsmanager.SecretRotation {
    if (this.rotation !== undefined) {
      throw new SecretsComponentError('rotation is already configured: configureRotation is called once, with deferRotation: true');
    }
    const { name, secretId, functionArn, rotationDays, ready } = this.rotationSettings;
    this.rotation = new secretsmanager.SecretRotation(
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

