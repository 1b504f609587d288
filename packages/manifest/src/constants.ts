import { SETTING_PATHS, settingOf, type ConfigPath, type FeedKind } from '@tap/validation';
import { SETTING_BINDINGS } from './binding';

/**
 * Version of the manifest format; bump it (with an upgrade step in `upgrade.ts`) when the file's shape or a field's
 * meaning changes. 2: the file lists the fields its writer records (`fields`). A new setting needs no bump.
 */
export const MANIFEST_VERSION = 2;

/** Exit codes of `tap-drift`, the same as driftctl and `terraform plan -detailed-exitcode`. */
export const EXIT_CODES = {
  /** In sync: nothing changed, or only differences the profiles expect. */
  ok: 0,
  /** Drift (compare) or changes against the approved baseline (check). */
  drift: 1,
  /** Bad input: missing file, invalid JSON, schema mismatch, hash mismatch, unknown flag; for `live`, also any error
   * that makes the check unreliable (Pulumi missing, refresh error diagnostics, unreadable stack output). */
  badInput: 2,
} as const;

export const OUTPUT_FORMATS = ['text', 'json', 'markdown'] as const;

/** Default audit log of `approve`, written next to the baselines. */
export const DEFAULT_HISTORY_FILE = 'history.jsonl';

/**
 * The largest file the gate reads (baselines, inventories, history, synth output, reports): 64 MiB, far above any real
 * one (today's largest inventory is well under 1 MiB), so a runaway or hostile file is refused instead of filling memory.
 */
export const MAX_INPUT_BYTES = 64 * 1024 * 1024;

/**
 * Where each manifest configuration path comes from in `EnvironmentConfig`, from the `manifest` of each row of
 * `SETTINGS` (@tap/validation). The manifest's original field names (`lambda.memory`, `backup.retentionDays`, ...) are
 * kept, so older manifests stay comparable; `docker.imageUri` has no config counterpart.
 */
export const CONFIG_PATHS: Readonly<Record<string, ConfigPath | undefined>> = Object.freeze({
  ...Object.fromEntries(
    SETTING_PATHS.flatMap((path): Array<[string, ConfigPath]> => {
      const manifest = settingOf(path).manifest;
      return manifest === null ? [] : [[manifest, path]];
    }),
  ),
  'docker.imageUri': undefined,
});

/** What a secret value is shown as in live-drift reports and in the synth's inputs (the same text the Pulumi CLI prints). */
export const SECRET_PLACEHOLDER = '[secret]';

/** The key/value Pulumi marks a secret with in serialized state (sdk/go/common/resource/sig). */
export const PULUMI_SECRET_SIG = { key: '4dabf18193072939515e22adb298388d', value: '1b47061264138c4ac30d75fd1eb44270' } as const;

/** Exit code of `pulumi refresh --expect-no-changes` when changes were found (pulumi/pulumi PR 22176). */
export const PULUMI_EXIT_CHANGES = 7;

/**
 * How each `pulumi refresh --preview-only` step operation reads as drift. `same`, `read` and `refresh` without a diff
 * are not drift; an operation missing here is kept as `unknown`, never dropped.
 */
export const REFRESH_OP_KINDS = {
  update: 'changed',
  delete: 'missing',
  create: 'unmanaged',
  replace: 'replaced',
  'create-replacement': 'replaced',
  'delete-replaced': 'replaced',
} as const;

/** Steps that are not drift unless they carry a diff. */
export const REFRESH_NO_CHANGE_OPS = ['same', 'read', 'refresh'] as const;

/**
 * The manifest path whose value the offline synth cannot know: the synth's registry is a mock account, so only the
 * part after the registry host (`<repository>:<content tag>`) is compared with the deployed stack.
 */
export const IMAGE_URI_PATH = 'docker.imageUri';

/** The stack output that holds the deployed configuration manifest. */
export const CONFIG_MANIFEST_OUTPUT = 'configManifest';

/**
 * Version of the resource-inventory format; bump it when a field is added or changes meaning (2: resources may carry
 * `options`, secret inputs a `{ "secret": "sha256:…" }` digest), and add the step from the old one in upgrade.ts.
 */
export const INVENTORY_VERSION = 2;

/** A baseline's resource inventory sits beside its configuration manifest: `<env>.json` -> `<env>.resources.json`. */
export const INVENTORY_FILE_SUFFIX = '.resources.json';

/** The offline synth's per-environment record of every registered resource (`<synth>/<env>/resources.json`). */
export const SYNTH_RESOURCES_FILE = 'resources.json';

/**
 * Outputs a resource is referred to by. A string input equal to another resource's `id` or to one of these outputs
 * (at any depth, e.g. `masterUserSecrets[0].secretArn`) is recorded as `${ref:<name>.<attribute>}`: references say
 * what is wired to what, whatever account, region or mock id the value had. Only identifying outputs are used, so a
 * plain value that happens to equal an output (`$LATEST`, an account id) is never mistaken for a reference, and no
 * output other than these is ever read (the synth's outputs hold unmasked values, e.g. a random password's result).
 */
export const REFERENCE_ATTRIBUTES = [
  'arn',
  'keyId',
  'endpoint',
  'readerEndpoint',
  'repositoryUrl',
  'secretArn',
  'invokeArn',
  'qualifiedArn',
  'functionUrl',
] as const;

/**
 * Input keys whose string values are always masked, even when the program forgot to mark them secret (the synth
 * masks Pulumi secrets already; this is the second line).
 */
export const SECRET_INPUT_KEYS = [
  'password',
  'masterPassword',
  'secretString',
  'secretBinary',
  'authToken',
  'privateKey',
  'token',
] as const;

/**
 * Values that change with every build although nothing the reviewer approves changed. Each is replaced by a fixed
 * text and every place it was found is listed in the inventory (`normalisation.volatile`). Only the value THIS build
 * produced is volatile: the `source` output of the resources of `source.type` (the image the synth builds). The same
 * pattern holding any other value (a function pinned to an older digest, an image of another registry) is compared.
 */
export const VOLATILE_VALUES = [
  {
    rule: 'image-digest',
    // A registry digest hashes the pushed image config, and `docker build` writes the build time into it (`created`):
    // rebuilding the same content pushes a new digest. The content itself is approved through the image's content tag
    // (`docker.imageUri` in the configuration manifest, `imageName` in the inventory).
    source: { type: 'docker:index/image:Image', output: 'repoDigest' },
    pattern: /@sha256:[0-9a-f]{64}/g,
    replacement: '@sha256:<digest>',
    reason: "registry digest of the image this build pushes (the docker image's repoDigest); its content is approved through its content tag (docker.imageUri)",
  },
] as const;

/**
 * What a secret input is recorded as in an inventory: a SHA-256 of the synth's (mock) value, never the value, so a
 * changed secret shows as `changed (secret)`. Plain SHA-256: the synth never holds a real secret (`secure:` config is a
 * placeholder, passwords come from the mocks), so a digest tells nothing the repository does not; a key committed
 * beside it would add nothing, and a secret key would have to be shared by everyone who approves.
 */
export const SECRET_DIGEST_PREFIX = 'sha256:';

/**
 * The pseudo-property under which a resource's options (`protect`, `ignoreChanges`, `provider`, ...) are compared and
 * matched by approval rules: `(options).protect`, `(options).ignoreChanges`.
 */
export const OPTIONS_PATH = '(options)';

/** How many changed properties (or parity rows) a Markdown report lists before "…and N more". */
export const MARKDOWN_DETAIL_CAP = 50;

/** How many resources a Markdown report details per component before "…and N more". */
export const MARKDOWN_RESOURCE_CAP = 25;

/**
 * Resource-level parity rules that come from no setting: values of the networking stack (each environment has its own
 * VPC). Every environment's value must match `pattern`, so e.g. `0.0.0.0/0` in one environment is never passed off as
 * "its VPC".
 */
export const NETWORK_PARITY_RULES = [
  { type: 'aws:ec2/securityGroup:SecurityGroup', property: 'vpcId', kind: 'network', pattern: /^vpc-[0-9a-f]+$/ },
  { type: 'aws:rds/subnetGroup:SubnetGroup', property: 'subnetIds', kind: 'network', pattern: /^subnet-[0-9a-f]+$/ },
  { type: 'aws:lambda/function:Function', property: 'vpcConfig.subnetIds', kind: 'network', pattern: /^subnet-[0-9a-f]+$/ },
  {
    type: 'aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule',
    property: 'cidrIpv4',
    kind: 'network',
    // The VPC's own CIDR (RFC 1918 ranges only): egress to AWS endpoints inside the VPC.
    pattern: /^(10\.\d{1,3}|172\.(1[6-9]|2\d|3[01])|192\.168)\.\d{1,3}\.\d{1,3}\/\d{1,2}$/,
  },
] as const satisfies readonly ResourceParityRule[];

/**
 * THE table of resource-level parity: which resource properties may differ between environments, and why. A property
 * of a resource that differs between dev, staging and prod (after environment names, the suffix, regions and account
 * ids are normalised) is expected only when a rule here explains it; anything else is parity drift. The configuration
 * rules are the `feeds` of the rows of `SETTINGS` (@tap/validation, see `SETTING_BINDINGS`), one rule per feed; the
 * rest are {@link NETWORK_PARITY_RULES}.
 *
 * - `value`: in every environment the property equals the environment's configuration value of the field; the
 *   configuration itself is checked against the profiles by the config compare. `negated` / `when-true`: its
 *   opposite / set exactly when it is true.
 * - `text`: the property differs only by that configuration value written into it (e.g. an alarm description).
 * - `count`: the NUMBER of resources of `type` follows the configuration value (only presence differs).
 * - `network`: see {@link NETWORK_PARITY_RULES}.
 */
export const RESOURCE_PARITY_RULES: readonly ResourceParityRule[] = Object.freeze([
  ...SETTING_BINDINGS.map(({ setting, feed }): ResourceParityRule => ({ ...feed, fields: [setting] })),
  ...NETWORK_PARITY_RULES,
]);

/**
 * One row of {@link RESOURCE_PARITY_RULES}; `fields` are settings of `SETTINGS` (@tap/validation); `name`, when set,
 * limits the rule to the resource of that logical name after the program's own name (as a `Feed` of `SETTINGS`).
 */
export type ResourceParityRule = { readonly type: string; readonly property: string; readonly name?: string } & (
  | { readonly kind: FeedKind; readonly fields: readonly ConfigPath[] }
  | { readonly kind: 'network'; readonly pattern: RegExp }
);
