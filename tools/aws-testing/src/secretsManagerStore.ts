import { randomInt, randomUUID } from 'node:crypto';
import {
  DescribeSecretCommand,
  GetRandomPasswordCommand,
  GetSecretValueCommand,
  InvalidParameterException,
  PutSecretValueCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';

const CURRENT = 'AWSCURRENT';
const PENDING = 'AWSPENDING';
const PREVIOUS = 'AWSPREVIOUS';
const $metadata = {};
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';

interface Version {
  secretString?: string;
  stages: Set<string>;
}

/** Options of {@link SecretsManagerStore}. */
export interface SecretsManagerStoreOptions {
  /** The secret's name. Default: `dev-db-credentials-001`. */
  name?: string;
  /** The secret's ARN. Default: an us-east-1 ARN of `name` with a random-looking suffix. */
  arn?: string;
}

/**
 * The state behind a mocked Secrets Manager, for one secret: versions, staging labels and the service's own moves
 * (AWSPREVIOUS follows AWSCURRENT; a rotation starts with an empty AWSPENDING version and ends by clearing the label).
 * `install()` returns a real `SecretsManagerClient` whose commands aws-sdk-client-mock answers from this store.
 *
 * @example
 * const store = new SecretsManagerStore({ username: 'app', password: 'pw', host: '127.0.0.1' });
 * const client = store.install();
 * const token = store.startRotation();
 * await rotate({ SecretId: store.arn, ClientRequestToken: token, Step: 'createSecret' });
 */
export class SecretsManagerStore {
  readonly name: string;
  readonly arn: string;
  rotationEnabled: boolean | undefined = true;
  /** Passwords GetRandomPassword hands out next (else random ones that honour ExcludeCharacters). */
  readonly nextPasswords: string[] = [];
  readonly calls: { command: string; input: Record<string, unknown> }[] = [];
  private readonly versions = new Map<string, Version>();

  constructor(initial: Record<string, unknown>, options: SecretsManagerStoreOptions = {}) {
    this.name = options.name ?? 'dev-db-credentials-001';
    this.arn = options.arn ?? `arn:aws:secretsmanager:us-east-1:123456789012:secret:${this.name}-AbCdEf`;
    this.versions.set(randomUUID(), { secretString: JSON.stringify(initial), stages: new Set([CURRENT]) });
  }

  install(): SecretsManagerClient {
    const client = new SecretsManagerClient({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    const mock = mockClient(client);
    const record = (command: string, input: object) => this.calls.push({ command, input: { ...input } });
    mock.on(DescribeSecretCommand).callsFake((input) => {
      record('DescribeSecret', input);
      this.assertSecret(input.SecretId);
      const versionIdsToStages: Record<string, string[]> = {};
      for (const [id, v] of this.versions) if (v.stages.size > 0) versionIdsToStages[id] = [...v.stages];
      return { ARN: this.arn, Name: this.name, RotationEnabled: this.rotationEnabled, VersionIdsToStages: versionIdsToStages };
    });
    mock.on(GetSecretValueCommand).callsFake((input) => {
      record('GetSecretValue', input);
      this.assertSecret(input.SecretId);
      const stage = input.VersionStage ?? (input.VersionId ? undefined : CURRENT);
      const id = input.VersionId ?? (stage ? this.versionWith(stage) : undefined);
      const version = id ? this.versions.get(id) : undefined;
      if (!id || !version || (stage && !version.stages.has(stage)) || version.secretString === undefined) {
        throw new ResourceNotFoundException({ message: "Secrets Manager can't find the specified secret value", $metadata });
      }
      return { ARN: this.arn, VersionId: id, SecretString: version.secretString, VersionStages: [...version.stages] };
    });
    mock.on(PutSecretValueCommand).callsFake((input) => {
      record('PutSecretValue', input);
      this.assertSecret(input.SecretId);
      const id = input.ClientRequestToken ?? randomUUID();
      const existing = this.versions.get(id);
      if (existing?.secretString !== undefined && existing.secretString !== input.SecretString) {
        throw new ResourceExistsException({ message: `version ${id} already exists with a different value`, $metadata });
      }
      const version = existing ?? { stages: new Set<string>() };
      version.secretString = input.SecretString;
      this.versions.set(id, version);
      for (const stage of input.VersionStages ?? [CURRENT]) this.label(id, stage);
      return { ARN: this.arn, VersionId: id, VersionStages: [...version.stages] };
    });
    mock.on(UpdateSecretVersionStageCommand).callsFake((input) => {
      record('UpdateSecretVersionStage', input);
      this.assertSecret(input.SecretId);
      const stage = input.VersionStage ?? '';
      const holder = this.versionWith(stage);
      if (holder !== undefined && holder !== input.MoveToVersionId && holder !== input.RemoveFromVersionId) {
        throw new InvalidParameterException({ message: `${stage} is attached to ${holder}; specify RemoveFromVersionId`, $metadata });
      }
      if (!input.MoveToVersionId || !this.versions.has(input.MoveToVersionId)) {
        throw new ResourceNotFoundException({ message: `version ${input.MoveToVersionId} not found`, $metadata });
      }
      this.label(input.MoveToVersionId, stage);
      return { ARN: this.arn };
    });
    mock.on(GetRandomPasswordCommand).callsFake((input) => {
      record('GetRandomPassword', input);
      const exclude = input.ExcludeCharacters ?? '';
      const next = this.nextPasswords.shift();
      if (next !== undefined) return { RandomPassword: next };
      const allowed = [...ALPHABET].filter((c) => !exclude.includes(c));
      return { RandomPassword: Array.from({ length: input.PasswordLength ?? 32 }, () => allowed[randomInt(allowed.length)]).join('') };
    });
    return client;
  }

  /** What Secrets Manager does when a rotation starts: an empty version labelled AWSPENDING. */
  startRotation(token: string = randomUUID()): string {
    this.versions.set(token, { stages: new Set() });
    this.label(token, PENDING);
    return token;
  }

  /**
   * What `RotateSecret` with `RotateImmediately=false` does (the Pulumi/Terraform `SecretRotation` with
   * `rotateImmediately: false`): "Secrets Manager tests the rotation configuration by running the testSecret step of
   * the Lambda rotation function. The test creates an AWSPENDING version of the secret and then removes it" (RotateSecret
   * API reference). Rotation is switched on first, the AWSPENDING version under `token` holds a copy of AWSCURRENT's
   * value (what moto's RotateSecret does since it stopped failing delayed rotations; there is nothing new to test
   * before createSecret ran), only testSecret is invoked, and the AWSPENDING version is gone afterwards whether the test
   * passed or not. `invoke` plays the Lambda invocation; its rejection is returned to the caller.
   *
   * @example
   * await store.testRotationConfiguration((event) => rotate(event));
   */
  async testRotationConfiguration(
    invoke: (event: { SecretId: string; ClientRequestToken: string; Step: 'testSecret' }) => Promise<unknown>,
    token: string = randomUUID(),
  ): Promise<void> {
    const current = this.versionWith(CURRENT);
    const secretString = current ? this.versions.get(current)?.secretString : undefined;
    this.rotationEnabled = true;
    this.versions.set(token, { secretString, stages: new Set() });
    this.label(token, PENDING);
    try {
      await invoke({ SecretId: this.arn, ClientRequestToken: token, Step: 'testSecret' });
    } finally {
      this.versions.delete(token);
    }
  }

  /**
   * Versions without a staging label are deprecated "and can be deleted by Secrets Manager" (UpdateSecretVersionStage
   * API reference): drops them, as the service may at any time. Returns the dropped version ids.
   */
  removeDeprecatedVersions(): string[] {
    const dropped = [...this.versions].filter(([, version]) => version.stages.size === 0).map(([id]) => id);
    for (const id of dropped) this.versions.delete(id);
    return dropped;
  }

  hasVersion(id: string): boolean {
    return this.versions.has(id);
  }

  /** What Secrets Manager does after a successful finishSecret: AWSPENDING goes away. */
  completeRotation(): void {
    for (const version of this.versions.values()) version.stages.delete(PENDING);
  }

  versionWith(stage: string): string | undefined {
    for (const [id, version] of this.versions) if (version.stages.has(stage)) return id;
    return undefined;
  }

  stagesOf(id: string): string[] {
    return [...(this.versions.get(id)?.stages ?? [])].sort();
  }

  /** The parsed JSON at `stage`. */
  valueAt(stage: string): Record<string, unknown> {
    const id = this.versionWith(stage);
    const value = id ? this.versions.get(id)?.secretString : undefined;
    if (value === undefined) throw new Error(`no value at ${stage}`);
    return JSON.parse(value);
  }

  count(command: string): number {
    return this.calls.filter((c) => c.command === command).length;
  }

  private label(id: string, stage: string): void {
    const old = this.versionWith(stage);
    if (old === id) return;
    if (old !== undefined) this.versions.get(old)?.stages.delete(stage);
    this.versions.get(id)?.stages.add(stage);
    // The service keeps one step of history: the version that loses AWSCURRENT becomes AWSPREVIOUS.
    if (stage === CURRENT && old !== undefined) this.label(old, PREVIOUS);
  }

  private assertSecret(secretId: string | undefined): void {
    if (secretId !== this.arn) throw new ResourceNotFoundException({ message: `secret ${secretId} not found`, $metadata });
  }
}
