import { AURORA_POSTGRES_VERSION } from '@tap/validation';
import type { DatabaseComponentArgs } from './types';

/**
 * Defaults of {@link DatabaseComponent}, resolved in one place at the top of its constructor; keyed by the argument
 * names (a misspelt or renamed key does not compile).
 */
export const DATABASE_DEFAULTS = {
  /** The platform's one pinned version (`AURORA_POSTGRES_VERSION` of @tap/validation, the 15.x LTS minor). */
  engineVersion: AURORA_POSTGRES_VERSION,
  instanceClass: 'db.r6g.large',
  /** A writer and a reader in different AZs, so a failover has somewhere to go. */
  instanceCount: 2,
  backupRetentionDays: 7,
  databaseName: 'payments',
  masterUsername: 'tapadmin',
  ignoreEngineVersionDrift: false,
  /** The cluster deletes without a final snapshot and without lifting a protection first (dev-friendly). */
  deletionProtection: false,
  finalSnapshot: false,
  logging: { retentionDays: 30 },
} as const satisfies Partial<DatabaseComponentArgs>;

/** Random bytes of the final snapshot name: 8 hex characters tell the snapshots of successive clusters apart. */
export const FINAL_SNAPSHOT_RANDOM_BYTES = 4;

/** Cluster parameters the component always sets: clients must use TLS. */
export const DATABASE_PARAMETERS = {
  'rds.force_ssl': '1',
} as const;

export const POSTGRES_PORT = 5432;
export const AURORA_POSTGRES_ENGINE = 'aurora-postgresql';

/** CIDR blocks that would open the database to the world; never accepted as ingress sources. */
export const OPEN_CIDR_BLOCKS = ['0.0.0.0/0', '::/0'] as const;


export const KMS_USE_ACTIONS = [
  'kms:Encrypt',
  'kms:Decrypt',
  'kms:ReEncrypt*',
  'kms:GenerateDataKey*',
  'kms:CreateGrant',
  'kms:ListGrants',
  'kms:DescribeKey',
] as const;
