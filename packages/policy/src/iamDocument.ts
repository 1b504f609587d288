import { isSecretPlaceholder, record, strings } from './values';

/** One IAM statement, normalised: every list is an array. */
export interface IamStatement {
  sid?: string;
  effect: string;
  actions: string[];
  notActions: string[];
  resources: string[];
  notResources: string[];
  hasPrincipal: boolean;
}

export type ParsedDocument = { ok: true; statements: IamStatement[] } | { ok: false; reason: string };

/**
 * Parses an IAM policy document given as a JSON string (what `JSON.stringify` / `pulumi.jsonStringify` produce) or
 * as an object (what some programs and the engine's deserialisation give).
 *
 * @example
 * parsePolicyDocument('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}');
 */
export function parsePolicyDocument(value: unknown): ParsedDocument {
  const parsed = statementRecords(
    value,
    'it is marked secret, so it cannot be reviewed (policies are not secrets: do not wrap them in pulumi.secret)',
  );
  if (!parsed.ok) return parsed;
  const statements = parsed.records.map(
    (s): IamStatement => ({
      sid: typeof s['Sid'] === 'string' ? s['Sid'] : undefined,
      effect: typeof s['Effect'] === 'string' ? s['Effect'] : '',
      actions: strings(s['Action']),
      notActions: strings(s['NotAction']),
      resources: strings(s['Resource']),
      notResources: strings(s['NotResource']),
      hasPrincipal: s['Principal'] !== undefined || s['NotPrincipal'] !== undefined,
    }),
  );
  return { ok: true, statements };
}

/**
 * The statements of a policy document (IAM or key policy) given as a JSON string or an object, each still raw, or
 * why the document cannot be read. `secretReason` is the reason when the value is the synth's secret placeholder.
 *
 * @example
 * statementRecords('{"Statement":{"Effect":"Allow","Action":"kms:*"}}', 'secret'); // { ok: true, records: [{ Effect: 'Allow', ... }] }
 */
export function statementRecords(
  value: unknown,
  secretReason: string,
): { ok: true; records: Record<string, unknown>[] } | { ok: false; reason: string } {
  if (isSecretPlaceholder(value)) return { ok: false, reason: secretReason };
  let doc: unknown = value;
  if (typeof value === 'string') {
    try {
      doc = JSON.parse(value);
    } catch (error) {
      return { ok: false, reason: `it is not valid JSON (${(error as Error).message})` };
    }
  }
  const body = record(doc);
  if (!body) return { ok: false, reason: 'it is neither a JSON string nor an object' };
  const raw = body['Statement'];
  const records: Record<string, unknown>[] = [];
  for (const item of Array.isArray(raw) ? Array.from(raw as unknown[]) : [raw]) {
    const s = record(item);
    if (!s) return { ok: false, reason: 'it has a Statement that is not an object' };
    records.push(s);
  }
  return { ok: true, records };
}

/** True when an IAM action pattern (with `*` / `?` wildcards, case-insensitive) matches `action`. */
export function actionMatches(pattern: string, action: string): boolean {
  const regex = new RegExp(
    `^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`,
    'i',
  );
  return regex.test(action);
}

/** `*` or a whole service (`s3:*`). */
export function isWildcardAction(action: string): boolean {
  return action === '*' || /^[a-z0-9-]+:\*$/i.test(action);
}

/** How a statement is named in messages. */
export function statementLabel(statement: IamStatement, index: number): string {
  return statement.sid ? `statement '${statement.sid}'` : `statement #${index + 1}`;
}
