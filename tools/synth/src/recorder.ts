import * as pulumi from '@pulumi/pulumi';
import canonicalize from 'canonicalize';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { SECRET_PLACEHOLDER, type SynthResource } from './record';

// Pulumi's wire format marks special values with this key (sdk/nodejs/runtime/rpc.ts).
const SIG_KEY = pulumi.runtime.specialSigKey;
const SECRET_SIG = pulumi.runtime.specialSecretSig;
const RESOURCE_SIG = pulumi.runtime.specialResourceSig;
const ASSET_SIG = pulumi.runtime.specialAssetSig;
const ARCHIVE_SIG = pulumi.runtime.specialArchiveSig;
const UNKNOWN = pulumi.runtime.unknownValue;

/**
 * Turns serialized resource inputs into plain JSON: secrets become "[secret]" (the mocks' `newResource` only ever
 * sees them unwrapped, so the recording must read the wire format), resource references their URN, assets their
 * path or text. Paths are recorded as the engine receives them: the program must not put absolute paths in inputs.
 */
export function plainInputs(value: unknown): unknown {
  if (value === UNKNOWN) return '[unknown]';
  if (Array.isArray(value)) return value.map((v) => plainInputs(v));
  if (value !== null && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    switch (obj[SIG_KEY]) {
      case SECRET_SIG:
        return SECRET_PLACEHOLDER;
      case RESOURCE_SIG:
        return obj['urn'];
      case ASSET_SIG:
      case ARCHIVE_SIG:
        return typeof obj['path'] === 'string' ? pathWithContent(obj['path']) : plainInputs(obj['text'] ?? obj['uri'] ?? obj['assets']);
      default:
        return Object.fromEntries(
          Object.keys(obj)
            .sort()
            .filter((k) => obj[k] !== undefined)
            .map((k) => [k, plainInputs(obj[k])]),
        );
    }
  }
  return value;
}

/** `sha256:<hex>` of the canonical JSON (RFC 8785) of a plain value. */
function digestOf(value: unknown): string {
  return `sha256:${createHash('sha256').update(canonicalize(value) ?? 'null', 'utf8').digest('hex')}`;
}

/**
 * Where serialized inputs hold a Pulumi secret, the SHA-256 of its plain (mock) value, in the inputs' shape (array
 * indices as keys); `undefined` where there is none. The value itself is never kept: only the digest leaves here, so
 * the gate can tell a changed secret from an unchanged one (`changed (secret)`) while reports show "[secret]".
 */
export function secretDigests(value: unknown): Record<string, unknown> | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const obj = value as Record<string, unknown>;
  if (obj[SIG_KEY] === SECRET_SIG) return undefined;
  if (obj[SIG_KEY] !== undefined && !Array.isArray(value)) return undefined;
  const entries = (Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(obj))
    .map(([key, child]): [string, unknown] => {
      const inner = child !== null && typeof child === 'object' && (child as Record<string, unknown>)[SIG_KEY] === SECRET_SIG;
      return [key, inner ? digestOf(plainInputs((child as Record<string, unknown>)['value'])) : secretDigests(child)];
    })
    .filter(([, digest]) => digest !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}

/**
 * A file or folder asset as its path and a SHA-256 of its content (sorted relative paths and bytes): the engine
 * redeploys on a content change, so the recording must show one (e.g. new rotation function code), not just the path.
 */
function pathWithContent(path: string): { path: string; sha256?: string } {
  if (!existsSync(path)) return { path };
  const hash = createHash('sha256');
  const files = statSync(path).isDirectory()
    ? readdirSync(path, { recursive: true, encoding: 'utf8' }).filter((f) => statSync(join(path, f)).isFile()).sort()
    : [''];
  for (const file of files) hash.update(`${file}\0`).update(readFileSync(join(path, file))).update('\0');
  return { path, sha256: hash.digest('hex') };
}

/** The outputs that differ from the inputs (what the provider computed), or nothing; secret outputs as "[secret]". */
function computedOutputs(
  inputs: Record<string, unknown>,
  raw: Record<string, unknown> | undefined,
  secretOutputs: readonly string[],
): { outputs?: Record<string, unknown> } {
  if (!raw) return {};
  const all = plainInputs(raw) as Record<string, unknown>;
  const computed = Object.fromEntries(
    Object.entries(all)
      .filter(([k, v]) => k !== 'id' && k !== 'urn' && JSON.stringify(v) !== JSON.stringify(inputs[k]))
      // The mocks answer in plain text; the engine keeps these outputs secret (e.g. RandomPassword.result).
      .map(([k, v]) => [k, secretOutputs.includes(k) ? SECRET_PLACEHOLDER : v]),
  );
  return Object.keys(computed).length > 0 ? { outputs: computed } : {};
}

interface Struct {
  toJavaScript(): Record<string, unknown>;
}
interface UrnList {
  getUrnsList(): string[];
}
/** The protobuf map of `propertyDependencies` (jspb.Map). */
interface PropertyDependenciesMap {
  forEach(callback: (value: UrnList, key: string) => void): void;
}
interface StringMap {
  forEach(callback: (value: string, key: string) => void): void;
}
interface AliasMessage {
  hasUrn(): boolean;
  getUrn(): string;
  getSpec(): { toObject(): Record<string, unknown> } | undefined;
}
interface Timeouts {
  getCreate(): string;
  getUpdate(): string;
  getDelete(): string;
}
interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getObject(): Struct | undefined;
  getDependenciesList(): string[];
  getPropertydependenciesMap(): PropertyDependenciesMap;
  getAdditionalsecretoutputsList(): string[];
  hasProtect(): boolean;
  getProtect(): boolean;
  hasRetainondelete(): boolean;
  getRetainondelete(): boolean;
  getDeletebeforereplacedefined(): boolean;
  getDeletebeforereplace(): boolean;
  getIgnorechangesList(): string[];
  getReplaceonchangesList(): string[];
  getHidediffsList(): string[];
  getImportid(): string;
  getProvider(): string;
  getProvidersMap(): StringMap;
  getAliasesList(): AliasMessage[];
  getAliasurnsList(): string[];
  getCustomtimeouts(): Timeouts | undefined;
  getDeletedwith(): string;
  getReplaceWithList(): string[];
  hasReplacementTrigger(): boolean;
  getReplacementTrigger(): { toJavaScript(): unknown } | undefined;
  getVersion(): string;
  getPlugindownloadurl(): string;
}
interface ReadRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getProperties(): Struct | undefined;
  getDependenciesList(): string[];
}
interface RegisterResponse {
  getUrn(): string;
  getId?(): string;
  getObject?(): Struct | undefined;
}
type Callback = (err: Error | null, resp?: RegisterResponse) => void;
interface OutputsRequest {
  getUrn(): string;
  getOutputs(): Struct | undefined;
}
interface Monitor {
  registerResource(req: RegisterRequest, callback: Callback): void;
  readResource(req: ReadRequest, callback: Callback): void;
  registerResourceOutputs(req: OutputsRequest, callback: (err: Error | null, resp?: unknown) => void): void;
}

/**
 * The dependencies of a request, sorted so the recording does not depend on the order promises settled in. The SDK
 * has already expanded a component into its custom children and dropped the resource itself
 * (@pulumi/pulumi runtime/dependsOn.js, getAllTransitivelyReferencedResourceURNs): the list is what the engine orders by.
 */
function dependenciesOf(req: { getDependenciesList(): string[]; getPropertydependenciesMap?(): PropertyDependenciesMap }): Pick<SynthResource, 'dependencies' | 'propertyDependencies'> {
  const dependencies = [...new Set(req.getDependenciesList())].sort();
  const byProperty: [string, string[]][] = [];
  req.getPropertydependenciesMap?.().forEach((value, key) => {
    const urns = [...new Set(value.getUrnsList())].sort();
    if (urns.length > 0) byProperty.push([key, urns]);
  });
  byProperty.sort(([a], [b]) => a.localeCompare(b));
  return { dependencies, ...(byProperty.length > 0 ? { propertyDependencies: Object.fromEntries(byProperty) } : {}) };
}

/** A provider reference (`<provider URN>::<provider id>`) as the provider's URN: the id is a mock's, the URN is the name. */
const providerUrn = (ref: string): string => (ref.includes('::') ? ref.slice(0, ref.lastIndexOf('::')) : ref);
const sorted = (list: readonly string[]): string[] => [...new Set(list)].sort();
const nonEmpty = <T>(key: string, value: T | undefined | '' | readonly unknown[]): Array<[string, unknown]> =>
  value === undefined || value === '' || (Array.isArray(value) && value.length === 0) ? [] : [[key, value]];

/**
 * The resource options of a register request, as the engine receives them; only those the program set. References
 * are names: a provider, `providers`, `deletedWith`, `replaceWith` and aliases by URN (or alias spec), never objects.
 */
function optionsOf(req: RegisterRequest): { options?: Record<string, unknown> } {
  const providers: Array<[string, string]> = [];
  req.getProvidersMap().forEach((ref, pkg) => providers.push([pkg, providerUrn(ref)]));
  const aliases = [
    ...req.getAliasesList().map((alias) =>
      alias.hasUrn()
        ? { urn: alias.getUrn() }
        : Object.fromEntries(Object.entries(alias.getSpec()?.toObject() ?? {}).filter(([, v]) => v !== '' && v !== false && v !== undefined)),
    ),
    ...req.getAliasurnsList().map((urn) => ({ urn })),
  ];
  const timeouts = req.getCustomtimeouts();
  const customTimeouts = timeouts
    ? Object.fromEntries([...nonEmpty('create', timeouts.getCreate()), ...nonEmpty('update', timeouts.getUpdate()), ...nonEmpty('delete', timeouts.getDelete())])
    : {};
  const options: Array<[string, unknown]> = [
    ...(req.hasProtect() ? [['protect', req.getProtect()] as [string, unknown]] : []),
    ...(req.hasRetainondelete() ? [['retainOnDelete', req.getRetainondelete()] as [string, unknown]] : []),
    ...(req.getDeletebeforereplacedefined() ? [['deleteBeforeReplace', req.getDeletebeforereplace()] as [string, unknown]] : []),
    ...nonEmpty('ignoreChanges', sorted(req.getIgnorechangesList())),
    ...nonEmpty('replaceOnChanges', sorted(req.getReplaceonchangesList())),
    ...nonEmpty('hideDiffs', sorted(req.getHidediffsList())),
    ...nonEmpty('import', req.getImportid()),
    ...nonEmpty('provider', providerUrn(req.getProvider())),
    ...(providers.length > 0 ? [['providers', Object.fromEntries(providers.sort())] as [string, unknown]] : []),
    ...nonEmpty('aliases', aliases),
    ...(Object.keys(customTimeouts).length > 0 ? [['customTimeouts', customTimeouts] as [string, unknown]] : []),
    ...nonEmpty('additionalSecretOutputs', sorted(req.getAdditionalsecretoutputsList())),
    ...nonEmpty('deletedWith', req.getDeletedwith()),
    ...nonEmpty('replaceWith', sorted(req.getReplaceWithList())),
    ...(req.hasReplacementTrigger() ? [['replacementTrigger', plainInputs(req.getReplacementTrigger()?.toJavaScript())] as [string, unknown]] : []),
    ...nonEmpty('version', req.getVersion()),
    ...nonEmpty('pluginDownloadURL', req.getPlugindownloadurl()),
  ];
  options.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return options.length > 0 ? { options: Object.fromEntries(options) } : {};
}

/** The monitor `setMocks` installs answers the register and read requests the recording wraps. */
function isMonitor(value: unknown): value is Monitor {
  if (typeof value !== 'object' || value === null) return false;
  const monitor = value as Partial<Record<keyof Monitor, unknown>>;
  return typeof monitor.registerResource === 'function' && typeof monitor.readResource === 'function' && typeof monitor.registerResourceOutputs === 'function';
}

/** What {@link recordRegistrations} collects. */
export interface Recording {
  resources: SynthResource[];
  /** Registered outputs by URN (the root stack's are the stack outputs), secrets as "[secret]". */
  outputs: Map<string, Record<string, unknown>>;
}

/**
 * Records every resource the program registers, with its URN and parent, by wrapping the mock monitor that
 * `setMocks` installed. The Mocks API hands `newResource` neither, and secrets already unwrapped; the monitor sees
 * the request as the engine would, dependencies included. Reads (`StackReference`, `.get()`) are recorded too, marked
 * `custom: true`.
 * Call right after `setMocks`.
 */
export function recordRegistrations(): Recording {
  const recorded: SynthResource[] = [];
  const outputs = new Map<string, Record<string, unknown>>();
  const monitor: unknown = pulumi.runtime.getMonitor();
  if (!isMonitor(monitor)) throw new Error('recordRegistrations: call pulumi.runtime.setMocks first');
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) =>
    register(req, (err, resp) => {
      if (!err && resp) {
        const serialized = req.getObject()?.toJavaScript() ?? {};
        const inputs = plainInputs(serialized) as Record<string, unknown>;
        const digests = secretDigests(serialized);
        recorded.push({
          urn: resp.getUrn(),
          type: req.getType(),
          name: req.getName(),
          parent: req.getParent() || undefined,
          custom: req.getCustom(),
          ...(req.getCustom() && resp.getId?.() ? { id: resp.getId?.() } : {}),
          inputs,
          ...(req.getCustom() ? computedOutputs(inputs, resp.getObject?.()?.toJavaScript(), req.getAdditionalsecretoutputsList()) : {}),
          ...dependenciesOf(req),
          ...optionsOf(req),
          ...(digests ? { secretDigests: digests } : {}),
        });
      }
      callback(err, resp);
    });
  const read = monitor.readResource.bind(monitor);
  monitor.readResource = (req, callback) =>
    read(req, (err, resp) => {
      if (!err && resp) {
        recorded.push({
          urn: resp.getUrn(),
          type: req.getType(),
          name: req.getName(),
          parent: req.getParent() || undefined,
          custom: true,
          inputs: plainInputs(req.getProperties()?.toJavaScript() ?? {}) as Record<string, unknown>,
          ...dependenciesOf(req),
        });
      }
      callback(err, resp);
    });
  const registerOutputs = monitor.registerResourceOutputs.bind(monitor);
  monitor.registerResourceOutputs = (req, callback) => {
    outputs.set(req.getUrn(), plainInputs(req.getOutputs()?.toJavaScript() ?? {}) as Record<string, unknown>);
    registerOutputs(req, callback);
  };
  return { resources: recorded, outputs };
}
