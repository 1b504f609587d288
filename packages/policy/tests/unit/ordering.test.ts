import {
  assertSynthResources,
  dependencyClosure,
  evaluatePolicies,
  functionAfterMigration,
  migrationAfterDatabase,
  ORDERING_TYPES,
  orderingPolicies,
  PolicyInputError,
  policies,
  postgresPorts,
  ruleCoversPort,
  rotationAfterMigration,
  stackValidationArgs,
  TYPES,
  type SynthResource,
} from '../../src';
import { loadFixture, record, runStack, tags } from '../helpers';

/*
 * A small stack in our shape, with the dependencies a correct program sends: the migration waits for the database,
 * the PostgreSQL rules of its function and the credentials; rotation waits for the migration; the app function runs
 * the migrated image after the migration.
 */
const IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/payment-processor-dev-001@sha256:aaaa';
const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:dev-db-credentials-001-AbCdEf';

function withDeps(resource: SynthResource, ...deps: SynthResource[]): SynthResource {
  return { ...resource, dependencies: deps.map((d) => d.urn) };
}

function stack() {
  const cluster = record(TYPES.cluster, 'db-cluster', { clusterIdentifier: 'aurora-cluster-dev-001', engine: 'aurora-postgresql' });
  const instance = withDeps(record(TYPES.clusterInstance, 'db-instance-0', { identifier: 'aurora-instance-1-dev-001', clusterIdentifier: 'aurora-cluster-dev-001' }), cluster);
  const dbIngress = record(TYPES.ingressRule, 'db-ingress-app', { securityGroupId: 'sg-db', referencedSecurityGroupId: 'sg-app', ipProtocol: 'tcp', fromPort: 5432, toPort: 5432 });
  const appEgress = record(ORDERING_TYPES.egressRule, 'app-egress-db', { securityGroupId: 'sg-app', referencedSecurityGroupId: 'sg-db', ipProtocol: 'tcp', fromPort: 5432, toPort: 5432 });
  const appHttps = record(ORDERING_TYPES.egressRule, 'app-egress-https', { securityGroupId: 'sg-app', cidrIpv4: '10.0.0.0/16', ipProtocol: 'tcp', fromPort: 443, toPort: 443 });
  const rotationIngress = record(TYPES.ingressRule, 'db-ingress-rotation', { securityGroupId: 'sg-db', referencedSecurityGroupId: 'sg-rot', ipProtocol: 'tcp', fromPort: 5432, toPort: 5432 });
  const secret = record(TYPES.secret, 'db-secret', { name: 'dev-db-credentials-001' });
  const version = withDeps(record(ORDERING_TYPES.secretVersion, 'db-secret-version', { secretId: 'db-secret-id', secretString: '[secret]' }), secret);
  const apiKey = record(TYPES.secret, 'api-key', { name: 'dev-api-key-001' });
  const apiKeyVersion = withDeps(record(ORDERING_TYPES.secretVersion, 'api-key-version', { secretId: 'api-key-id', secretString: '[secret]' }), apiKey);
  const migrate = record(TYPES.lambdaFunction, 'migrate-fn', {
    name: 'payment-processor-migrate-dev-001',
    imageUri: IMAGE,
    vpcConfig: { securityGroupIds: ['sg-app'], subnetIds: ['subnet-a'] },
    environment: { variables: { DB_SECRET_ARN: SECRET_ARN } },
  });
  const invocation = withDeps(
    record(ORDERING_TYPES.invocation, 'migrate-invocation', { functionName: 'payment-processor-migrate-dev-001', input: '{}' }),
    migrate,
    instance,
    dbIngress,
    appEgress,
    version,
  );
  const app = withDeps(record(TYPES.lambdaFunction, 'app-fn', { name: 'payment-processor-dev-001', imageUri: IMAGE, vpcConfig: { securityGroupIds: ['sg-app'] } }), invocation);
  const rotationFn = record(TYPES.lambdaFunction, 'rotation-fn', { name: 'db-rotation-dev-001', packageType: 'Zip', vpcConfig: { securityGroupIds: ['sg-rot'] } });
  // Through the invocation, rotation also waits for the instance: the rules read the transitive closure.
  const rotation = withDeps(record(TYPES.secretRotation, 'db-rotation', { secretId: 'db-secret-id', rotationLambdaArn: 'arn:aws:lambda:us-east-1:123456789012:function:db-rotation-dev-001' }), secret, rotationFn, invocation);
  return { cluster, instance, dbIngress, appEgress, appHttps, rotationIngress, secret, version, apiKey, apiKeyVersion, migrate, invocation, app, rotationFn, rotation };
}

const all = (s: ReturnType<typeof stack>) => Object.values(s);
/** The stack with one resource's dependencies replaced. */
function rewired(name: keyof ReturnType<typeof stack>, ...deps: (keyof ReturnType<typeof stack>)[]): SynthResource[] {
  const s = stack();
  s[name] = withDeps(s[name], ...deps.map((d) => s[d]));
  return all(s);
}

describe('the ordering policies in the pack', () => {
  it('are part of `policies`, mandatory, so the CrossGuard pack and tap-policy check both run them', () => {
    // Act
    const names = policies.map((p) => p.name);
    // Assess
    expect(names).toEqual(expect.arrayContaining(['migration-after-database', 'rotation-after-migration', 'function-after-migration']));
    expect(orderingPolicies.every((p) => p.enforcementLevel === 'mandatory' && 'validateStack' in p)).toBe(true);
  });
});

describe('a correctly ordered stack', () => {
  it('passes every ordering rule', () => {
    // Act
    const outcomes = orderingPolicies.map((p) => runStack(p, all(stack())));
    // Assess
    expect(outcomes.map((o) => o.messages)).toEqual([[], [], []]);
    expect(outcomes.map((o) => o.notApplicable)).toEqual([undefined, undefined, undefined]);
  });

  it('passes when the order comes through other resources (transitive), not direct dependsOn', () => {
    // Prepare: the invocation waits only for a gate that waits for everything
    const s = stack();
    const gate = withDeps(record('aws:ssm/parameter:Parameter', 'gate', {}), s.migrate, s.instance, s.dbIngress, s.appEgress, s.version);
    s.invocation = withDeps(s.invocation, gate);
    // Act
    const { messages } = runStack(migrationAfterDatabase, [...all(s), gate]);
    // Assess
    expect(messages).toEqual([]);
  });

  it('passes the compliant fixture (no migration; its rotation waits for the instance)', () => {
    expect(evaluatePolicies(loadFixture(), { stackName: 'dev', environment: 'dev', policies: orderingPolicies })).toEqual([]);
  });
});

describe('migration-after-database', () => {
  it('reports a migration that waits only for its function (today\'s wiring), naming what it must wait for and the fix', () => {
    // Act
    const { messages, urns } = runStack(migrationAfterDatabase, rewired('invocation', 'migrate'));
    // Assess: the rotation function's rule and the API key's version are not the migration's business
    expect(messages).toEqual([
      "Lambda invocation 'migrate-invocation' can run before cluster instances 'db-instance-0' (aurora-instance-1-dev-001); " +
        "PostgreSQL security-group rules 'app-egress-db', 'db-ingress-app'; secret versions 'db-secret-version' exist, " +
        'so the migration cannot reach the database or read its credentials. ' +
        'Fix: add dependsOn: [db-instance-0, app-egress-db, db-ingress-app, db-secret-version] on the invocation.',
    ]);
    expect(urns).toEqual([stack().invocation.urn]);
  });

  it('reports each missing prerequisite on its own: the instance, a rule, the secret version', () => {
    // Act
    const noInstance = runStack(migrationAfterDatabase, rewired('invocation', 'migrate', 'dbIngress', 'appEgress', 'version')).messages;
    const noEgress = runStack(migrationAfterDatabase, rewired('invocation', 'migrate', 'instance', 'dbIngress', 'version')).messages;
    const noVersion = runStack(migrationAfterDatabase, rewired('invocation', 'migrate', 'instance', 'dbIngress', 'appEgress')).messages;
    // Assess
    expect(noInstance).toHaveLength(1);
    expect(noInstance[0]).toContain("before cluster instances 'db-instance-0' (aurora-instance-1-dev-001) exist");
    expect(noInstance[0]).toContain('Fix: add dependsOn: [db-instance-0] on the invocation.');
    expect(noEgress[0]).toContain("before PostgreSQL security-group rules 'app-egress-db' exist");
    expect(noVersion[0]).toContain("before secret versions 'db-secret-version' exist");
  });

  it('falls back to every PostgreSQL rule and every secret version when the function\'s groups and secrets cannot be told', () => {
    // Prepare: the function names no security group and no secret
    const s = stack();
    s.migrate = record(TYPES.lambdaFunction, 'migrate-fn', { name: 'payment-processor-migrate-dev-001', imageUri: IMAGE });
    s.invocation = withDeps(s.invocation, s.migrate, s.instance, s.dbIngress, s.appEgress, s.version);
    // Act
    const { messages } = runStack(migrationAfterDatabase, all(s));
    // Assess: the rotation's 5432 rule and the API key's version are now required too; the HTTPS rule never is
    expect(messages).toEqual([expect.stringContaining('Fix: add dependsOn: [db-ingress-rotation, api-key-version] on the invocation.')]);
  });

  it('finds the secrets a function reads through its role\'s GetSecretValue grant', () => {
    // Prepare: no secret in the environment, the role may read the API key only
    const s = stack();
    const role = record(TYPES.role, 'migrate-role', { name: 'migrate-role-dev-001' });
    const policy = record(TYPES.rolePolicy, 'migrate-role-policy', {
      role: 'migrate-role-dev-001',
      policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:dev-api-key-001-XyZ123' }] }),
    });
    s.migrate = { ...s.migrate, inputs: { ...s.migrate.inputs, environment: {}, role: 'arn:aws:iam::123456789012:role/migrate-role-dev-001' } };
    // Act
    const { messages } = runStack(migrationAfterDatabase, [...all(s), role, policy]);
    // Assess
    expect(messages).toEqual([expect.stringContaining("before secret versions 'api-key-version' exist")]);
  });

  it('uses the propertyDependencies of functionName to find the invoked function when the name does not say it', () => {
    // Prepare: functionName is unknown text offline, but the engine says which function it came from
    const s = stack();
    s.invocation = { ...withDeps(s.invocation, s.migrate), inputs: { functionName: 'opaque' }, propertyDependencies: { functionName: [s.migrate.urn] } };
    // Act
    const { messages } = runStack(migrationAfterDatabase, all(s));
    // Assess: the function's own rules (not the fallback's rotation rule) are named
    expect(messages[0]).toContain("PostgreSQL security-group rules 'app-egress-db', 'db-ingress-app';");
  });

  it('is not applicable without an invocation', () => {
    expect(runStack(migrationAfterDatabase, loadFixture()).notApplicable).toBe('no Lambda invocation in the stack');
  });
});

describe('rotation-after-migration', () => {
  it('reports rotation configured before the migration and the instances (today\'s SecretsComponent wiring)', () => {
    // Act
    const { messages, urns } = runStack(rotationAfterMigration, rewired('rotation', 'secret', 'rotationFn'));
    // Assess
    expect(messages).toEqual([
      "Secret rotation 'db-rotation' can be configured before 'migrate-invocation', 'db-instance-0' (aurora-instance-1-dev-001) exist; " +
        "configuring it runs the rotation function's testSecret step, which needs the database and the user the migration creates. " +
        'Fix: add dependsOn: [migrate-invocation, db-instance-0] on the rotation.',
    ]);
    expect(urns).toEqual([stack().rotation.urn]);
  });

  it('reports a rotation that waits for the instance but not the migration', () => {
    // Act
    const { messages } = runStack(rotationAfterMigration, rewired('rotation', 'secret', 'instance'));
    // Assess
    expect(messages).toEqual([expect.stringContaining('Fix: add dependsOn: [migrate-invocation] on the rotation.')]);
  });

  it('is not applicable without a rotation', () => {
    expect(runStack(rotationAfterMigration, all(stack()).filter((r) => r.type !== TYPES.secretRotation)).notApplicable).toBe('no secret rotation in the stack');
  });
});

describe('function-after-migration', () => {
  it('reports a function on the migrated image that does not wait for the migration', () => {
    // Act
    const { messages, urns } = runStack(functionAfterMigration, rewired('app'));
    // Assess: neither the invoked function itself nor the zip rotation function is reported
    expect(messages).toEqual([
      `Lambda function 'app-fn' (payment-processor-dev-001) runs image ${IMAGE} and can be updated before its migration 'migrate-invocation' has run, ` +
        'so new code can serve an old schema. Fix: add dependsOn: [migrate-invocation] on the function.',
    ]);
    expect(urns).toEqual([stack().app.urn]);
  });

  it('leaves alone a function on another image', () => {
    // Prepare
    const s = stack();
    s.app = { ...s.app, inputs: { ...s.app.inputs, imageUri: `${IMAGE}-other` }, dependencies: [] };
    // Act
    const { messages } = runStack(functionAfterMigration, all(s));
    // Assess
    expect(messages).toEqual([]);
  });
});

describe('dependencyClosure', () => {
  it('follows dependencies transitively and stops on a cycle', () => {
    // Prepare: a → b → c → a, d → a
    const a = record(TYPES.topic, 'a', {});
    const b = record(TYPES.topic, 'b', {});
    const c = record(TYPES.topic, 'c', {});
    const d = record(TYPES.topic, 'd', {});
    const args = stackValidationArgs([withDeps(a, b), withDeps(b, c), withDeps(c, a), withDeps(d, a)], tags('dev'));
    const closure = dependencyClosure();
    // Act
    const ofA = [...closure(args.resources[0])].sort();
    const ofD = [...closure(args.resources[3])].sort();
    // Assess
    expect(ofA).toEqual([b.urn, c.urn].sort());
    expect(ofD).toEqual([a.urn, b.urn, c.urn].sort());
  });
});

describe('ruleCoversPort and postgresPorts', () => {
  const rule = (inputs: Record<string, unknown>) => stackValidationArgs([record(TYPES.ingressRule, 'r', inputs)], tags('dev')).resources[0];

  it.each([
    [{ ipProtocol: 'tcp', fromPort: 5432, toPort: 5432 }, true],
    [{ ipProtocol: 'tcp', fromPort: 5000, toPort: 6000 }, true],
    [{ ipProtocol: '-1' }, true],
    [{ ipProtocol: 'tcp', fromPort: 443, toPort: 443 }, false],
    [{ ipProtocol: 'udp', fromPort: 5432, toPort: 5432 }, false],
    [{ ipProtocol: 'tcp' }, false],
  ])('%j covers 5432: %s', (inputs, expected) => {
    expect(ruleCoversPort(rule(inputs), 5432)).toBe(expected);
  });

  it('reads the PostgreSQL clusters\' ports, defaulting to 5432, ignoring MySQL', () => {
    // Prepare
    const args = stackValidationArgs(
      [
        record(TYPES.cluster, 'pg', { engine: 'aurora-postgresql', port: 6543 }),
        record(TYPES.cluster, 'my', { engine: 'aurora-mysql', port: 3306 }),
      ],
      tags('dev'),
    );
    // Act / Assess
    expect(postgresPorts(args.resources)).toEqual([6543]);
    expect(postgresPorts([])).toEqual([5432]);
  });
});

describe('dependencies in the records', () => {
  it('become PolicyResource objects, as CrossGuard gives them; URNs outside the stack are dropped', () => {
    // Prepare
    const s = stack();
    const invocation = { ...s.invocation, dependencies: [s.migrate.urn, 'urn:pulumi:dev::TapStack::aws:kms/key:Key::elsewhere'], propertyDependencies: { functionName: [s.migrate.urn] } };
    // Act
    const args = stackValidationArgs([s.migrate, invocation], tags('dev'));
    // Assess
    const [fn, inv] = args.resources;
    expect(inv.dependencies).toEqual([fn]);
    expect(inv.dependencies[0]).toBe(fn);
    expect(inv.propertyDependencies).toEqual({ functionName: [fn] });
    expect(fn.dependencies).toEqual([]);
    expect(fn.propertyDependencies).toEqual({});
  });

  it('are optional, and rejected when they are not URN lists', () => {
    // Prepare
    const base = record(TYPES.topic, 't', {});
    // Act / Assess
    expect(() => assertSynthResources([base])).not.toThrow();
    expect(() => assertSynthResources([{ ...base, dependencies: [base.urn] }])).not.toThrow();
    expect(() => assertSynthResources([{ ...base, dependencies: 'urn:pulumi:x' }])).toThrow(new PolicyInputError('resources: resource #0 has "dependencies" that are not an array of URNs'));
    expect(() => assertSynthResources([{ ...base, dependencies: ['db-cluster'] }])).toThrow(PolicyInputError);
    expect(() => assertSynthResources([{ ...base, propertyDependencies: { a: 'urn:pulumi:x' } }])).toThrow(
      new PolicyInputError('resources: resource #0 has "propertyDependencies" that are not an object of URN arrays'),
    );
    expect(() => assertSynthResources([{ ...base, propertyDependencies: [] }])).toThrow(PolicyInputError);
  });
});
