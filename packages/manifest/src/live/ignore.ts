import picomatch from 'picomatch';
import { z } from 'zod';
import { LiveDriftError, ManifestError } from '../errors';
import { readTextFile } from '../io';
import type { IgnoredBy, IgnoreRule, RefreshPreview, ResourceDrift } from './types';

type Matcher = (input: string) => boolean;

const pattern = z.string().min(1, 'must not be empty');

export const ignoreFileSchema = z
  .object({
    rules: z.array(
      z
        .object({
          type: pattern,
          name: pattern.default('*'),
          property: pattern.optional(),
          reason: z.string().trim().min(1, 'is required: say why this drift is benign'),
        })
        .strict(),
    ),
  })
  .strict();

/**
 * Validates the content of an ignore file (`{ "rules": [{ type, name?, property?, reason }] }`).
 *
 * @throws LiveDriftError naming `source` and the first problems.
 * @example
 * parseIgnoreRules({ rules: [{ type: 'aws:rds/cluster:Cluster', property: 'engineVersion', reason: 'minor auto-upgrade' }] });
 */
export function parseIgnoreRules(value: unknown, source = 'ignore rules'): IgnoreRule[] {
  const parsed = ignoreFileSchema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.length ? issue.path.join('.') : '(root)'} ${issue.message}`);
    throw new LiveDriftError('ignore-rules', source, `invalid ignore rules: ${issues.slice(0, 3).join('; ')} (expected {"rules": [{"type", "name", "property", "reason"}]})`);
  }
  return parsed.data.rules;
}

/**
 * Reads and validates an ignore file.
 *
 * @throws LiveDriftError when the file is missing, not JSON or not the rules shape.
 * @example
 * const rules = loadIgnoreRules('apps/tap-stack/drift-ignore.json');
 */
export function loadIgnoreRules(file: string): IgnoreRule[] {
  let text: string;
  try {
    text = readTextFile(file);
  } catch (error) {
    if (!(error instanceof ManifestError)) throw error;
    throw new LiveDriftError('ignore-rules', file, error.code === 'not-found' ? 'ignore file not found; fix the --ignore path' : `ignore file: ${error.problem}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new LiveDriftError('ignore-rules', file, `invalid JSON (${(error as Error).message})`);
  }
  return parseIgnoreRules(value, file);
}

// Resource types (`aws:rds/cluster:Cluster`) and names are not file paths: a `*` must match across their `/`, which
// picomatch treats as a separator. Both sides swap it for a character globs never give a meaning to. Brackets are
// array indices in property paths (`alarmActions[0]`), never character classes, so they are escaped.
const SLASH = '\u2215';
const matcher = (glob: string): Matcher => {
  const match = picomatch(glob.split('/').join(SLASH).replace(/[[\]]/g, '\\$&'), { dot: true });
  return (input) => match(input.split('/').join(SLASH));
};

interface CompiledRule {
  index: number;
  rule: IgnoreRule;
  type: Matcher;
  name: Matcher;
  property?: Matcher;
}

const by = (compiled: CompiledRule): IgnoredBy => ({ rule: compiled.index, reason: compiled.rule.reason });

function ignoreResource(resource: ResourceDrift, rules: CompiledRule[]): ResourceDrift {
  const applicable = rules.filter((r) => r.type(resource.type) && r.name(resource.name));
  const whole = applicable.find((r) => r.property === undefined);
  if (whole) return { ...resource, ignored: by(whole), properties: resource.properties.map((p) => ({ ...p, ignored: by(whole) })) };
  const properties = resource.properties.map((property) => {
    const rule = applicable.find((r) => r.property?.(property.path));
    return rule ? { ...property, ignored: by(rule) } : property;
  });
  // A property rule ignores that property only: the resource is ignored when it merely changed and every change is.
  const allIgnored = resource.kind === 'changed' && properties.length > 0 && properties.every((p) => p.ignored);
  return { ...resource, properties, ...(allIgnored ? { ignored: properties[0].ignored } : {}) };
}

/**
 * Marks the drift that `rules` call benign as ignored (with the rule's reason); nothing is removed. A rule with a
 * `property` ignores matching properties only; a resource is ignored when a rule without `property` matches it, or
 * when it changed and every changed property is ignored.
 *
 * @example
 * const preview = applyIgnoreRules(parseRefreshPreview(json), loadIgnoreRules('drift-ignore.json'));
 * preview.resources.filter((r) => !r.ignored); // what still counts as drift
 */
export function applyIgnoreRules(preview: RefreshPreview, rules: readonly IgnoreRule[]): RefreshPreview {
  const compiled: CompiledRule[] = rules.map((rule, index) => ({
    index,
    rule,
    type: matcher(rule.type),
    name: matcher(rule.name),
    property: rule.property === undefined ? undefined : matcher(rule.property),
  }));
  return { ...preview, resources: preview.resources.map((resource) => ignoreResource(resource, compiled)) };
}
