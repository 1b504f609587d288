import type { PolicyResource, StackValidationPolicy } from '@pulumi/policy';
import { AWS_MANAGED_KEY_ALIAS, TYPES } from '../constants';
import { ofType, refersTo } from '../references';
import { describe, list, record, str, strings } from '../values';
import {
  checkEach,
  conditionAdmits,
  conditionsOn,
  globMatches,
  grantIsForAwsResource,
  grantsAction,
  parseKeyPolicy,
  type KeyStatement,
} from './keyPolicy';

/** The grant operations: a `kms:GrantIsForAWSResource` statement allows only these. */
const GRANT_ACTIONS = ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'];

/**
 * How a service uses a key it is given.
 *
 * - `via`: the service calls KMS on behalf of the principal that configures it, so an account principal must be
 *   allowed the actions, and a `kms:ViaService` condition must admit `<service>.<region>.amazonaws.com`.
 * - `principal`: the service calls KMS as its own service principal, which only a statement naming it allows.
 */
type ServiceUse =
  | { kind: 'via'; service: string; actions: readonly string[]; why: string }
  | { kind: 'principal'; service: string; principal: (region?: string) => string; actions: readonly string[]; why: string; fix: string };

const USES = {
  // RDS validates the key and creates a grant for the cluster's storage (RDS user guide, "Overview of encrypting
  // Amazon RDS resources": kms:CreateGrant and kms:DescribeKey).
  rds: { kind: 'via', service: 'rds', actions: ['kms:CreateGrant', 'kms:DescribeKey'], why: 'RDS creates a grant on it for the cluster storage' },
  // Secrets Manager encrypts each secret version with a data key and decrypts it on read; the RDS-managed master
  // user secret is stored by Secrets Manager too (Secrets Manager user guide, "Secret encryption and decryption").
  secretsmanager: {
    kind: 'via',
    service: 'secretsmanager',
    actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
    why: 'Secrets Manager encrypts and decrypts the secret with it',
  },
  sns: { kind: 'via', service: 'sns', actions: ['kms:GenerateDataKey', 'kms:Decrypt'], why: 'SNS encrypts published messages with it' },
  // A function with kmsKeyArn makes Lambda create a grant and encrypt the environment through lambda.<region>;
  // without it the deploy fails with "Lambda was unable to configure access to your environment variables because
  // the KMS key is invalid for CreateGrant" (hashicorp/terraform-provider-aws#4633).
  lambda: {
    kind: 'via',
    service: 'lambda',
    actions: ['kms:CreateGrant', 'kms:Encrypt', 'kms:Decrypt'],
    why: 'Lambda creates a grant on it and encrypts the environment variables with it',
  },
  // ECR calls DescribeKey, then CreateGrant for the repository (ECR user guide, "Encryption at rest").
  ecr: { kind: 'via', service: 'ecr', actions: ['kms:CreateGrant', 'kms:DescribeKey'], why: 'ECR creates a grant on it for the repository' },
  // CloudWatch alarms publish as the cloudwatch.amazonaws.com principal; the SNS default key does not allow it, so
  // a customer key must (AWS re:Post "configure a CloudWatch alarm with an encrypted SNS topic": otherwise "CloudWatch
  // Alarms does not have authorization to access the SNS topic encryption key" and notifications are dropped).
  cloudwatch: {
    kind: 'principal',
    service: 'cloudwatch',
    principal: () => 'cloudwatch.amazonaws.com',
    actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
    why: 'CloudWatch alarms publish to the topic, which needs the topic key',
    fix: 'allow Principal { Service: "cloudwatch.amazonaws.com" } kms:Decrypt and kms:GenerateDataKey*',
  },
  // CloudWatch Logs uses the key as its regional service principal, with the log group's ARN as encryption context
  // (CloudWatch Logs user guide, "Encrypt log data in CloudWatch Logs using AWS KMS").
  logs: {
    kind: 'principal',
    service: 'logs',
    principal: (region) => `logs.${region ?? '<region>'}.amazonaws.com`,
    actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey'],
    why: 'CloudWatch Logs encrypts the log group with it',
    fix: 'allow Principal { Service: "logs.<region>.amazonaws.com" } kms:Encrypt*, kms:Decrypt*, kms:ReEncrypt*, kms:GenerateDataKey* and kms:Describe*, with ArnEquals kms:EncryptionContext:aws:logs:arn = the log group ARN',
  },
} as const satisfies Record<string, ServiceUse>;

/** One property naming a key for a service. */
interface KeyReference {
  resource: PolicyResource;
  what: string;
  property: string;
  ref: string;
  use: ServiceUse;
  /** For CloudWatch Logs: the log group name, checked against a `kms:EncryptionContext:aws:logs:arn` condition. */
  logGroupName?: string;
  /** Extra context for the message (e.g. the alarms that publish to the topic). */
  note?: string;
}

/** The parts of an ARN: `arn:partition:service:region:account:resource`. */
function arnParts(value: string | undefined): { partition: string; region: string; account: string } | undefined {
  const match = /^arn:([^:]+):[^:]+:([^:]*):([^:]*):/.exec(value ?? '');
  return match ? { partition: match[1], region: match[2], account: match[3] } : undefined;
}

/** The references to keys the stack's resources make, each with the service that uses the key. */
function keyReferences(resources: readonly PolicyResource[]): KeyReference[] {
  const refs: KeyReference[] = [];
  const add = (resource: PolicyResource, what: string, property: string, value: unknown, use: ServiceUse, extra: Partial<KeyReference> = {}) => {
    const ref = str(value);
    if (ref) refs.push({ resource, what, property, ref, use, ...extra });
  };
  for (const cluster of ofType(resources, TYPES.cluster)) {
    add(cluster, 'Aurora cluster', 'kmsKeyId', cluster.props['kmsKeyId'], USES.rds);
    add(cluster, 'Aurora cluster', 'masterUserSecretKmsKeyId', cluster.props['masterUserSecretKmsKeyId'], USES.secretsmanager);
  }
  for (const secret of ofType(resources, TYPES.secret)) add(secret, 'Secret', 'kmsKeyId', secret.props['kmsKeyId'], USES.secretsmanager);
  const alarms = ofType(resources, TYPES.metricAlarm);
  for (const topic of ofType(resources, TYPES.topic)) {
    add(topic, 'SNS topic', 'kmsMasterKeyId', topic.props['kmsMasterKeyId'], USES.sns);
    const publishing = alarms.filter((alarm) =>
      ['alarmActions', 'okActions', 'insufficientDataActions'].some((p) => strings(alarm.props[p]).some((action) => refersTo(action, topic, alarm, p))),
    );
    if (publishing.length > 0) {
      add(topic, 'SNS topic', 'kmsMasterKeyId', topic.props['kmsMasterKeyId'], USES.cloudwatch, {
        note: `alarm(s) ${publishing.map((a) => `'${a.name}'`).join(', ')} publish to it`,
      });
    }
  }
  for (const fn of ofType(resources, TYPES.lambdaFunction)) add(fn, 'Lambda function', 'kmsKeyArn', fn.props['kmsKeyArn'], USES.lambda);
  for (const group of ofType(resources, TYPES.logGroup)) {
    add(group, 'Log group', 'kmsKeyId', group.props['kmsKeyId'], USES.logs, { logGroupName: str(group.props['name']) });
  }
  for (const repo of ofType(resources, TYPES.ecrRepository)) {
    list(repo.props['encryptionConfigurations']).forEach((config, i) =>
      add(repo, 'ECR repository', `encryptionConfigurations[${i}].kmsKey`, record(config)?.['kmsKey'], USES.ecr),
    );
  }
  return refs;
}

/** Is `ref` (an ARN, key id, or what the mocks resolved a reference to) this key? */
function isKey(ref: string, key: PolicyResource): boolean {
  const props = key.props;
  const exact = [props['arn'], props['id'], props['keyId'], key.urn].map(str).filter((v): v is string => v !== undefined);
  if (exact.includes(ref)) return true;
  const keyId = str(props['keyId']) ?? str(props['id']);
  // Offline the mocks resolve key.arn / key.id to …:key/<logical name> and <logical name>-id.
  return ref === `${key.name}-id` || ref.endsWith(`:key/${key.name}`) || (keyId !== undefined && ref.endsWith(`:key/${keyId}`));
}

/** The key a reference names: directly, or through an alias (`alias/x`, `arn:…:alias/x`) declared in the stack. */
function resolveKey(reference: KeyReference, keys: PolicyResource[], aliases: PolicyResource[]): PolicyResource | undefined {
  const { ref, resource, property } = reference;
  const direct = keys.find((k) => (resource.propertyDependencies?.[property.split('[')[0]] ?? []).includes(k) || isKey(ref, k));
  if (direct) return direct;
  const alias = /(?:^|:)(alias\/.+)$/.exec(ref)?.[1];
  if (!alias) return undefined;
  const target = aliases.find((a) => str(a.props['name']) === alias || str(a.props['arn']) === ref);
  const targetKeyId = str(target?.props['targetKeyId']);
  return targetKeyId ? keys.find((k) => isKey(targetKeyId, k) || refersTo(targetKeyId, k)) : undefined;
}

/** The stack's region: the key's ARN, the reference's, else the aws provider's. */
function regionFor(reference: KeyReference, key: PolicyResource, resources: readonly PolicyResource[]): string | undefined {
  const fromArn = arnParts(str(key.props['arn']))?.region || arnParts(reference.ref)?.region;
  if (fromArn) return fromArn;
  const provider = resources.find((r) => r.type === TYPES.awsProvider && str(r.props['region']));
  return provider ? str(provider.props['region']) : undefined;
}

/** Account and partition: from the key's ARN or the reference's, else a root principal of the policy. */
function accountFor(reference: KeyReference, key: PolicyResource, statements: KeyStatement[]): { account?: string; partition?: string } {
  const parts = arnParts(str(key.props['arn'])) ?? arnParts(reference.ref);
  if (parts?.account) return { account: parts.account, partition: parts.partition };
  const root = statements.flatMap((s) => s.awsPrincipals).map((p) => /^arn:([^:]+):iam::(\d{12}):root$/.exec(p)).find((m) => m !== null);
  return root ? { account: root[2], partition: root[1] } : {};
}

/** Does an Allow statement let an account principal use the key for `action` through `service`? */
function allowsVia(statement: KeyStatement, action: string, viaService: (value: string, ignoreCase: boolean) => boolean): boolean {
  if (statement.effect !== 'Allow' || !grantsAction(statement, action)) return false;
  if (!statement.anyone && statement.awsPrincipals.length === 0) return false;
  // The key is absent from non-grant calls, so a Bool condition on it fails for them.
  if (grantIsForAwsResource(statement) && !GRANT_ACTIONS.includes(action)) return false;
  return conditionsOn(statement, 'kms:ViaService').every((c) => conditionAdmits(c, viaService));
}

/** Does an Allow statement let the service principal use the key for `action` (encryption context permitting)? */
function allowsPrincipal(statement: KeyStatement, action: string, principal: (value: string) => boolean, logGroupArn?: (pattern: string, ignoreCase: boolean) => boolean): boolean {
  if (statement.effect !== 'Allow' || !grantsAction(statement, action)) return false;
  if (!statement.anyone && !statement.servicePrincipals.some(principal)) return false;
  if (!logGroupArn) return true;
  return conditionsOn(statement, 'kms:EncryptionContext:aws:logs:arn').every((c) => conditionAdmits(c, logGroupArn));
}

export const kmsKeyUse: StackValidationPolicy = {
  name: 'kms-key-use',
  description:
    "Every resource that names a KMS key for a service (RDS, Secrets Manager, SNS, CloudWatch alarms, Lambda, CloudWatch Logs, ECR) is allowed by that key's policy to use it for that service.",
  enforcementLevel: 'mandatory',
  severity: 'high',
  validateStack: (args, report) => {
    const references = keyReferences(args.resources);
    if (references.length === 0) args.notApplicable('no resource names a KMS key');
    const keys = ofType(args.resources, TYPES.kmsKey);
    const aliases = ofType(args.resources, TYPES.kmsAlias);
    checkEach(references, (reference) => {
      // AWS-managed keys (alias/aws/…) and keys of other stacks: their policies are not in this stack to check.
      if (AWS_MANAGED_KEY_ALIAS.test(reference.ref)) return;
      const key = resolveKey(reference, keys, aliases);
      if (!key) return;
      const { resource, use } = reference;
      const who = `${reference.what} ${describe(resource.name, resource.props)}`;
      const keyLabel = `KMS key '${key.name}'`;
      const parsed = parseKeyPolicy(key.props['policy']);
      if (!parsed.ok) {
        report(`${who} uses ${keyLabel} (${reference.property}), whose policy cannot be read: ${parsed.reason}. Fix: give the key a JSON key policy.`, resource.urn);
        return;
      }
      const region = regionFor(reference, key, args.resources);
      const note = reference.note ? `; ${reference.note}` : '';
      const policyLabel = parsed.isDefault ? `the default key policy (the key sets none)` : 'its policy';
      if (use.kind === 'via') {
        const endpoint = `${use.service}.${region ?? '<region>'}.amazonaws.com`;
        const via = (pattern: string, ignoreCase: boolean) =>
          region ? globMatches(pattern, endpoint, ignoreCase) : new RegExp(`^${use.service}\\.[a-z0-9-]+\\.amazonaws\\.com$`, 'i').test(pattern);
        const missing = use.actions.filter((action) => !parsed.statements.some((s) => allowsVia(s, action, via)));
        if (missing.length === 0) return;
        report(
          `${who} sets ${reference.property} to ${keyLabel} (${reference.ref}) for ${use.service}, but ${policyLabel} does not allow ` +
            `${missing.join(', ')} through ${endpoint} (${use.why}${note}), so the deploy or the service's use of the key fails. ` +
            `Fix: allow ${use.actions.join(', ')} in the key policy of '${key.name}' for the account with kms:ViaService including ${endpoint}, or point ${reference.property} at a key that does.`,
          resource.urn,
        );
        return;
      }
      const principalName = use.principal(region);
      const isPrincipal = (value: string) => (region ? value === principalName : new RegExp(`^${use.service}(\\.[a-z0-9-]+)?\\.amazonaws\\.com$`).test(value));
      let logGroupArn: ((pattern: string, ignoreCase: boolean) => boolean) | undefined;
      if (reference.logGroupName) {
        const { account, partition } = accountFor(reference, key, parsed.statements);
        const name = reference.logGroupName;
        // Unknown parts of the ARN take the pattern's own value, so only what is known is compared.
        logGroupArn = (pattern, ignoreCase) => {
          const p = arnParts(pattern);
          const arn = `arn:${partition ?? p?.partition ?? 'aws'}:logs:${region ?? p?.region ?? ''}:${account ?? p?.account ?? ''}:log-group:${name}`;
          return globMatches(pattern, arn, ignoreCase);
        };
      }
      const missing = use.actions.filter((action) => !parsed.statements.some((s) => allowsPrincipal(s, action, isPrincipal, logGroupArn)));
      if (missing.length === 0) return;
      report(
        `${who} sets ${reference.property} to ${keyLabel} (${reference.ref}), but ${policyLabel} does not allow the ${use.service} service principal ` +
          `${principalName} ${missing.join(', ')} (${use.why}${note}). Fix: in the key policy of '${key.name}', ${use.fix}.`,
        resource.urn,
      );
    });
  },
};

export const kmsKeyUsePolicies = [kmsKeyUse] as const;
