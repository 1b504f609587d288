/** What a secret value is replaced with in `resources.json` (the same text the Pulumi CLI prints). */
export const SECRET_PLACEHOLDER = '[secret]';

/** One registered resource as `resources.json` lists it: the one shape every reader of that file shares. */
export interface SynthResource {
  urn: string;
  type: string;
  name: string;
  /** URN of the parent; `undefined` only for the root stack. */
  parent?: string;
  custom: boolean;
  /** Provider id the mocks assigned (custom resources only): what references to this resource resolve to. */
  id?: string;
  inputs: Record<string, unknown>;
  /** Outputs the provider computed (those not equal to an input), e.g. `arn`: policies join references on them. */
  outputs?: Record<string, unknown>;
  /**
   * URNs the engine waits for before creating this resource, sorted: the request's dependency list (explicit
   * `dependsOn` plus the resources behind every Output in the inputs, a component expanded into its custom children).
   */
  dependencies: string[];
  /** The same, per input property (only properties with dependencies; keys and URNs sorted). */
  propertyDependencies?: Record<string, string[]>;
  /**
   * Resource options the program set, as the engine receives them (`protect`, `ignoreChanges`, `retainOnDelete`,
   * `deleteBeforeReplace`, `replaceOnChanges`, `import`, `provider`/`providers` and `deletedWith` as URNs, `aliases`,
   * `customTimeouts`, ...); absent when none is set.
   */
  options?: Record<string, unknown>;
  /** Where `inputs` holds "[secret]", `sha256:<hex>` of the (mock) value, in the inputs' shape; never the value. */
  secretDigests?: Record<string, unknown>;
}

/** A stack's config as the Pulumi CLI hands it to a program: `project:key` -> string, plus the secret keys. */
export interface StackConfig {
  values: Record<string, string>;
  secretKeys: string[];
}
