import { Client } from 'pg';
import fs from 'node:fs';
import { adminConfig, createTestDatabase, embeddedPg, startDedicatedPostgres, startPostgres, stopPostgres, withAdmin } from '../../src';
import { startServer } from '../../src/pg-ctl';

describe('embedded PostgreSQL helpers', () => {
  it('serves PostgreSQL 15 from the shared server', async () => {
    // Act
    const version = await withAdmin((c) => c.query<{ server_version_num: string }>('SHOW server_version_num'));
    // Assess
    expect(Number(version.rows[0].server_version_num)).toBeGreaterThanOrEqual(150000);
    expect(Number(version.rows[0].server_version_num)).toBeLessThan(160000);
  });

  it('creates isolated databases and drops them', async () => {
    // Prepare
    const a = await createTestDatabase('iso');
    const b = await createTestDatabase('iso');
    // Act
    const client = new Client(a.config);
    await client.connect();
    await client.query('CREATE TABLE t (x int)');
    await client.end();
    await a.drop();
    // Assess
    expect(a.name).not.toEqual(b.name);
    const rows = await withAdmin((c) => c.query('SELECT datname FROM pg_database WHERE datname = $1', [a.name]));
    expect(rows.rowCount).toBe(0);
    await b.drop();
  });

  it('stops and restarts the server on the same port', async () => {
    // Act
    await stopPostgres();
    const refused = new Client(adminConfig());
    const error = await refused.connect().then(
      () => undefined,
      (e: NodeJS.ErrnoException) => e,
    );
    await startPostgres();
    // Assess
    expect(error?.code).toBe('ECONNREFUSED');
    const ok = await withAdmin((c) => c.query('SELECT 1 AS one'));
    expect(ok.rows[0].one).toBe(1);
  });

  it('flushes commits to disk only when started durable', async () => {
    // Prepare
    const settings = () =>
      withAdmin((c) => c.query<{ name: string; setting: string }>("SELECT name, setting FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit') ORDER BY name"));
    const fast = await settings();
    // Act
    await stopPostgres();
    await startServer({ ...embeddedPg(), durable: true });
    const durable = await settings().finally(async () => {
      await stopPostgres();
      await startPostgres();
    });
    // Assess
    expect(fast.rows).toEqual([
      { name: 'fsync', setting: 'off' },
      { name: 'synchronous_commit', setting: 'on' },
    ]);
    expect(durable.rows).toEqual([
      { name: 'fsync', setting: 'on' },
      { name: 'synchronous_commit', setting: 'on' },
    ]);
    expect((await settings()).rows[0]).toEqual({ name: 'fsync', setting: 'off' });
  });

  it('starts a dedicated server whose settings change without touching the shared one, and destroys it', async () => {
    // Prepare
    const dedicated = await startDedicatedPostgres();
    const workMem = async (port: number): Promise<string> => {
      const client = new Client({ ...adminConfig(), port });
      await client.connect();
      try {
        return (await client.query<{ work_mem: string }>('SHOW work_mem')).rows[0].work_mem;
      } finally {
        await client.end();
      }
    };
    // Act
    await dedicated.restart({ work_mem: '8MB' });
    const changed = await workMem(dedicated.info.port);
    const shared = await workMem(embeddedPg().port);
    await dedicated.destroy();
    // Assess
    expect(dedicated.info.port).not.toBe(embeddedPg().port);
    expect(changed).toBe('8MB');
    expect(shared).toBe('4MB');
    expect(fs.existsSync(dedicated.info.dataDir)).toBe(false);
  }, 60_000);
});
