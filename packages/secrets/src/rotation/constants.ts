/** Steps in the order Secrets Manager calls them. */
export const ROTATION_STEPS = ['createSecret', 'setSecret', 'testSecret', 'finishSecret'] as const;

/** Staging labels Secrets Manager moves between versions. */
export const STAGES = {
  current: 'AWSCURRENT',
  pending: 'AWSPENDING',
  previous: 'AWSPREVIOUS',
} as const;

export const ROTATION_DEFAULTS = {
  serviceName: 'db-rotation',
  /** AWS's template length; each included character type is required. */
  passwordLength: 32,
  connectTimeoutMillis: 5000,
  port: 5432,
  dbname: 'postgres',
  ssl: 'require',
} as const;

/** Environment variables the function reads (set by SecretsComponent). */
export const ROTATION_ENV = {
  endpoint: 'SECRETS_MANAGER_ENDPOINT',
  excludeCharacters: 'EXCLUDE_CHARACTERS',
  ssl: 'DB_SSL',
} as const;

/** PostgreSQL's invalid_password SQLSTATE: the credentials were refused (as opposed to an unreachable server). */
export const INVALID_PASSWORD = '28P01';
