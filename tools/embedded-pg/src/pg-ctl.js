// CommonJS so that both the ESM server lifecycle and the TypeScript test helpers share one pg_ctl wrapper.
'use strict';
const { execFile } = require('node:child_process');
const path = require('node:path');
const { promisify } = require('node:util');

const run = promisify(execFile);

/** pg_ctl as the unprivileged `postgres` user when we are root (PostgreSQL refuses to run as root). */
async function pgCtl(info, args) {
  const opts = { env: { ...process.env, LC_ALL: 'C' } };
  if (info.uid !== undefined) Object.assign(opts, { uid: info.uid, gid: info.gid });
  return run(info.pgCtl, ['-D', info.dataDir, ...args], opts);
}

async function startServer(info) {
  const options = [
    `-p ${info.port}`,
    '-c listen_addresses=127.0.0.1',
    "-c unix_socket_directories=''",
    '-c max_connections=300',
    // Tests trade crash safety for speed; `durable` keeps PostgreSQL's defaults (each commit flushed
    // to disk), as a benchmark of a payments database needs.
    ...(info.durable ? ['-c fsync=on', '-c synchronous_commit=on'] : ['-c fsync=off']),
    ...Object.entries(info.settings ?? {}).map(([name, value]) => `-c ${name}=${value}`),
  ].join(' ');
  await pgCtl(info, ['-o', options, '-l', path.join(info.dataDir, 'server.log'), '-w', '-t', '30', 'start']);
}

async function stopServer(info, mode = 'fast') {
  try {
    await pgCtl(info, ['-m', mode, '-w', '-t', '30', 'stop']);
  } catch (error) {
    // Stopping a stopped server is fine: teardown and fault tests must be idempotent.
    if (!/does not exist|Is server running\?/.test(String(error.stderr))) throw error;
  }
}

module.exports = { pgCtl, startServer, stopServer };
