import type { PolicyResource, StackValidationPolicy } from '@pulumi/policy';
import { ENGINE_PORTS, TYPES } from '../constants';
import { actionMatches, parsePolicyDocument } from '../iamDocument';
import { ofType, ofTypeOrNotApplicable, refersTo } from '../references';
import { describe, list, num, record, str, strings } from '../values';

/*
 * Deploy-order rules. The engine creates a resource once everything in its dependency list exists, and a
 * dependency's own dependencies exist before it: the order is the transitive closure of `dependencies` (explicit
 * `dependsOn` plus the resources behind each input Output; a component stands for all its custom children). A rule
 * passes when the closure holds what must come first, however it got there.
 */

/** Type tokens the ordering rules read, as @pulumi/aws 7 registers them. */
export const ORDERING_TYPES = {
  invocation: 'aws:lambda/invocation:Invocation',
  secretVersion: 'aws:secretsmanager/secretVersion:SecretVersion',
  egressRule: 'aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule',
} as const;

const POSTGRES_DEFAULT_PORT = 5432;
const SECRET_READ_ACTIONS = ['secretsmanager:GetSecretValue'];

/**
 * A lookup of everything a resource waits for, directly or through others, by URN (cached per resource; build one per
 * stack validation). Cycles (which no engine could deploy) end the walk instead of looping.
 *
 * @example
 * const waitsFor = dependencyClosure();
 * waitsFor(invocation).has(instance.urn); // true when the invocation is created after the instance
 */
export function dependencyClosure(): (resource: PolicyResource) => ReadonlySet<string> {
  const cache = new Map<string, Set<string>>();
  return (resource) => {
    const cached = cache.get(resource.urn);
    if (cached) return cached;
    const seen = new Set<string>();
    const queue = [...(resource.dependencies ?? [])];
    while (queue.length > 0) {
      const next = queue.shift() as PolicyResource;
      if (seen.has(next.urn)) continue;
      seen.add(next.urn);
      queue.push(...(next.dependencies ?? []));
    }
    seen.delete(resource.urn);
    cache.set(resource.urn, seen);
    return seen;
  };
}

/** The ports PostgreSQL listens on in this stack: each PostgreSQL cluster's `port` (default 5432), else 5432. */
export function postgresPorts(resources: readonly PolicyResource[]): number[] {
  const ports = ofType(resources, TYPES.cluster)
    .filter((c) => ENGINE_PORTS[str(c.props['engine']) ?? ''] === POSTGRES_DEFAULT_PORT)
    .map((c) => num(c.props['port']) ?? POSTGRES_DEFAULT_PORT);
  return ports.length > 0 ? [...new Set(ports)] : [POSTGRES_DEFAULT_PORT];
}

/** Does a security-group rule (`aws.vpc.SecurityGroupIngress/EgressRule` or `aws.ec2.SecurityGroupRule`) cover `port`? */
export function ruleCoversPort(rule: PolicyResource, port: number): boolean {
  const protocol = str(rule.props['ipProtocol']) ?? str(rule.props['protocol']);
  // "-1" (or "all") is every protocol on every port; AWS ignores the port range then.
  if (protocol === '-1' || protocol === 'all') return true;
  if (protocol !== undefined && !['tcp', '6'].includes(protocol.toLowerCase())) return false;
  const from = num(rule.props['fromPort']);
  const to = num(rule.props['toPort']) ?? from;
  return from !== undefined && to !== undefined && from <= port && port <= to;
}

function securityGroupsOfRule(rule: PolicyResource): string[] {
  return ['securityGroupId', 'referencedSecurityGroupId', 'sourceSecurityGroupId'].map((k) => str(rule.props[k])).filter((v): v is string => v !== undefined);
}

function securityGroupRules(resources: readonly PolicyResource[]): PolicyResource[] {
  return [...ofType(resources, TYPES.ingressRule), ...ofType(resources, ORDERING_TYPES.egressRule), ...ofType(resources, TYPES.securityGroupRule)];
}

/** The Lambda functions an invocation runs (by `functionName`: the function's name or ARN). */
function invokedFunctions(invocation: PolicyResource, functions: readonly PolicyResource[]): PolicyResource[] {
  return functions.filter((fn) => refersTo(invocation.props['functionName'], fn, invocation, 'functionName'));
}

/**
 * The secrets a function reads: those named in its environment variables, and those its role's inline policies let
 * it read with `secretsmanager:GetSecretValue`.
 */
export function secretsReadBy(fn: PolicyResource, resources: readonly PolicyResource[]): PolicyResource[] {
  const secrets = ofType(resources, TYPES.secret);
  const variables = Object.values(record(record(fn.props['environment'])?.['variables']) ?? {});
  const roles = ofType(resources, TYPES.role).filter((role) => refersTo(fn.props['role'], role, fn, 'role'));
  const granted: unknown[] = [];
  for (const role of roles) {
    const documents = [
      ...ofType(resources, TYPES.rolePolicy)
        .filter((p) => refersTo(p.props['role'], role, p, 'role'))
        .map((p) => p.props['policy']),
      ...list(role.props['inlinePolicies']).map((p) => record(p)?.['policy']),
    ];
    for (const document of documents) {
      const parsed = parsePolicyDocument(document);
      if (!parsed.ok) continue;
      for (const statement of parsed.statements) {
        if (statement.effect !== 'Allow') continue;
        if (!statement.actions.some((a) => SECRET_READ_ACTIONS.some((wanted) => actionMatches(a, wanted)))) continue;
        granted.push(...statement.resources.filter((r) => r !== '*'));
      }
    }
  }
  return secrets.filter((secret) => [...variables, ...granted].some((ref) => refersTo(ref, secret)));
}

/** `'name' (physical)` of each resource, for messages; an instance by its own identifier, not its cluster's. */
function names(resources: readonly PolicyResource[]): string {
  return resources
    .map((r) => {
      const identifier = r.type === TYPES.clusterInstance ? str(r.props['identifier']) : undefined;
      return identifier && identifier !== r.name ? `'${r.name}' (${identifier})` : describe(r.name, r.props);
    })
    .join(', ');
}

/** The `dependsOn` a reader would add: the logical names. */
function fix(resources: readonly PolicyResource[]): string {
  return `add dependsOn: [${resources.map((r) => r.name).join(', ')}]`;
}

function missing(waitsFor: ReadonlySet<string>, required: readonly PolicyResource[]): PolicyResource[] {
  const unique = [...new Map(required.map((r) => [r.urn, r])).values()];
  return unique.filter((r) => !waitsFor.has(r.urn)).sort((a, b) => a.name.localeCompare(b.name));
}

/** What a migration needs before it runs: the rules are exported for tests and for readers of a violation. */
export function migrationPrerequisites(invocation: PolicyResource, resources: readonly PolicyResource[]): { instances: PolicyResource[]; rules: PolicyResource[]; secretVersions: PolicyResource[] } {
  const functions = invokedFunctions(invocation, ofType(resources, TYPES.lambdaFunction));
  const ports = postgresPorts(resources);
  const dbRules = securityGroupRules(resources).filter((rule) => ports.some((port) => ruleCoversPort(rule, port)));
  const groups = new Set(functions.flatMap((fn) => strings(record(fn.props['vpcConfig'])?.['securityGroupIds'])));
  const mine = dbRules.filter((rule) => securityGroupsOfRule(rule).some((g) => groups.has(g)));
  const secrets = functions.flatMap((fn) => secretsReadBy(fn, resources));
  const versions = ofType(resources, ORDERING_TYPES.secretVersion);
  const read = versions.filter((v) => secrets.some((secret) => refersTo(v.props['secretId'], secret, v, 'secretId')));
  return {
    instances: ofType(resources, TYPES.clusterInstance),
    // When the invoked function's security groups cannot be told (or no rule names them), every PostgreSQL rule.
    rules: mine.length > 0 ? mine : dbRules,
    // When the function's secrets cannot be told (or none has a version here), every secret version.
    secretVersions: read.length > 0 ? read : versions,
  };
}

export const migrationAfterDatabase: StackValidationPolicy = {
  name: 'migration-after-database',
  description:
    'Every aws.lambda.Invocation (a migration) is created after every Aurora cluster instance, the PostgreSQL security-group rules of the invoked function and the secret versions it reads.',
  enforcementLevel: 'mandatory',
  severity: 'high',
  validateStack: (args, report) => {
    const invocations = ofTypeOrNotApplicable(args, ORDERING_TYPES.invocation, 'no Lambda invocation in the stack');
    const waitsFor = dependencyClosure();
    for (const invocation of invocations) {
      const { instances, rules, secretVersions } = migrationPrerequisites(invocation, args.resources);
      const parts = [
        ['cluster instances', missing(waitsFor(invocation), instances)],
        ['PostgreSQL security-group rules', missing(waitsFor(invocation), rules)],
        ['secret versions', missing(waitsFor(invocation), secretVersions)],
      ] as const;
      const late = parts.filter(([, r]) => r.length > 0);
      if (late.length === 0) continue;
      // Without them the function cannot reach the database or read its credentials, and the migration fails.
      report(
        `Lambda invocation '${invocation.name}' can run before ${late.map(([what, r]) => `${what} ${names(r)}`).join('; ')} exist, ` +
          `so the migration cannot reach the database or read its credentials. Fix: ${fix(late.flatMap(([, r]) => r))} on the invocation.`,
        invocation.urn,
      );
    }
  },
};

export const rotationAfterMigration: StackValidationPolicy = {
  name: 'rotation-after-migration',
  description:
    'Every aws.secretsmanager.SecretRotation is created after every aws.lambda.Invocation (migration) and every Aurora cluster instance.',
  enforcementLevel: 'mandatory',
  severity: 'high',
  validateStack: (args, report) => {
    const rotations = ofTypeOrNotApplicable(args, TYPES.secretRotation, 'no secret rotation in the stack');
    const waitsFor = dependencyClosure();
    const invocations = ofType(args.resources, ORDERING_TYPES.invocation);
    const instances = ofType(args.resources, TYPES.clusterInstance);
    for (const rotation of rotations) {
      const late = [...missing(waitsFor(rotation), invocations), ...missing(waitsFor(rotation), instances)];
      if (late.length === 0) continue;
      // Configuring rotation runs the rotation function's testSecret step right away (AWS RotateSecret: "if you don't
      // immediately rotate the secret, Secrets Manager tests the rotation configuration by running the testSecret
      // step"), which logs in as the database user the migration creates.
      report(
        `Secret rotation '${rotation.name}' can be configured before ${names(late)} exist; configuring it runs the rotation function's testSecret step, ` +
          `which needs the database and the user the migration creates. Fix: ${fix(late)} on the rotation.`,
        rotation.urn,
      );
    }
  },
};

export const functionAfterMigration: StackValidationPolicy = {
  name: 'function-after-migration',
  description:
    'Every aws.lambda.Function that runs the same image (imageUri) as an invoked function is created after that invocation: a new image is migrated before it serves.',
  enforcementLevel: 'mandatory',
  severity: 'high',
  validateStack: (args, report) => {
    const invocations = ofTypeOrNotApplicable(args, ORDERING_TYPES.invocation, 'no Lambda invocation in the stack');
    const functions = ofType(args.resources, TYPES.lambdaFunction);
    const waitsFor = dependencyClosure();
    for (const fn of functions) {
      const image = str(fn.props['imageUri']);
      if (!image) continue;
      const late = invocations.filter((invocation) =>
        invokedFunctions(invocation, functions).some((invoked) => invoked.urn !== fn.urn && str(invoked.props['imageUri']) === image),
      );
      const notAfter = missing(waitsFor(fn), late);
      if (notAfter.length === 0) continue;
      report(
        `Lambda function ${describe(fn.name, fn.props)} runs image ${image} and can be updated before its migration ${names(notAfter)} has run, ` +
          `so new code can serve an old schema. Fix: ${fix(notAfter)} on the function.`,
        fn.urn,
      );
    }
  },
};

export const orderingPolicies = [migrationAfterDatabase, rotationAfterMigration, functionAfterMigration] as const;
