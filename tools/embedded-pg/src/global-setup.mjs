// Jest globalSetup: one PostgreSQL per test run, shared by every test file of the project.
import { startEmbeddedPostgres, describe } from './server.mjs';

export default async function globalSetup() {
  const server = await startEmbeddedPostgres();
  // Workers are forked after globalSetup, so they inherit this.
  process.env.TAP_EMBEDDED_PG = JSON.stringify(describe(server));
}
