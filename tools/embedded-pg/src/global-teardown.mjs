import fs from 'node:fs/promises';
import { stopServer } from './server.mjs';

export default async function globalTeardown() {
  const info = process.env.TAP_EMBEDDED_PG && JSON.parse(process.env.TAP_EMBEDDED_PG);
  if (!info) return;
  // Tests may have stopped and restarted the server themselves: stop whatever runs on the data dir.
  await stopServer(info, 'immediate');
  await fs.rm(info.dataDir, { recursive: true, force: true });
}
