// The ordering rules over graphs a real Pulumi program produces under the mocks: the dependencies are what the SDK
// sends the engine (Outputs in the inputs, dependsOn, a component expanded into its children), not hand-written.
import * as ec2 from '@pulumi/aws/ec2';
import * as lambda from '@pulumi/aws/lambda';
import * as rds from '@pulumi/aws/rds';
import * as secretsmanager from '@pulumi/aws/secretsmanager';
import * as vpc from '@pulumi/aws/vpc';
import * as pulumi from '@pulumi/pulumi';
import { installMocks, recordGraph, type GraphResource } from '@tap/pulumi-testing';
import { evaluatePolicies, orderingPolicies, type PolicyViolation } from '../../src';

installMocks();
const graph = recordGraph();
const IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/payments@sha256:abc';
const ROLE = 'arn:aws:iam::123456789012:role/lambda';

class Database extends pulumi.ComponentResource {
  readonly cluster: rds.Cluster;

  constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
    super('test:index:Database', name, {}, opts);
    this.cluster = new rds.Cluster(`${name}-cluster`, { engine: 'aurora-postgresql', clusterIdentifier: `${name}-cluster` }, { parent: this });
    new rds.ClusterInstance(`${name}-instance-0`, { clusterIdentifier: this.cluster.id, instanceClass: 'db.t4g.medium', engine: 'aurora-postgresql', identifier: `${name}-instance-0` }, { parent: this });
    this.registerOutputs({});
  }
}

/**
 * Our stack's shape. `fixed: false` is the wiring the tap-stack had: the migration waits only for its function,
 * rotation is configured with the secret, the app function does not wait for the migration.
 */
function program(prefix: string, fixed: boolean): number {
  const db = new Database(`${prefix}-db`);
  const dbSg = new ec2.SecurityGroup(`${prefix}-db-sg`, { vpcId: 'vpc-1' });
  const appSg = new ec2.SecurityGroup(`${prefix}-app-sg`, { vpcId: 'vpc-1' });
  const ingress = new vpc.SecurityGroupIngressRule(`${prefix}-db-ingress`, { securityGroupId: dbSg.id, referencedSecurityGroupId: appSg.id, ipProtocol: 'tcp', fromPort: 5432, toPort: 5432 });
  const egress = new vpc.SecurityGroupEgressRule(`${prefix}-app-egress-db`, { securityGroupId: appSg.id, referencedSecurityGroupId: dbSg.id, ipProtocol: 'tcp', fromPort: 5432, toPort: 5432 });
  const secret = new secretsmanager.Secret(`${prefix}-secret`, { name: `${prefix}-db-credentials` });
  const version = new secretsmanager.SecretVersion(`${prefix}-secret-version`, { secretId: secret.id, secretString: pulumi.secret('{}') });
  const migrate = new lambda.Function(`${prefix}-migrate`, {
    name: `${prefix}-migrate`,
    packageType: 'Image',
    imageUri: IMAGE,
    role: ROLE,
    vpcConfig: { securityGroupIds: [appSg.id], subnetIds: ['subnet-a'] },
    environment: { variables: { DB_SECRET_ARN: secret.arn, DB_HOST: db.cluster.endpoint } },
  });
  const invocation = new lambda.Invocation(
    `${prefix}-migrate-invocation`,
    { functionName: migrate.name, input: '{}' },
    // The database component stands for its cluster and its instance.
    fixed ? { dependsOn: [db, ingress, egress, version] } : {},
  );
  new lambda.Function(`${prefix}-app`, { name: `${prefix}-app`, packageType: 'Image', imageUri: IMAGE, role: ROLE }, fixed ? { dependsOn: [invocation] } : {});
  const rotationFn = new lambda.Function(`${prefix}-rotation`, { name: `${prefix}-rotation`, runtime: 'nodejs22.x', handler: 'index.handler', code: new pulumi.asset.AssetArchive({}), role: ROLE });
  new secretsmanager.SecretRotation(
    `${prefix}-rotation`,
    { secretId: secret.id, rotationLambdaArn: rotationFn.arn, rotationRules: { automaticallyAfterDays: 30 } },
    fixed ? { dependsOn: [invocation] } : {},
  );
  return 14; // registrations: the component, its 2 children and 11 resources
}

const expected = program('broken', false) + program('fixed', true);
let resources: GraphResource[];
beforeAll(async () => {
  resources = await graph.settled(expected);
});

function violations(prefix: string): PolicyViolation[] {
  // The rules look at the whole stack: give them one program's resources only.
  const mine = resources.filter((r) => r.name.startsWith(`${prefix}-`));
  return evaluatePolicies(mine, { stackName: 'dev', environment: 'dev', policies: orderingPolicies });
}

describe('ordering rules over a program run under the mocks', () => {
  it('records what the SDK sends: Outputs and dependsOn, a component expanded into its custom children', () => {
    // Prepare
    const byName = (name: string) => resources.find((r) => r.name === name) as GraphResource;
    // Act
    const broken = byName('broken-migrate-invocation');
    const fixed = byName('fixed-migrate-invocation');
    // Assess
    expect(broken.dependencies).toEqual([byName('broken-migrate').urn]);
    expect(broken.propertyDependencies).toEqual({ functionName: [byName('broken-migrate').urn] });
    expect(fixed.dependencies).toEqual(
      ['fixed-db-cluster', 'fixed-db-instance-0', 'fixed-db-ingress', 'fixed-app-egress-db', 'fixed-secret-version', 'fixed-migrate'].map((n) => byName(n).urn).sort(),
    );
    expect(fixed.dependencies).not.toContain(byName('fixed-db').urn);
  });

  it('flags the old wiring under all three rules', () => {
    // Act
    const found = violations('broken').map((v) => `${v.policyName} ${v.resourceName}`);
    // Assess
    expect(found).toEqual([
      'migration-after-database broken-migrate-invocation',
      'rotation-after-migration broken-rotation',
      'function-after-migration broken-app',
    ]);
    expect(violations('broken')[0].message).toContain(
      'Fix: add dependsOn: [broken-db-instance-0, broken-app-egress-db, broken-db-ingress, broken-secret-version] on the invocation.',
    );
  });

  it('passes the fixed wiring, where rotation reaches the instance only through the migration', () => {
    expect(violations('fixed')).toEqual([]);
  });
});
