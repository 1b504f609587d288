import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCli } from '../../src';
import { FIXTURE_PATH, find, loadFixture } from '../helpers';

// The bin as published: the package's build (project.json makes test depend on build). Its @tap/validation resolves
// through the workspace's node_modules to that package's build, as in an install.
const PACKAGE = resolve(__dirname, '../../package.json');
const BIN = resolve(__dirname, '../../dist/bin/tap-policy.js');

let dir: string;

function tapPolicy(...args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd: dir });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Writes `resources` as <dir>/synth/<env>/resources.json, the layout tap-stack:synth produces. */
function synth(env: string, resources: unknown): string {
  mkdirSync(join(dir, 'synth', env), { recursive: true });
  const file = join(dir, 'synth', env, 'resources.json');
  writeFileSync(file, typeof resources === 'string' ? resources : JSON.stringify(resources));
  return file;
}

beforeAll(() => {
  expect(existsSync(BIN)).toBe(true);
});

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tap-policy-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('tap-policy (built bin)', () => {
  it('is declared as the package bin', () => {
    const pkg = JSON.parse(readFileSync(PACKAGE, 'utf8')) as { bin: Record<string, string> };
    expect(pkg.bin).toEqual({ 'tap-policy': './dist/bin/tap-policy.js' });
  });

  it('exits 0 on the compliant fixture, taking the environment from synth/<env>/', () => {
    // Prepare
    const file = synth('dev', loadFixture());
    // Act
    const { code, stdout, stderr } = tapPolicy('check', file);
    // Assess
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain(`${file} (stack dev, dev): 54 resources, 0 violation(s)`);
    expect(stdout).toMatch(/tap-policy: \d+ policies, no violations in 1 file\(s\)/);
  });

  it('exits 1 and names the violation, across several files', () => {
    // Prepare
    const good = synth('dev', loadFixture());
    const bad = loadFixture();
    find(bad, 'db-ingress-cidr-0').inputs['cidrIpv4'] = '0.0.0.0/0';
    const badFile = synth('staging', bad.map((r) => ({ ...r, urn: r.urn.replace('urn:pulumi:dev::', 'urn:pulumi:staging::') })));
    // Act
    const { code, stdout } = tapPolicy('check', good, badFile, '--environment-suffix', '001');
    // Assess
    expect(code).toBe(1);
    expect(stdout).toContain(`${badFile} (stack staging, staging): 54 resources,`);
    expect(stdout).toContain("✗ [mandatory] security-group-no-public-ingress on SecurityGroupIngressRule 'db-ingress-cidr-0': Security group ingress rule 'db-ingress-cidr-0' admits 0.0.0.0/0");
  });

  it('prints JSON and markdown reports', () => {
    // Prepare
    const bad = loadFixture();
    find(bad, 'payments-url').inputs['authorizationType'] = 'NONE';
    const file = synth('dev', bad);
    // Act
    const json = tapPolicy('check', file, '--format', 'json');
    const markdown = tapPolicy('check', file, '-f', 'markdown');
    // Assess
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout) as { ok: boolean; files: { environment: string; violations: { policyName: string; resourceName: string }[] }[] };
    expect(report.ok).toBe(false);
    expect(report.files[0].environment).toBe('dev');
    expect(report.files[0].violations.map((v) => [v.policyName, v.resourceName])).toEqual([['lambda-function-url-auth', 'payments-url']]);
    expect(markdown.code).toBe(1);
    expect(markdown.stdout).toContain('### dev: ❌ 1 violation(s)');
    expect(markdown.stdout).toContain("| `lambda-function-url-auth` | mandatory | FunctionUrl 'payments-url' |");
  });

  it.each([
    ['a missing file', () => ['check', join(dir, 'synth', 'dev', 'missing.json')], /^tap-policy: .*missing\.json: cannot read it \(ENOENT\); run `npx nx run tap-stack:synth` first or fix the path\n$/],
    ['invalid JSON', () => ['check', synth('dev', '{not json')], /^tap-policy: .*resources\.json: not valid JSON \(.*\); expected the resources\.json written by tap-stack:synth\n$/],
    ['a JSON object instead of an array', () => ['check', synth('dev', { resources: [] })], /^tap-policy: .*resources\.json is not a JSON array of resources/],
    ['a record without inputs', () => ['check', synth('dev', [{ urn: 'urn:pulumi:dev::P::t::n', type: 't', name: 'n' }])], /^tap-policy: .*resources\.json: resource #0 has no "inputs" object\n$/],
    ['an unknown environment', () => ['check', FIXTURE_PATH, '--environment', 'qa'], /^tap-policy: --environment "qa" must be one of dev, staging, prod\n$/],
    ['an unknown format', () => ['check', FIXTURE_PATH, '--format', 'xml'], /^tap-policy: option '-f, --format <format>' argument 'xml' is invalid\. Allowed choices are text, json, markdown\. \(see tap-policy check --help\)\n$/],
    ['no file', () => ['check'], /^tap-policy: missing required argument 'resources' \(see tap-policy check --help\)\n$/],
    ['an unknown command', () => ['lint', FIXTURE_PATH], /^tap-policy: unknown command 'lint'/],
  ] as [string, () => string[], RegExp][])('exits 2 with one line on %s', (_what, args, expected) => {
    // Act
    const { code, stdout, stderr } = tapPolicy(...args());
    // Assess
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(stderr).toMatch(expected);
  });

  it('reads the environment from the stack name when the folder does not say it', () => {
    // Prepare: the fixture's URNs name stack "dev"; its folder is "fixtures"
    // Act
    const { code, stdout } = tapPolicy('check', FIXTURE_PATH);
    // Assess
    expect(code).toBe(0);
    expect(stdout).toContain('(stack dev, dev)');
  });

  it('exits 2 when neither the folder nor the stack name says the environment', () => {
    // Prepare
    const resources = loadFixture().map((r) => ({ ...r, urn: r.urn.replace('urn:pulumi:dev::', 'urn:pulumi:sandbox::') }));
    mkdirSync(join(dir, 'out'));
    const file = join(dir, 'out', 'resources.json');
    writeFileSync(file, JSON.stringify(resources));
    // Act
    const { code, stderr } = tapPolicy('check', file);
    // Assess
    expect(code).toBe(2);
    expect(stderr).toBe(`tap-policy: ${file}: cannot tell its environment from the path or the stack name; pass --environment dev|staging|prod\n`);
  });

  it('prints help and exits 0', () => {
    const { code, stdout } = tapPolicy('check', '--help');
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: tap-policy check [options] <resources...>');
  });
});

describe('runCli (in process)', () => {
  it('writes to the given streams and returns the exit code', async () => {
    // Prepare
    const out: string[] = [];
    const err: string[] = [];
    // Act
    const code = await runCli(['check', FIXTURE_PATH, '--format', 'json'], { stdout: (t) => out.push(t), stderr: (t) => err.push(t) });
    // Assess
    expect(code).toBe(0);
    expect(err).toEqual([]);
    expect(JSON.parse(out.join(''))).toEqual(expect.objectContaining({ ok: true, files: [expect.objectContaining({ violations: [] })] }));
  });
});
