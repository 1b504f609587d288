import * as pulumi from '@pulumi/pulumi';
import {
  DatabaseComponent,
  LambdaComponent,
  MonitoringComponent,
  NetworkingStack,
  STACK_NAMES,
  SecretsComponent,
  createCustomerManagedKey,
  databaseKeyPolicy,
  resourceName,
} from '@tap/components';
import type { ConfigManifest } from '@tap/manifest';
import { createConfigManifestOutput } from '@tap/manifest/pulumi';
import type { EnvironmentConfig } from '@tap/validation';
import { MIGRATION_LATENCY_THRESHOLD_MS, ROTATION_LATENCY_THRESHOLD_MS } from './constants';

/** Arguments of {@link TapStack}. */
export interface TapStackArgs {
  /** The validated environment (see `readStackSettings`). Required. */
  config: EnvironmentConfig;
  /** Fully qualified networking stack reference. Required. */
  networkingStackRef: string;
  /**
   * The payment-processor Docker build context, relative to the Pulumi project directory (where `pulumi` runs), so the
   * image inputs are the same wherever the checkout lives. Required.
   */
  imageBuildContext: string;
  /** Code of the secret rotation function. Default: the bundle `@tap/secrets` ships (`defaultRotationCodeDir()`). */
  rotationCode?: pulumi.asset.Archive;
  /** Email subscribed to the alarm topic. Default: no subscription. */
  alarmEmail?: string;
  /** Timestamp of the config manifest (ISO 8601). Default: now. */
  manifestTimestamp?: string;
}

/**
 * The TAP payment platform for one environment: networking (read from the networking stack) -> KMS -> Aurora ->
 * database credentials secret with rotation -> the payment Lambda -> alarms -> the config manifest.
 *
 * @example
 * const stack = new TapStack('tap', { config, networkingStackRef: 'organization/networking-stack/dev', imageBuildContext });
 */
export class TapStack extends pulumi.ComponentResource {
  public readonly databaseEndpoint: pulumi.Output<string>;
  public readonly lambdaFunctionArn: pulumi.Output<string>;
  public readonly secretArn: pulumi.Output<string>;
  public readonly configManifest: pulumi.Output<ConfigManifest>;
  public readonly configHash: pulumi.Output<string>;

  constructor(name: string, args: TapStackArgs, opts?: pulumi.ComponentResourceOptions) {
    super('tap:stack:TapStack', name, {}, opts);
    const { config } = args;
    const { environment, environmentSuffix } = config;
    // Each component takes its settings block whole, by the settings' own names (`...config.database`), and the log
    // retention as `logging`: a new setting reaches its component with no line here.

    const network = new NetworkingStack(`${name}-network`, { environment, stackReference: args.networkingStackRef }, { parent: this });

    // One customer-managed key for the database and its credentials; RDS and Secrets Manager may use it, nobody else.
    const { key } = createCustomerManagedKey(
      `${name}-key`,
      {
        description: `TAP ${environment}-${environmentSuffix}: Aurora storage and database credentials`,
        enableKeyRotation: config.encryption.keyRotation,
        policy: ({ accountId, partition, region }) => databaseKeyPolicy(accountId, partition, region),
        aliasName: STACK_NAMES.keyAlias(environment, environmentSuffix),
        tags: { Name: resourceName('kms-key', environment, environmentSuffix) },
      },
      this,
    );

    const database = new DatabaseComponent(
      `${name}-db`,
      {
        environment,
        environmentSuffix,
        vpcId: network.vpcId,
        privateSubnetIds: network.privateSubnetIds,
        kmsKeyArn: key.arn,
        ...config.database,
        logging: config.logging,
      },
      { parent: this },
    );

    // The application's own credentials (least-privilege role), rotated by a Lambda in the VPC. The master user's
    // secret stays with RDS (managed rotation) and is only for migrations and operators. Rotation is configured once the
    // migration has created the application role: configuring it runs the function's testSecret step, which logs in.
    const secrets = new SecretsComponent(
      `${name}-secrets`,
      {
        environment,
        environmentSuffix,
        kmsKeyArn: key.arn,
        vpcId: network.vpcId,
        privateSubnetIds: network.privateSubnetIds,
        databaseSecurityGroupId: database.securityGroupId,
        // HTTPS only inside the VPC: Secrets Manager through the networking stack's interface endpoint.
        httpsEgressCidrBlocks: [network.vpcCidr],
        host: database.endpoint,
        port: database.port,
        dbname: database.databaseName,
        ...config.secrets,
        logging: config.logging,
        rotationCode: args.rotationCode,
        deferRotation: true,
      },
      { parent: this },
    );
    const secretArn = secrets.secretArn;

    const lambda = new LambdaComponent(
      `${name}-payments`,
      {
        environment,
        environmentSuffix,
        buildContext: args.imageBuildContext,
        vpcId: network.vpcId,
        privateSubnetIds: network.privateSubnetIds,
        dbSecretArn: secretArn,
        databaseSecurityGroupId: database.securityGroupId,
        // HTTPS only inside the VPC: Secrets Manager through the networking stack's interface endpoint.
        httpsEgressCidrBlocks: [network.vpcCidr],
        kmsKeyArn: key.arn,
        ...config.lambda,
        logging: config.logging,
        // Migrations connect as the master user (RDS-managed secret: username and password only, hence DB_HOST…)
        // and create the application role with the password in the application secret.
        migrations: {
          ownerSecretArn: database.masterUserSecretArn,
          // On a first deploy the function exists long before the database can answer: wait for every instance and for
          // the application secret's value (the migration creates the role with that password).
          dependsOn: [...database.instances, secrets.secretVersion],
          environment: {
            DB_HOST: database.endpoint,
            DB_PORT: database.port.apply((port) => String(port)),
            DB_NAME: database.databaseName,
          },
        },
      },
      { parent: this },
    );
    const migrationFunctionName = lambda.migrationFunctionName;
    if (!migrationFunctionName || !lambda.migration) throw new Error('LambdaComponent created no migration function');
    secrets.configureRotation([lambda.migration]);

    new MonitoringComponent(
      `${name}-monitoring`,
      {
        environment,
        environmentSuffix,
        functionName: lambda.functionName,
        clusterIdentifier: database.clusterIdentifier,
        ...config.monitoring,
        // Rotation runs in the background once a month: any error (> 0) is worth a page; a step near the
        // function's timeout means the database or Secrets Manager endpoint is hard to reach.
        additionalFunctions: [
          { key: STACK_NAMES.rotationAlarmKey, functionName: secrets.rotationFunctionName, errorThreshold: 0, latencyThresholdMs: ROTATION_LATENCY_THRESHOLD_MS },
          { key: STACK_NAMES.migrationAlarmKey, functionName: migrationFunctionName, errorThreshold: 0, latencyThresholdMs: MIGRATION_LATENCY_THRESHOLD_MS },
        ],
        alarmEmail: args.alarmEmail,
        logging: config.logging,
        databaseInstances: database.instances,
      },
      { parent: this },
    );

    this.databaseEndpoint = database.endpoint;
    this.lambdaFunctionArn = lambda.functionArn;
    this.secretArn = secretArn;
    this.configManifest = createConfigManifestOutput(config, { imageUri: lambda.imageUri, timestamp: args.manifestTimestamp });
    this.configHash = this.configManifest.apply((m) => m.configHash);
    this.registerOutputs({
      databaseEndpoint: this.databaseEndpoint,
      lambdaFunctionArn: this.lambdaFunctionArn,
      secretArn: this.secretArn,
      configManifest: this.configManifest,
      configHash: this.configHash,
    });
  }
}
