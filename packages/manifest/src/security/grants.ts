import { canonicalJson } from '../hash';
import type { InventoryResource } from '../types';
import { networkRules } from './network';
import { PolicyShapeError } from './errors';
import { isPolicyDocument, policyStatements } from './policy';
import type { GrantKind, NetworkRule, NormalStatement, SecurityDiffRow } from './types';

/**
 * One thing a resource grants (or, `restrict`, takes away): the unit the security diff compares. Two grants are the
 * same when `scope`, `kind` and `key` are, whichever resource declares them (an inline rule moved to its own resource
 * is no change).
 */
export interface Grant {
  urn: string;
  type: string;
  name: string;
  kind: GrantKind;
  /** What it is on or for; grants only cover grants of the same scope. */
  scope: string;
  /** `allow` gives access (adding it broadens); `restrict` takes it away (a Deny, a boundary: removing it broadens). */
  polarity: 'allow' | 'restrict';
  /** The grant's content, canonical. */
  key: string;
  statement?: NormalStatement;
  rule?: NetworkRule;
  /** Reachability: what is reachable, and how openly (a function URL without auth is more open than one with IAM auth). */
  reach?: { what: string; level: number };
  label: Pick<SecurityDiffRow, 'effect' | 'principals' | 'actions' | 'resources' | 'conditions'>;
  /** Unjudged grants: why the diff cannot judge them. */
  unjudged?: string;
}

type Owner = Pick<InventoryResource, 'type' | 'name'> & { urn: string };

/** `${ref:tap-key.arn}` is the resource `tap-key`: scopes compare by the resource a reference names. */
export function refName(value: unknown): string {
  const text = typeof value === 'string' ? value : canonicalJson(value ?? null);
  return /^\$\{ref:([^.}]+)[.}]/.exec(text)?.[1] ?? text;
}

const not = (values: string[] | undefined): string[] | undefined => values?.map((value) => `not ${value}`);

function statementGrant(owner: Owner, scope: string, statement: NormalStatement): Grant {
  return {
    ...owner,
    kind: 'statement',
    scope,
    polarity: statement.effect === 'Allow' ? 'allow' : 'restrict',
    key: canonicalJson(statement),
    statement,
    label: {
      effect: statement.effect,
      principals: statement.principal ?? not(statement.notPrincipal),
      actions: statement.action ?? not(statement.notAction),
      resources: statement.resource ?? not(statement.notResource),
      conditions: statement.condition.map((c) => `${c.operator} ${c.key}=${c.values.join('|')}`),
    },
  };
}

function unjudged(owner: Owner, scope: string, what: string, value: unknown, why: string): Grant {
  return {
    ...owner,
    kind: 'unjudged',
    scope,
    polarity: 'allow',
    key: canonicalJson({ what, value: value ?? null }),
    label: { actions: [what] },
    unjudged: why,
  };
}

/** The statements of a policy document as grants; a document the diff cannot read is one unjudged grant. */
function policyGrants(owner: Owner, scope: string, path: string, document: unknown): Grant[] {
  try {
    return policyStatements(document).map((statement) => statementGrant(owner, scope, statement));
  } catch (error) {
    if (!(error instanceof PolicyShapeError)) throw error;
    return [unjudged(owner, scope, path, document, `${path} ${error.message}, so it cannot be judged`)];
  }
}

function networkGrants(owner: Owner, scope: string, input: unknown, direction: 'ingress' | 'egress'): Grant[] {
  if (typeof input !== 'object' || input === null) return [unjudged(owner, scope, direction, input, `${direction} rule is not an object`)];
  return networkRules(input as Record<string, unknown>, direction, refName).map((rule) => ({
    ...owner,
    kind: 'network' as const,
    scope,
    polarity: 'allow' as const,
    key: canonicalJson(rule),
    rule,
    label: {
      principals: [rule.peer],
      actions: [rule.protocol === '-1' ? 'all traffic' : `${rule.protocol} ${rule.fromPort === rule.toPort ? rule.fromPort : `${rule.fromPort}-${rule.toPort}`}`],
      resources: [rule.direction],
    },
  }));
}

function simpleGrant(owner: Owner, scope: string, kind: GrantKind, polarity: Grant['polarity'], what: string): Grant {
  return { ...owner, kind, scope, polarity, key: canonicalJson({ what }), label: { actions: [what] } };
}

/** Something made reachable: `what`, shown as `shown`, at `level` (higher is more open). */
function reachGrant(owner: Owner, scope: string, what: string, level: number, shown = what): Grant {
  return { ...owner, kind: 'reachability', scope, polarity: 'allow', key: canonicalJson({ what, level }), reach: { what, level }, label: { actions: [shown] } };
}

/** A principal as a policy's `Principal` element: a service, an account, `*`, or an ARN. */
function principalElement(value: unknown): unknown {
  const text = String(value);
  if (text === '*') return '*';
  return text.endsWith('.amazonaws.com') || text.endsWith('.amazonaws.com.cn') ? { Service: text } : { AWS: text };
}

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined || value === null ? [] : [value]);

/** A type's known grants: which inputs it reads (`reads`), which inputs grant nothing (`inert`), and the grants. */
interface Handler {
  reads: readonly string[];
  inert: readonly string[];
  grants: (owner: Owner, inputs: Record<string, unknown>) => Grant[];
}

const NAMES = ['name', 'namePrefix', 'description', 'tags', 'tagsAll'] as const;

/** A resource policy resource: `policy` on the resource its `target` input names. */
const resourcePolicy = (what: string, target: string, extra: Partial<Handler> = {}): Handler => ({
  reads: ['policy', target, ...(extra.reads ?? [])],
  inert: [...NAMES, ...(extra.inert ?? [])],
  grants: (owner, inputs) => [
    ...policyGrants(owner, `${what} ${refName(inputs[target])}`, 'policy', inputs.policy),
    ...(extra.grants?.(owner, inputs) ?? []),
  ],
});

const ruleResource = (direction: 'ingress' | 'egress' | 'type'): Handler => ({
  reads: ['securityGroupId', 'ipProtocol', 'protocol', 'fromPort', 'toPort', 'cidrIpv4', 'cidrIpv6', 'cidrBlocks', 'ipv6CidrBlocks', 'referencedSecurityGroupId', 'sourceSecurityGroupId', 'prefixListId', 'prefixListIds', 'self', 'type'],
  inert: NAMES,
  grants: (owner, inputs) => {
    const actual = direction === 'type' ? (inputs.type === 'egress' ? 'egress' : 'ingress') : direction;
    return networkGrants(owner, `sg ${refName(inputs.securityGroupId)}`, inputs, actual);
  },
});

const FUNCTION_URL_LEVEL: Record<string, number> = { AWS_IAM: 1, NONE: 2 };

/**
 * The types whose grants the diff knows. Any other input of these types, changed, is judged `unjudged` (broadening):
 * the table must say what an input means before a change of it can pass as narrowing.
 */
const HANDLERS: Record<string, Handler> = {
  'aws:iam/role:Role': {
    reads: ['assumeRolePolicy', 'inlinePolicies', 'managedPolicyArns', 'permissionsBoundary', 'name', 'namePrefix', 'path'],
    inert: ['description', 'tags', 'tagsAll', 'maxSessionDuration', 'forceDetachPolicies'],
    grants: (owner, inputs) => [
      // The name is the ARN other policies grant to: a renamed role may pick up a grant meant for another.
      simpleGrant(owner, `role ${owner.name}`, 'identity', 'allow', `named ${String(inputs.path ?? '/')}${String(inputs.name ?? `${String(inputs.namePrefix ?? owner.name)}*`)}`),
      ...(inputs.assumeRolePolicy === undefined ? [] : policyGrants(owner, `trust of role ${owner.name}`, 'assumeRolePolicy', inputs.assumeRolePolicy)),
      // `inlinePolicies: [{}]` is Pulumi's way to say "none": an entry without a policy grants nothing.
      ...list(inputs.inlinePolicies).flatMap((inline, i) => {
        const policy = (inline as { policy?: unknown } | null)?.policy;
        return policy === undefined || policy === '' ? [] : policyGrants(owner, `role ${owner.name}`, `inlinePolicies[${i}].policy`, policy);
      }),
      ...list(inputs.managedPolicyArns).map((arn) => simpleGrant(owner, `role ${owner.name}`, 'attachment', 'allow', `attach ${String(arn)}`)),
      ...list(inputs.permissionsBoundary).map((arn) => simpleGrant(owner, `role ${owner.name}`, 'restriction', 'restrict', `permissions boundary ${String(arn)}`)),
    ],
  },
  'aws:iam/rolePolicy:RolePolicy': resourcePolicy('role', 'role'),
  'aws:iam/userPolicy:UserPolicy': resourcePolicy('user', 'user'),
  'aws:iam/groupPolicy:GroupPolicy': resourcePolicy('group', 'group'),
  'aws:iam/policy:Policy': { reads: ['policy'], inert: [...NAMES, 'path'], grants: (owner, inputs) => policyGrants(owner, `policy ${owner.name}`, 'policy', inputs.policy) },
  'aws:iam/rolePolicyAttachment:RolePolicyAttachment': {
    reads: ['role', 'policyArn'],
    inert: [],
    grants: (owner, inputs) => [simpleGrant(owner, `role ${refName(inputs.role)}`, 'attachment', 'allow', `attach ${String(inputs.policyArn)}`)],
  },
  'aws:kms/key:Key': {
    reads: ['policy'],
    inert: [...NAMES, 'deletionWindowInDays', 'enableKeyRotation', 'rotationPeriodInDays', 'keyUsage', 'customerMasterKeySpec', 'keySpec', 'multiRegion', 'isEnabled'],
    grants: (owner, inputs) =>
      inputs.policy === undefined
        ? [unjudged(owner, `key ${owner.name}`, 'policy', undefined, 'no key policy: AWS applies its default one (the account may use the key), which the diff cannot compare')]
        : policyGrants(owner, `key ${owner.name}`, 'policy', inputs.policy),
  },
  'aws:kms/keyPolicy:KeyPolicy': resourcePolicy('key', 'keyId'),
  'aws:kms/grant:Grant': {
    reads: ['keyId', 'granteePrincipal', 'operations', 'constraints', 'retiringPrincipal'],
    inert: ['name', 'grantCreationTokens', 'retireOnDelete'],
    grants: (owner, inputs) => {
      const key = `\${ref:${refName(inputs.keyId)}.arn}`;
      const context = list(inputs.constraints).flatMap((constraint) =>
        ['encryptionContextEquals', 'encryptionContextSubset'].flatMap((field) =>
          Object.entries(((constraint as Record<string, unknown> | null)?.[field] ?? {}) as Record<string, unknown>).map(([k, v]) => [`kms:EncryptionContext:${k}`, v]),
        ),
      );
      const condition = context.length ? { StringEquals: Object.fromEntries(context) } : undefined;
      const statements = [
        { Effect: 'Allow', Principal: principalElement(inputs.granteePrincipal), Action: list(inputs.operations).map((op) => `kms:${String(op)}`), Resource: key, ...(condition ? { Condition: condition } : {}) },
        ...(inputs.retiringPrincipal ? [{ Effect: 'Allow', Principal: principalElement(inputs.retiringPrincipal), Action: 'kms:RetireGrant', Resource: key }] : []),
      ];
      return policyGrants(owner, `key ${refName(inputs.keyId)}`, 'grant', { Statement: statements });
    },
  },
  'aws:secretsmanager/secretPolicy:SecretPolicy': resourcePolicy('secret', 'secretArn', {
    reads: ['blockPublicPolicy'],
    grants: (owner, inputs) =>
      inputs.blockPublicPolicy === true ? [simpleGrant(owner, `secret ${refName(inputs.secretArn)}`, 'restriction', 'restrict', 'block public policy')] : [],
  }),
  'aws:s3/bucketPolicy:BucketPolicy': resourcePolicy('bucket', 'bucket'),
  'aws:sns/topicPolicy:TopicPolicy': resourcePolicy('topic', 'arn'),
  'aws:sqs/queuePolicy:QueuePolicy': resourcePolicy('queue', 'queueUrl'),
  'aws:ecr/repositoryPolicy:RepositoryPolicy': resourcePolicy('repository', 'repository'),
  'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock': {
    reads: ['bucket', 'blockPublicAcls', 'blockPublicPolicy', 'ignorePublicAcls', 'restrictPublicBuckets'],
    inert: [],
    grants: (owner, inputs) =>
      ['blockPublicAcls', 'blockPublicPolicy', 'ignorePublicAcls', 'restrictPublicBuckets']
        .filter((flag) => inputs[flag] === true)
        .map((flag) => simpleGrant(owner, `bucket ${refName(inputs.bucket)}`, 'restriction', 'restrict', flag)),
  },
  'aws:lambda/permission:Permission': {
    reads: ['action', 'function', 'principal', 'qualifier', 'sourceArn', 'sourceAccount', 'principalOrgId', 'eventSourceToken', 'functionUrlAuthType'],
    inert: ['statementId', 'statementIdPrefix'],
    grants: (owner, inputs) => {
      const conditions: Record<string, Record<string, unknown>> = {};
      const add = (operator: string, key: string, value: unknown): void => {
        if (value !== undefined && value !== null && value !== '') conditions[operator] = { ...conditions[operator], [key]: value };
      };
      add('ArnLike', 'aws:SourceArn', inputs.sourceArn);
      add('StringEquals', 'aws:SourceAccount', inputs.sourceAccount);
      add('StringEquals', 'aws:PrincipalOrgID', inputs.principalOrgId);
      add('StringEquals', 'lambda:EventSourceToken', inputs.eventSourceToken);
      add('StringEquals', 'lambda:FunctionUrlAuthType', inputs.functionUrlAuthType);
      const fn = refName(inputs.function);
      const statement = {
        Effect: 'Allow',
        Principal: principalElement(inputs.principal),
        Action: inputs.action,
        Resource: inputs.qualifier ? `${fn}:${String(inputs.qualifier)}` : fn,
        ...(Object.keys(conditions).length ? { Condition: conditions } : {}),
      };
      return policyGrants(owner, `function ${fn}`, 'permission', { Statement: statement });
    },
  },
  'aws:lambda/functionUrl:FunctionUrl': {
    reads: ['functionName', 'authorizationType', 'qualifier'],
    inert: ['cors', 'invokeMode'],
    grants: (owner, inputs) => {
      const auth = String(inputs.authorizationType ?? 'NONE');
      const scope = `function ${refName(inputs.functionName)}${inputs.qualifier ? `:${String(inputs.qualifier)}` : ''}`;
      return [reachGrant(owner, scope, 'function URL', FUNCTION_URL_LEVEL[auth] ?? 2, `function URL (auth ${auth})`)];
    },
  },
  'aws:ec2/securityGroup:SecurityGroup': {
    reads: ['ingress', 'egress'],
    inert: [...NAMES, 'vpcId', 'revokeRulesOnDelete'],
    grants: (owner, inputs) => [
      ...list(inputs.ingress).flatMap((rule) => networkGrants(owner, `sg ${owner.name}`, rule, 'ingress')),
      ...list(inputs.egress).flatMap((rule) => networkGrants(owner, `sg ${owner.name}`, rule, 'egress')),
    ],
  },
  'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule': ruleResource('ingress'),
  'aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule': ruleResource('egress'),
  'aws:ec2/securityGroupRule:SecurityGroupRule': ruleResource('type'),
  // Lifecycle rules expire images; they grant nobody anything.
  'aws:ecr/lifecyclePolicy:LifecyclePolicy': { reads: [], inert: ['policy', 'repository'], grants: () => [] },
};

/**
 * Type tokens that may grant access or make something reachable. A type that matches and has no handler is judged
 * whole and fails closed: any change of it is broadening (CDK's classifier missed AWS::SSO::Assignment this way).
 */
const MAY_GRANT = /policy|permission|grant|url|acl|access|attachment|assignment|membership|trust|share|principal|authorizer|iam|sso|ingress|egress|public|invitation|delegat/i;
const GRANTING_MODULES = /^[^:]+:(?:iam|ssoadmin|identitystore|organizations|ram|lakeformation|cognito)\//i;

/**
 * Whether an unknown type may grant access (and so is judged broadening whenever it changes).
 *
 * @example
 * mayGrant('aws:ssoadmin/accountAssignment:AccountAssignment'); // true
 * mayGrant('aws:cloudwatch/metricAlarm:MetricAlarm'); // false
 */
export function mayGrant(type: string): boolean {
  if (HANDLERS[type]) return false;
  const token = type.split(':').slice(1).join(':');
  return MAY_GRANT.test(token) || GRANTING_MODULES.test(type);
}

/** Inputs of any type that hold a policy document or name one. */
const POLICY_KEYS = new Set(['policy', 'assumeRolePolicy', 'accessPolicies', 'resourcePolicy', 'keyPolicy']);
const ROLE_KEY = /^(?:role|roles|iamRoles?|\w*RoleArns?|\w+Role)$/i;
const PRINCIPAL_KEY = /^principal/i;
const PUBLIC_FLAGS = new Set(['publiclyAccessible', 'associatePublicIpAddress', 'mapPublicIpOnLaunch']);
/** Where nothing grants: labels, and a function's environment variables (a variable named POLICY is no policy). */
const SKIPPED_KEYS = new Set(['tags', 'tagsAll', 'variables']);

/** What any resource grants through its inputs, wherever they sit: policy documents, roles it runs as, public flags. */
function genericGrants(owner: Owner, inputs: unknown, path: string, out: Grant[]): void {
  if (Array.isArray(inputs)) {
    inputs.forEach((item, i) => genericGrants(owner, item, `${path}[${i}]`, out));
    return;
  }
  if (typeof inputs !== 'object' || inputs === null) return;
  for (const [key, value] of Object.entries(inputs as Record<string, unknown>)) {
    if (SKIPPED_KEYS.has(key)) continue;
    const at = path ? `${path}.${key}` : key;
    const scope = `${owner.name} ${at}`;
    if (isPolicyDocument(value)) out.push(...policyGrants(owner, scope, at, value));
    else if (POLICY_KEYS.has(key)) out.push(unjudged(owner, scope, at, value, `${at} is not a policy document the diff can read`));
    else if (ROLE_KEY.test(key) && (typeof value === 'string' || Array.isArray(value))) {
      for (const role of list(value)) out.push(simpleGrant(owner, scope, 'identity', 'allow', `runs as ${String(role)}`));
    } else if (PRINCIPAL_KEY.test(key) && typeof value !== 'object') out.push(simpleGrant(owner, scope, 'identity', 'allow', `principal ${String(value)}`));
    else if (PUBLIC_FLAGS.has(key) && value === true) out.push(reachGrant(owner, owner.name, key, 1));
    else if (key === 'internal' && value === false && /^aws:(?:lb|alb|elb)\//.test(owner.type)) {
      out.push(reachGrant(owner, owner.name, 'internet-facing load balancer', 1));
    } else genericGrants(owner, value, at, out);
  }
}

/**
 * Everything one resource grants. A known type: its handler's grants, and every other input that is not inert as an
 * unjudged grant. An unknown type that may grant access: the whole resource as one unjudged grant. Any other type:
 * the policy documents, roles, principals and public flags among its inputs.
 *
 * @example
 * resourceGrants(urn, inventory.resources[urn]).map((grant) => grant.scope); // ['role tap-payments-role', ...]
 */
export function resourceGrants(urn: string, resource: InventoryResource): Grant[] {
  const owner: Owner = { urn, type: resource.type, name: resource.name };
  if (!resource.custom) return [];
  const handler = HANDLERS[resource.type];
  if (handler) {
    const grants = handler.grants(owner, resource.inputs);
    for (const [key, value] of Object.entries(resource.inputs)) {
      if (handler.reads.includes(key) || handler.inert.includes(key)) continue;
      grants.push(unjudged(owner, `${resource.type.split(':').pop()} ${resource.name}`, key, value, `${key} of ${resource.type} is not judged by the security diff, so it fails closed`));
    }
    return grants;
  }
  if (mayGrant(resource.type)) {
    const { tags: _tags, tagsAll: _tagsAll, ...inputs } = resource.inputs;
    return [
      unjudged(owner, `${resource.type.split(':').pop()} ${resource.name}`, 'any input', inputs, `${resource.type} may grant access and no rule judges it, so it fails closed`),
    ];
  }
  const grants: Grant[] = [];
  genericGrants(owner, resource.inputs, '', grants);
  return grants;
}
