/** Why a manifest file was refused. */
export type ManifestErrorCode =
  | 'not-found'
  | 'unreadable'
  | 'invalid-json'
  | 'schema'
  | 'hash-mismatch'
  | 'file-name'
  | 'duplicate-environment'
  | 'no-manifests'
  | 'bad-argument'
  | 'no-inventory'
  | 'policy-report'
  | 'approver'
  | 'locked'
  | 'chain'
  | 'not-regular'
  | 'too-large'
  | 'outside-directory'
  | 'write-failed';

/** Bad input: a manifest (or path) that cannot be used. `message` is one line that names the file. */
export class ManifestError extends Error {
  constructor(
    readonly code: ManifestErrorCode,
    readonly source: string,
    readonly problem: string,
  ) {
    super(`${source}: ${problem}`);
    this.name = 'ManifestError';
  }
}

/**
 * A file whose content does not have the shape it must have (`issues` lists each problem). The base of
 * {@link ManifestSchemaError} and {@link InventorySchemaError}, which differ only in what the file should have been.
 */
export abstract class FileShapeError extends ManifestError {
  protected constructor(
    name: string,
    source: string,
    readonly issues: readonly string[],
    expected: string,
  ) {
    super('schema', source, `not a valid ${expected}: ${issues.join('; ')}`);
    this.name = name;
  }
}

/**
 * A stored hash that does not match what it hashes: the file was edited by hand or tampered with. The base of
 * {@link ManifestHashMismatchError} and {@link InventoryHashMismatchError}.
 */
export abstract class StoredHashMismatchError extends ManifestError {
  protected constructor(
    name: string,
    source: string,
    readonly storedHash: string,
    readonly computedHash: string,
    hashed: { field: string; content: string; remedy: string },
  ) {
    super(
      'hash-mismatch',
      source,
      `${hashed.field} ${storedHash} does not match the ${hashed.content} (recomputed ${computedHash}); the file was edited by hand — ${hashed.remedy}`,
    );
    this.name = name;
  }
}

/** The manifest does not have the manifest shape (`issues` lists each schema problem). */
export class ManifestSchemaError extends FileShapeError {
  constructor(source: string, issues: readonly string[]) {
    super('ManifestSchemaError', source, issues, 'configuration manifest');
  }
}

/** A resource inventory (stored, or the synth's `resources.json`) that does not have the expected shape. */
export class InventorySchemaError extends FileShapeError {
  constructor(source: string, issues: readonly string[]) {
    super('InventorySchemaError', source, issues, 'resource inventory');
  }
}

/** The stored `configHash` does not match the configuration: the file was edited by hand or tampered with. */
export class ManifestHashMismatchError extends StoredHashMismatchError {
  constructor(source: string, storedHash: string, computedHash: string) {
    super('ManifestHashMismatchError', source, storedHash, computedHash, { field: 'configHash', content: 'configuration', remedy: 'regenerate it instead' });
  }
}

/** The stored `inventoryHash` does not match the resources: the file was edited by hand or tampered with. */
export class InventoryHashMismatchError extends StoredHashMismatchError {
  constructor(source: string, storedHash: string, computedHash: string) {
    super('InventoryHashMismatchError', source, storedHash, computedHash, { field: 'inventoryHash', content: 'resources', remedy: 'regenerate it with drift-approve' });
  }
}

/**
 * `approve` refused to approve (exit 1): the policy report has blocking violations. `violations` lists each one as
 * `<environment>: <policy> on <resource>: <message>`.
 */
export class ApprovalRefusedError extends Error {
  constructor(
    readonly source: string,
    readonly violations: readonly string[],
  ) {
    super(`${source}: approval refused, ${violations.length} mandatory policy violation(s): ${violations.join('; ')}`);
    this.name = 'ApprovalRefusedError';
  }
}

/**
 * `approve` refused flags that CI does not take (exit 2): `refusals` holds one line per flag, e.g.
 * `--approver is refused in CI: the approver is the pull request's author, recorded from GitHub, not a flag`.
 */
export class CiRefusalError extends Error {
  constructor(readonly refusals: readonly string[]) {
    super(refusals.join('; '));
    this.name = 'CiRefusalError';
  }
}

/** Why `tap-drift live` could not produce a report. */
export type LiveDriftErrorCode = 'pulumi-missing' | 'refresh-output' | 'ignore-rules' | 'code-manifest' | 'stack-output';

/** Bad input or an unusable Pulumi answer in `tap-drift live`: one line naming the source and how to fix it. */
export class LiveDriftError extends Error {
  constructor(
    readonly code: LiveDriftErrorCode,
    readonly source: string,
    readonly problem: string,
  ) {
    super(`${source}: ${problem}`);
    this.name = 'LiveDriftError';
  }
}
