import type { NormalStatement, PolicyCondition } from './types';
import { cidrCovers } from './network';
import { PolicyShapeError } from './errors';

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Whether `value` looks like an IAM policy document: an object with `Statement`, or a JSON string of one.
 *
 * @example
 * isPolicyDocument('{"Statement": []}'); // true
 * isPolicyDocument({ rules: [] }); // false
 */
export function isPolicyDocument(value: unknown): boolean {
  if (typeof value === 'string') {
    try {
      return isPolicyDocument(JSON.parse(value) as unknown);
    } catch {
      return false;
    }
  }
  return isObject(value) && 'Statement' in value;
}

function strings(value: unknown, element: string): string[] {
  const list = Array.isArray(value) ? value : [value];
  if (!list.every((item) => typeof item === 'string')) throw new PolicyShapeError(`${element} must be a string or a list of strings`);
  return [...new Set(list as string[])].sort();
}

/** A 12-digit account id is its root ARN (IAM treats them the same); `{"AWS": "*"}` is `*`. */
function principalValue(kind: string, value: string): string {
  if (kind === 'AWS') {
    if (value === '*') return '*';
    if (/^\d{12}$/.test(value)) return `AWS:arn:aws:iam::${value}:root`;
  }
  return `${kind}:${kind === 'Service' ? value.toLowerCase() : value}`;
}

function principals(value: unknown, element: string): string[] {
  if (value === '*') return ['*'];
  if (!isObject(value)) throw new PolicyShapeError(`${element} must be "*" or an object such as {"AWS": [...]}`);
  const all = Object.entries(value).flatMap(([kind, entries]) => strings(entries, `${element}.${kind}`).map((entry) => principalValue(kind, entry)));
  return [...new Set(all)].sort();
}

function conditions(value: unknown): PolicyCondition[] {
  if (value === undefined) return [];
  if (!isObject(value)) throw new PolicyShapeError('Condition must be an object of operators');
  const list: PolicyCondition[] = [];
  for (const [operator, keys] of Object.entries(value)) {
    if (!isObject(keys)) throw new PolicyShapeError(`Condition.${operator} must be an object of keys`);
    for (const [key, values] of Object.entries(keys)) {
      const texts = (Array.isArray(values) ? values : [values]).map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
      list.push({ operator, key: key.toLowerCase(), values: [...new Set(texts)].sort() });
    }
  }
  return list.sort((a, b) => `${a.operator} ${a.key}`.localeCompare(`${b.operator} ${b.key}`));
}

function statement(value: unknown, index: number): NormalStatement {
  if (!isObject(value)) throw new PolicyShapeError(`Statement[${index}] is not an object`);
  const effect = value.Effect;
  if (effect !== 'Allow' && effect !== 'Deny') throw new PolicyShapeError(`Statement[${index}].Effect must be "Allow" or "Deny"`);
  const pick = <T>(key: string, read: (v: unknown, element: string) => T): T | undefined =>
    value[key] === undefined ? undefined : read(value[key], `Statement[${index}].${key}`);
  const lower = (v: unknown, element: string): string[] => [...new Set(strings(v, element).map((a) => a.toLowerCase()))].sort();
  const normal: NormalStatement = { effect, condition: conditions(value.Condition) };
  const fields = {
    principal: pick('Principal', principals),
    notPrincipal: pick('NotPrincipal', principals),
    action: pick('Action', lower),
    notAction: pick('NotAction', lower),
    resource: pick('Resource', strings),
    notResource: pick('NotResource', strings),
  };
  for (const [key, field] of Object.entries(fields)) if (field !== undefined) (normal as unknown as Record<string, unknown>)[key] = field;
  if (!normal.action && !normal.notAction) throw new PolicyShapeError(`Statement[${index}] has neither Action nor NotAction`);
  return normal;
}

/**
 * The statements of a policy document, canonical: the document as an object or a JSON string, `Statement` a single
 * statement or a list.
 *
 * @throws PolicyShapeError when it is not a policy document the diff can judge.
 * @example
 * policyStatements('{"Statement": {"Effect": "Allow", "Action": "S3:GetObject", "Resource": "*"}}');
 * // [{ effect: 'Allow', action: ['s3:getobject'], resource: ['*'], condition: [] }]
 */
export function policyStatements(document: unknown): NormalStatement[] {
  let value = document;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value) as unknown;
    } catch {
      throw new PolicyShapeError('is a string but not JSON');
    }
  }
  if (!isObject(value) || !('Statement' in value)) throw new PolicyShapeError('has no Statement');
  const list = Array.isArray(value.Statement) ? value.Statement : [value.Statement];
  return list.map(statement);
}

/** A glob (`*` any characters, `?` one) as a regular expression; IAM actions compare case-insensitively. */
function globRegExp(pattern: string, ignoreCase: boolean): RegExp {
  const body = pattern.replace(/[\\^$.+()[\]{}|/]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, ignoreCase ? 'is' : 's');
}

/**
 * Whether every value `inner` (itself possibly a glob) can stand for is also matched by `outer`: `s3:*` covers `s3:Get*`,
 * which covers `s3:GetObject`, never the reverse. A `*` of `inner` can only be absorbed by a `*` of `outer`.
 *
 * @example
 * globCovers('s3:Get*', 's3:GetObject'); // true
 * globCovers('s3:GetObject', 's3:Get*'); // false
 */
export function globCovers(outer: string, inner: string, ignoreCase = false): boolean {
  return globRegExp(outer, ignoreCase).test(inner);
}

const hasWildcard = (value: string): boolean => /[*?]/.test(value);

/**
 * Whether the values `include` (with `exclude`, the `Not…` form) of `outer` hold every value of `inner`'s: a list is
 * covered by a list pattern by pattern; an exclusion list by a smaller one; a list by an exclusion only when none of
 * its (wildcard-free) values is excluded.
 */
function setCovers(
  outer: { include?: string[]; exclude?: string[] },
  inner: { include?: string[]; exclude?: string[] },
  ignoreCase: boolean,
): boolean {
  const covers = (patterns: string[], value: string): boolean => patterns.some((pattern) => globCovers(pattern, value, ignoreCase));
  if (outer.include && outer.include.some((p) => p === '*')) return true;
  if (inner.include && outer.include) return inner.include.every((value) => covers(outer.include as string[], value));
  if (inner.exclude && outer.exclude) return outer.exclude.every((value) => covers(inner.exclude as string[], value));
  if (inner.include && outer.exclude) {
    return inner.include.every((value) => !hasWildcard(value) && !(outer.exclude as string[]).some((pattern) => globCovers(pattern, value, ignoreCase)));
  }
  // Absent on both sides (a trust policy has no Resource): the same.
  return !inner.include && !inner.exclude && !outer.include && !outer.exclude;
}

const NEGATED = /^(?:String|Arn)Not|^NotIpAddress$/;
const IP_OPERATOR = /^(?:Not)?IpAddress(?:IfExists)?$/;
const NARROWED_BY_FEWER_VALUES = /^(?:String|Arn)(?:Equals|Like)(?:IgnoreCase)?(?:IfExists)?$/;

/** Whether condition `outer` allows at least everything condition `inner` (same operator and key) allows. */
function conditionCovers(outer: PolicyCondition, inner: PolicyCondition): boolean {
  if (IP_OPERATOR.test(outer.operator)) {
    // IpAddress: every inner range within an outer one. NotIpAddress: it excludes at least what the outer excludes.
    const [wide, narrow] = NEGATED.test(outer.operator) ? [inner.values, outer.values] : [outer.values, inner.values];
    return narrow.every((range) => wide.some((w) => cidrCovers(w, range)));
  }
  if (NEGATED.test(outer.operator)) return outer.values.every((value) => inner.values.includes(value));
  if (NARROWED_BY_FEWER_VALUES.test(outer.operator)) return inner.values.every((value) => outer.values.includes(value));
  // Numeric, Date, Bool, Null, ForAnyValue/ForAllValues: only the same values are known to be the same.
  return outer.values.length === inner.values.length && outer.values.every((value, i) => value === inner.values[i]);
}

/**
 * Whether `outer` grants (Allow) or denies (Deny) at least everything `inner` does: same effect; principals, actions
 * and resources covered; and every condition of `outer` present in `inner` and no looser there (a condition only ever
 * narrows a statement, so `inner` may add conditions).
 *
 * @example
 * statementCovers(policyStatements(before)[0], policyStatements(after)[0]); // false: the after statement lost a condition
 */
export function statementCovers(outer: NormalStatement, inner: NormalStatement): boolean {
  if (outer.effect !== inner.effect) return false;
  if (outer.notPrincipal || inner.notPrincipal) {
    if (JSON.stringify([outer.principal, outer.notPrincipal]) !== JSON.stringify([inner.principal, inner.notPrincipal])) return false;
  } else if (!setCovers({ include: outer.principal }, { include: inner.principal }, false)) return false;
  if (!setCovers({ include: outer.action, exclude: outer.notAction }, { include: inner.action, exclude: inner.notAction }, true)) return false;
  if (!setCovers({ include: outer.resource, exclude: outer.notResource }, { include: inner.resource, exclude: inner.notResource }, false)) return false;
  return outer.condition.every((condition) =>
    inner.condition.some((candidate) => candidate.operator === condition.operator && candidate.key === condition.key && conditionCovers(condition, candidate)),
  );
}

/** `inner` split into one statement per principal, action and resource (where they are lists), so several statements can cover it together. */
function atoms(inner: NormalStatement): NormalStatement[] {
  const split = <K extends 'principal' | 'action' | 'resource'>(list: NormalStatement[], key: K): NormalStatement[] =>
    list.flatMap((s) => (s[key] && (s[key] as string[]).length > 1 ? (s[key] as string[]).map((value) => ({ ...s, [key]: [value] })) : [s]));
  return split(split(split([inner], 'principal'), 'action'), 'resource');
}

/**
 * Whether the statements `outers` together grant (or deny) everything `inner` does: each of its principal × action ×
 * resource combinations covered by one of them.
 *
 * @example
 * coveredByAny(getObject, [getStar]); // true: s3:Get* already allowed s3:GetObject
 */
export function coveredByAny(inner: NormalStatement, outers: readonly NormalStatement[]): boolean {
  const pieces = atoms(inner);
  // Beyond this a statement is judged whole (still sound, only less precise).
  if (pieces.length > 5000) return outers.some((outer) => statementCovers(outer, inner));
  return pieces.every((piece) => outers.some((outer) => statementCovers(outer, piece)));
}
