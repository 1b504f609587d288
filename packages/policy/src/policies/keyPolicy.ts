import { UnknownValueError } from '@pulumi/policy';
import { actionMatches, statementRecords } from '../iamDocument';
import { record, strings } from '../values';

/*
 * KMS key policies as the kms-key-use and kms-key-admin-no-grants policies read them: principals and conditions
 * matter here, which the IAM reader (iamDocument.ts) leaves out.
 */

/** One key-policy statement, normalised. */
export interface KeyStatement {
  /** `statement 'Sid'` or `statement #n`, for messages. */
  label: string;
  effect: string;
  actions: string[];
  notActions: string[];
  /** `Principal: "*"` (or `{ AWS: "*" }`). */
  anyone: boolean;
  /** AWS principals: account roots, account ids, role/user ARNs. */
  awsPrincipals: string[];
  /** Service principals, e.g. `cloudwatch.amazonaws.com`. */
  servicePrincipals: string[];
  /** `Condition`: operator → condition key → values (always strings). */
  conditions: { operator: string; key: string; values: string[] }[];
}

export type ParsedKeyPolicy = { ok: true; statements: KeyStatement[]; isDefault: boolean } | { ok: false; reason: string };

/**
 * The policy AWS gives a key created without one: the account root may do everything (`kms:*`), which hands
 * control to IAM policies (AWS KMS developer guide, "Default key policy").
 */
function defaultKeyPolicy(): KeyStatement[] {
  return [
    {
      label: 'the default key policy',
      effect: 'Allow',
      actions: ['kms:*'],
      notActions: [],
      anyone: false,
      awsPrincipals: ['(this account)'],
      servicePrincipals: [],
      conditions: [],
    },
  ];
}

function conditionsOf(value: unknown): KeyStatement['conditions'] {
  const block = record(value);
  if (!block) return [];
  return Object.entries(block).flatMap(([operator, keys]) =>
    Object.entries(record(keys) ?? {}).map(([key, values]) => ({
      operator,
      key,
      values: (Array.isArray(values) ? (values as unknown[]) : [values]).map((v) => String(v)),
    })),
  );
}

/**
 * Parses a key's `policy` (a JSON string in the inputs, or an object). No policy means AWS's default key policy.
 *
 * @example
 * parseKeyPolicy('{"Statement":[{"Effect":"Allow","Principal":{"Service":"cloudwatch.amazonaws.com"},"Action":"kms:Decrypt","Resource":"*"}]}');
 */
export function parseKeyPolicy(value: unknown): ParsedKeyPolicy {
  if (value === undefined || value === null || value === '') return { ok: true, statements: defaultKeyPolicy(), isDefault: true };
  const parsed = statementRecords(value, 'it is marked secret, so it cannot be reviewed');
  if (!parsed.ok) return parsed;
  const statements = parsed.records.map((s, index): KeyStatement => {
    const principal = s['Principal'];
    const principals = record(principal) ?? {};
    const aws = strings(principals['AWS']);
    return {
      label: typeof s['Sid'] === 'string' && s['Sid'].length > 0 ? `statement '${s['Sid']}'` : `statement #${index + 1}`,
      effect: typeof s['Effect'] === 'string' ? s['Effect'] : '',
      actions: strings(s['Action']),
      notActions: strings(s['NotAction']),
      anyone: principal === '*' || aws.includes('*'),
      awsPrincipals: aws.filter((p) => p !== '*'),
      servicePrincipals: strings(principals['Service']),
      conditions: conditionsOf(s['Condition']),
    };
  });
  return { ok: true, statements, isDefault: false };
}

/** Does the statement name `action` (through `Action` patterns, or by leaving it out of `NotAction`)? */
export function grantsAction(statement: KeyStatement, action: string): boolean {
  if (statement.actions.some((pattern) => actionMatches(pattern, action))) return true;
  return statement.notActions.length > 0 && !statement.notActions.some((pattern) => actionMatches(pattern, action));
}

/** The action patterns of the statement that cover `action`, for messages (`kms:Create*`, or `NotAction`). */
export function coveringPatterns(statement: KeyStatement, action: string): string[] {
  const patterns = statement.actions.filter((pattern) => actionMatches(pattern, action));
  if (patterns.length === 0 && statement.notActions.length > 0) return ['NotAction'];
  return patterns;
}

/** `ForAnyValue:StringLikeIfExists` → `StringLike`: the set and IfExists qualifiers do not change what we read. */
export function baseOperator(operator: string): string {
  return operator.replace(/^For(Any|All)Value:/i, '').replace(/IfExists$/i, '');
}

/** IAM string matching with `*` / `?` wildcards. */
export function globMatches(pattern: string, value: string, ignoreCase = false): boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`, ignoreCase ? 'i' : '').test(value);
}

/** The statement's conditions on `key` (condition keys are case-insensitive). */
export function conditionsOn(statement: KeyStatement, key: string): KeyStatement['conditions'] {
  return statement.conditions.filter((c) => c.key.toLowerCase() === key.toLowerCase());
}

/**
 * Does a condition on a string key admit `value`? Positive operators must match, negated ones must not; an operator
 * we cannot evaluate admits nothing (the policy cannot show that the use is allowed).
 */
export function conditionAdmits(condition: { operator: string; values: string[] }, value: (pattern: string, ignoreCase: boolean) => boolean): boolean {
  const operator = baseOperator(condition.operator);
  switch (operator) {
    case 'StringEquals':
    case 'StringLike':
    case 'ArnEquals':
    case 'ArnLike':
      return condition.values.some((v) => value(v, false));
    case 'StringEqualsIgnoreCase':
      return condition.values.some((v) => value(v, true));
    case 'StringNotEquals':
    case 'StringNotLike':
    case 'ArnNotEquals':
    case 'ArnNotLike':
      return !condition.values.some((v) => value(v, false));
    case 'StringNotEqualsIgnoreCase':
      return !condition.values.some((v) => value(v, true));
    default:
      return false;
  }
}

/** `kms:GrantIsForAWSResource` set to true: the statement only works for grants an AWS service creates. */
export function grantIsForAwsResource(statement: KeyStatement): boolean {
  return conditionsOn(statement, 'kms:GrantIsForAWSResource').some(
    (c) => ['Bool', 'StringEquals'].includes(baseOperator(c.operator)) && c.values.length > 0 && c.values.every((v) => v.toLowerCase() === 'true'),
  );
}

/**
 * A positive `kms:ViaService` condition naming services: the statement only works for calls made through them
 * (`*` or `*.amazonaws.com` names no service, so it restricts nothing).
 */
export function restrictedToServices(statement: KeyStatement): boolean {
  return conditionsOn(statement, 'kms:ViaService').some(
    (c) =>
      ['StringEquals', 'StringLike', 'StringEqualsIgnoreCase'].includes(baseOperator(c.operator)) &&
      c.values.length > 0 &&
      c.values.every((v) => !v.startsWith('*')),
  );
}

/**
 * Runs `check` for each item; an unknown value (preview) skips only that item. The first unknown is re-thrown once
 * every known item was checked, so the engine still reports "can't run during preview" (advisory) for it while the
 * violations found on the rest stand.
 */
export function checkEach<T>(items: readonly T[], check: (item: T) => void): void {
  let unknown: unknown;
  for (const item of items) {
    try {
      check(item);
    } catch (error) {
      if (!(error instanceof UnknownValueError)) throw error;
      unknown ??= error;
    }
  }
  if (unknown !== undefined) throw unknown;
}
