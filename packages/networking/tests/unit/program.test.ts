import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';

const workspaceRoot = resolve(__dirname, '../../../..');
let outDir: string;
let program: string;

beforeAll(() => {
  // Bundle our sources (resolving @tap/* through tsconfig paths); @pulumi/* stays external and loads from node_modules.
  outDir = mkdtempSync(join(tmpdir(), 'tap-networking-'));
  program = join(outDir, 'program.js');
  buildSync({
    entryPoints: [join(__dirname, '../fixtures/program.ts')],
    outfile: program,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    external: ['@pulumi/*'],
    tsconfig: join(workspaceRoot, 'tsconfig.base.json'),
    logLevel: 'silent',
  });
});

afterAll(() => rmSync(outDir, { recursive: true, force: true }));

function run(outputs: Record<string, unknown>) {
  return spawnSync(process.execPath, [program], {
    env: { ...process.env, NODE_PATH: join(workspaceRoot, 'node_modules'), STACK_OUTPUTS: JSON.stringify(outputs) },
    encoding: 'utf8',
  });
}

const complete = {
  vpcId: 'vpc-1',
  privateSubnetIds: ['s-a', 's-b', 's-c'],
  publicSubnetIds: [],
  availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
};

describe('NetworkingStack in a Pulumi program', () => {
  it('fails the run with a message naming the stack reference and the missing output', () => {
    // Prepare
    const { privateSubnetIds: _omitted, ...withoutPrivate } = complete;

    // Act
    const result = run(withoutPrivate);

    // Assess
    expect(result.status).toBe(3);
    expect(result.stderr).toContain('networking stack organization/networking-stack/dev does not export privateSubnetIds');
    expect(result.stdout).toBe('');
  });

  it('fails the run when fewer than three AZs are exported', () => {
    // Act
    const result = run({ ...complete, availabilityZones: ['eu-west-1a'] });

    // Assess
    expect(result.status).toBe(3);
    expect(result.stderr).toContain(
      'networking stack organization/networking-stack/dev exports 1 availabilityZones; at least 3 are required',
    );
  });

  it('runs to completion and looks the CIDR up when the outputs are complete', () => {
    // Act
    const result = run(complete);

    // Assess
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(['vpc-1', '10.7.0.0/16', ['s-a', 's-b', 's-c'], complete.availabilityZones]);
  });
});
