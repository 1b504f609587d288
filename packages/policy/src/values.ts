import { SECRET_PLACEHOLDER } from './constants';

/*
 * Readers for resource properties. The engine gives real values (unknowns throw during preview, see
 * @pulumi/policy's unknownCheckingProxy); the offline synth may give strings where an Output was unknown and
 * "[secret]" for secrets. These readers never throw and return undefined for anything that is not the asked type.
 */

export type Props = Record<string, unknown>;

/** A non-empty string, else undefined. */
export function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** A finite number, or a string holding one (synth inputs may be strings), else undefined. */
export function num(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

/** true / false, also from "true" / "false", else undefined. */
export function bool(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return undefined;
}

/** The elements of an array, or [] for anything else. */
export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? Array.from(value as unknown[]) : [];
}

/** The non-empty strings of an array (a lone string counts as a one-element array). */
export function strings(value: unknown): string[] {
  if (typeof value === 'string') return value.length > 0 ? [value] : [];
  return list(value).filter((v): v is string => typeof v === 'string' && v.length > 0);
}

/** A plain object, else undefined. */
export function record(value: unknown): Props | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Props) : undefined;
}

export function isSecretPlaceholder(value: unknown): boolean {
  return value === SECRET_PLACEHOLDER;
}

/** How a resource is named in messages: its physical name when it has one, and its logical name. */
export function describe(logicalName: string, props: Props): string {
  const physical = str(props['name']) ?? str(props['clusterIdentifier']) ?? str(props['identifier']);
  return physical && physical !== logicalName ? `'${logicalName}' (${physical})` : `'${logicalName}'`;
}
