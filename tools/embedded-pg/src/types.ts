/** A running embedded PostgreSQL, as passed from Jest's globalSetup to the test workers. */
export interface EmbeddedPgInfo {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  dataDir: string;
  pgCtl: string;
  postgres: string;
  initdb: string;
  uid?: number;
  gid?: number;
  /** Commits are flushed to disk (fsync on). Default false: fsync off, fast but not crash-safe. */
  durable?: boolean;
  /** More server settings, passed as `-c name=value` (values without spaces), e.g. `{ ssl: 'on' }`. */
  settings?: Record<string, string>;
}
