/**
 * Defaults of {@link SecretsComponent}, resolved at the top of its constructor (`logRetentionDays`: of `logging.retentionDays`).
 * The rotation function's bundle includes this object (it reads `excludeCharacters`): a change here changes the
 * function's code hash in every environment, so its shape stays as it is.
 */
export const SECRETS_DEFAULTS = {
  /** The payment processor's least-privilege role, the one the rotation function rotates. */
  username: 'tap_app',
  /** Identical in every environment (a parity field); the policy pack allows at most 30. */
  rotationDays: 30,
  /** Our policy requires reserved concurrency on every Lambda; one rotation at a time is all a secret needs. */
  rotationReservedConcurrency: 1,
  logRetentionDays: 30,
  /** Quotes, backslash, slash, @, colon and space: characters that break connection strings (user:pass@host) and quoting. */
  excludeCharacters: ` "'\\/@:`,
  rotationMemorySize: 256,
  /** Secrets Manager gives a rotation step about a minute before it retries; no step needs more. */
  rotationTimeoutSeconds: 60,
  rotationArchitecture: 'arm64',
  initialPasswordLength: 32,
} as const;

/** Engine recorded in the secret JSON (the field AWS's rotation templates read). */
export const SECRET_ENGINE = 'postgres';
export const ROTATION_RUNTIME = 'nodejs22.x';
export const ROTATION_HANDLER = 'index.handler';

/**
 * Characters RandomPassword may use as specials for the initial password: printable ASCII punctuation minus the
 * default excluded ones, so the first password obeys the same rule the rotation function applies later.
 */
export const INITIAL_PASSWORD_SPECIALS = '!#$%&*()-_=+[]{}<>?';

/** What the rotation function calls on its secret (AWS rotation guide: required permissions). */
export const ROTATION_SECRET_ACTIONS = [
  'secretsmanager:DescribeSecret',
  'secretsmanager:GetSecretValue',
  'secretsmanager:PutSecretValue',
  'secretsmanager:UpdateSecretVersionStage',
] as const;

export const ROTATION_KMS_ACTIONS = ['kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKey'] as const;

/**
 * A staging label of our own on the initial secret version. Secrets Manager deletes versions left without any label
 * (deprecated); the AWS provider then drops the SecretVersion from state on refresh, and the next `pulumi up` re-creates
 * it, putting the initial password back as AWSCURRENT. With this label the version is never deprecated.
 */
export const INITIAL_VERSION_STAGE = 'TAP_INITIAL';
