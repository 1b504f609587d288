import * as grpc from '@grpc/grpc-js';
import { AnalyzerClient } from '@pulumi/pulumi/proto/analyzer_grpc_pb';
import { EnforcementLevel, type AnalyzerInfo } from '@pulumi/pulumi/proto/analyzer_pb';
import { policies } from '@tap/policy';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Empty } from 'google-protobuf/google/protobuf/empty_pb';

const PACK_DIR = resolve(__dirname, '..', '..');
const LEVELS: Record<EnforcementLevel, string> = {
  [EnforcementLevel.ADVISORY]: 'advisory',
  [EnforcementLevel.MANDATORY]: 'mandatory',
  [EnforcementLevel.DISABLED]: 'disabled',
  [EnforcementLevel.REMEDIATE]: 'remediate',
};

/**
 * Starts the pack as the Pulumi CLI does: Pulumi's policy runner (from the pack's own @pulumi/pulumi), cwd = the pack,
 * TypeScript compiled and type-checked with the pack's tsconfig.json. The analyzer prints its gRPC port on stdout.
 */
function startPack(): Promise<{ pack: ChildProcess; port: number }> {
  const runner = require.resolve('@pulumi/pulumi/cmd/run-policy-pack', { paths: [PACK_DIR] });
  const pack = spawn(process.execPath, [runner, '127.0.0.1:0', '.'], { cwd: PACK_DIR, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  return new Promise((done, fail) => {
    pack.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const port = /^(\d+)$/m.exec(stdout)?.[1];
      if (port !== undefined) done({ pack, port: Number(port) });
    });
    pack.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    pack.on('exit', (code) => fail(new Error(`the policy pack exited (${code}) before serving:\n${stdout}${stderr}`)));
  });
}

function analyzerInfo(client: AnalyzerClient): Promise<AnalyzerInfo> {
  return new Promise((done, fail) => client.getAnalyzerInfo(new Empty(), (error, info) => (error ? fail(error) : done(info))));
}

describe('tools/policy-pack under Pulumi', () => {
  let pack: ChildProcess | undefined;
  let client: AnalyzerClient | undefined;

  afterAll(() => {
    client?.close();
    pack?.kill();
  });

  it('declares a nodejs pack, so the Pulumi CLI starts it with the Node.js policy runner', () => {
    // Act
    const yaml = readFileSync(join(PACK_DIR, 'PulumiPolicy.yaml'), 'utf8');

    // Assess
    expect(yaml).toMatch(/^runtime: nodejs$/m);
  });

  it('serves the tap-security pack: every policy of @tap/policy, in order, at its own enforcement level', async () => {
    // Prepare: what @tap/policy declares; a policy without a level takes the pack's ('mandatory')
    const declared = policies.map((policy) => ({ name: policy.name, enforcementLevel: policy.enforcementLevel ?? 'mandatory' }));
    const version = (JSON.parse(readFileSync(join(PACK_DIR, 'package.json'), 'utf8')) as { version: string }).version;
    const started = await startPack();
    pack = started.pack;
    client = new AnalyzerClient(`127.0.0.1:${started.port}`, grpc.credentials.createInsecure());

    // Act
    const info = await analyzerInfo(client);

    // Assess
    expect(info.getName()).toBe('tap-security');
    expect(info.getVersion()).toBe(version);
    const served = info.getPoliciesList().map((policy) => ({ name: policy.getName(), enforcementLevel: LEVELS[policy.getEnforcementlevel()] }));
    expect(served).toEqual(declared);
    expect(served.length).toBeGreaterThanOrEqual(27);
  }, 120_000);
});
