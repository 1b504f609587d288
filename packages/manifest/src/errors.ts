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
  | 'approver';

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

/** The manifest does not have the manifest shape (`issues` lists each schema problem). */
export class ManifestSchemaError extends ManifestError {
  constructor(
    source: string,
    readonly issues: readonly string[],
  ) {
    super('schema', source, `not a valid configuration manifest: ${issues.join('; ')}`);
    this.name = 'ManifestSchemaError';
  }
}

/** The stored `configHash` does not match the configuration: the file was edited by hand or tampered with. */
export class ManifestHashMismatchError extends ManifestError {
  constructor(
    source: string,
    readonly storedHash: string,
    readonly computedHash: string,
  ) {
    super(
      'hash-mismatch',
      source,
      `configHash ${storedHash} does not match the configuration (recomputed ${computedHash}); the file was edited by hand — regenerate it instead`,
    );
    this.name = 'ManifestHashMismatchError';
  }
}

/** A resource inventory (stored, or the synth's `resources.json`) that does not have the expected shape. */
export class InventorySchemaError extends ManifestError {
  constructor(
    source: string,
    readonly issues: readonly string[],
  ) {
    super('schema', source, `not a valid resource inventory: ${issues.join('; ')}`);
    this.name = 'InventorySchemaError';
  }
}

/** The stored `inventoryHash` does not match the resources: the file was edited by hand or tampered with. */
export class InventoryHashMismatchError extends ManifestError {
  constructor(
    source: string,
    readonly storedHash: string,
    readonly computedHash: string,
  ) {
    super(
      'hash-mismatch',
      source,
      `inventoryHash ${storedHash} does not match the resources (recomputed ${computedHash}); the file was edited by hand — regenerate it with drift-approve`,
    );
    this.name = 'InventoryHashMismatchError';
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
