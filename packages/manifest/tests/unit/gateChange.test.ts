import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { approveManifests, loadApprovalRules, requirementsFor } from '../../src';
import { gateChangeRequirements } from '../../src/approvals/gateChange';
import { renderRequirements } from '../../src/approvals/render';
import { parseApprovalRules } from '../../src/approvals/rules';
import { approvalRulesSchema } from '../../src/approvals/schema';
import { WORKSPACE, removeDir, runCliCaptured, tempDir, writeJson, writeSynth } from './support';

/*
 * A change to the code that judges (the drift gate, its policies, the build and CI that run them) changes the verdict
 * itself, so `requirements --changed-files` asks security and the platform leads for it, whatever the synth says.
 */

const RULES = join(WORKSPACE, 'apps/tap-stack/approval-rules.json');
const ENVS = ['dev', 'staging', 'prod'] as const;
const GATE = ['gate-change: 1 x security', 'gate-change: 1 x platform-leads'];

describe('the gateChange section of the rules', () => {
  it('is in the shipped rules (security and the platform leads, one each) and in both schemas', () => {
    // Act
    const rules = loadApprovalRules(RULES);
    const schema = JSON.parse(readFileSync(join(WORKSPACE, 'apps/tap-stack/approval-rules.schema.json'), 'utf8'));

    // Assess
    expect(rules.gateChange).toMatchObject({
      id: 'gate-change',
      requires: [
        { group: 'security', approvals: 1 },
        { group: 'platform-leads', approvals: 1 },
      ],
    });
    expect(rules.gateChange?.paths).toEqual(expect.arrayContaining(['packages/manifest/**', 'tools/**', '.github/**', 'packages/blocks/src/testing/**']));
    const inner = approvalRulesSchema._def.schema;
    expect(Object.keys(schema.properties.gateChange.properties).sort()).toEqual(Object.keys(inner.shape.gateChange.unwrap().shape).sort());
    expect(schema.required).not.toContain('gateChange');
  });

  const valid = () => JSON.parse(readFileSync(RULES, 'utf8')) as { gateChange: { id: string; paths: string[]; requires: Array<{ group: string; approvals: number }> } };
  it.each([
    ['an unknown group', (f: ReturnType<typeof valid>) => (f.gateChange.requires[0].group = 'secops'), /gateChange\.requires\.0\.group: unknown group "secops" \(declared: platform-leads, security, cost-owners\)/],
    ['a group twice', (f: ReturnType<typeof valid>) => (f.gateChange.requires[1].group = 'security'), /gateChange\.requires\.1\.group: "security" is required twice/],
    ['an id a rule has', (f: ReturnType<typeof valid>) => (f.gateChange.id = 'prod-any-change'), /gateChange\.id: duplicate id "prod-any-change"/],
    ['no paths', (f: ReturnType<typeof valid>) => (f.gateChange.paths = []), /gateChange\.paths: must list at least one path glob/],
    ['an absolute path', (f: ReturnType<typeof valid>) => (f.gateChange.paths = ['/tools/**']), /gateChange\.paths\.0: must be relative to the repository/],
    ['no requirement', (f: ReturnType<typeof valid>) => (f.gateChange.requires = []), /gateChange\.requires: must require at least one group/],
  ])('rejects %s, like other rules', (_what, edit, message) => {
    // Prepare
    const file = valid();
    edit(file);

    // Act + Assess
    expect(() => parseApprovalRules(file, 'rules.json')).toThrow(message);
    expect(() => parseApprovalRules(file, 'rules.json')).toThrow(/^rules\.json: not a valid approval rules file: /);
  });
});

describe('gateChangeRequirements', () => {
  const rules = loadApprovalRules(RULES);

  it.each([
    ['packages/manifest/src/cli/approvals.ts', GATE],
    ['tools/policy-pack/index.ts', GATE],
    ['packages/blocks/src/testing/mocks.ts', GATE],
    ['apps/tap-stack/approval-rules.schema.json', GATE],
    ['.github/workflows/pull-request.yml', GATE],
    ['.github/CODEOWNERS', GATE],
    ['package-lock.json', GATE],
    ['packages/lambda/src/index.ts', []],
    ['packages/blocks/src/vpcFunction.ts', []],
    ['apps/tap-stack/src/index.ts', []],
    ['apps/tap-stack/manifests/prod.json', []],
    ['README.md', []],
  ])('%s: %j', (file, expected) => {
    // Act
    const requirements = gateChangeRequirements([file], rules);

    // Assess
    expect(requirements.map((r) => `${r.rule}: ${r.approvals} x ${r.group}`)).toEqual(expected);
  });

  it('names all three environments and the first 20 triggering paths', () => {
    // Prepare
    const files = Array.from({ length: 25 }, (_, i) => `tools/synth/src/file${i}.ts`);

    // Act
    const [security] = gateChangeRequirements(['packages/lambda/src/index.ts', ...files], rules);

    // Assess
    expect(security).toMatchObject({ rule: 'gate-change', group: 'security', environments: ['dev', 'staging', 'prod'], triggeredCount: 25 });
    expect(security.triggeredBy).toEqual(files.slice(0, 20));
    expect(security.reason).toBe(rules.gateChange?.reason);
  });
});

describe('tap-drift requirements --changed-files', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir('gate-change');
    for (const env of ENVS) writeSynth(join(dir, 'approved'), env);
    approveManifests({ baseline: join(dir, 'base'), current: join(dir, 'approved'), reason: 'fixtures', approver: 'Test <t@example.com>', noPolicyCheck: true, env: {} });
    for (const env of ENVS) writeSynth(join(dir, 'synth'), env);
  });
  afterAll(() => removeDir(dir));

  const cli = (...args: string[]) => runCliCaptured(args);
  const source = () => ['--baseline', join(dir, 'base'), '--current', join(dir, 'synth'), '--rules', RULES];
  const changed = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };

  it('a changed file under packages/manifest/ adds gate-change for security and the platform leads, rendered like other rules', () => {
    // Prepare
    const files = changed('manifest.txt', 'packages/lambda/src/index.ts\npackages/manifest/src/approvals/verify.ts\n');

    // Act
    const json = cli('requirements', ...source(), '--changed-files', files, '--format', 'json', '--out', join(dir, 'requirements.json'));
    const markdown = cli('requirements', ...source(), '--changed-files', files, '--format', 'markdown');
    const text = cli('requirements', ...source(), '--changed-files', files);

    // Assess
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(report.requirements.map((r: { rule: string; group: string }) => `${r.rule}: ${r.group}`)).toEqual(['gate-change: security', 'gate-change: platform-leads']);
    expect(report.requirements[0]).toMatchObject({ approvals: 1, environments: ['dev', 'staging', 'prod'], triggeredBy: ['packages/manifest/src/approvals/verify.ts'] });
    expect(report.changedFiles).toBe(2);
    expect(markdown.stdout).toContain('| 1 | **security** | `gate-change` | dev, staging, prod |');
    expect(markdown.stdout).toContain('| 1 | **platform-leads** | `gate-change` | dev, staging, prod |');
    expect(markdown.stdout).toContain('  - `packages/manifest/src/approvals/verify.ts`');
    expect(text.stdout).toContain('  REQUIRED 1 approval from security [gate-change] (dev, staging, prod): ');
    expect(text.stdout).toContain('    - packages/manifest/src/approvals/verify.ts');
  });

  it('verify-approvals reads the gate-change requirements from the saved JSON: none given is exit 1, naming both groups', () => {
    // Prepare
    const given = writeJson(join(dir, 'given.json'), [{ approver: 'carol', groups: ['security'] }]);

    // Act
    const run = cli('verify-approvals', '--given', given, '--requirements', join(dir, 'requirements.json'));

    // Assess
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('met: 1 approval from security [gate-change], by carol');
    expect(run.stderr).toBe('tap-drift: missing 1 approval(s) from platform-leads (gate-change: 1 required, 0 given)\n');
  });

  it('a change only under packages/lambda/ needs no gate-change approval', () => {
    // Act
    const run = cli('requirements', ...source(), '--changed-files', changed('lambda.txt', 'packages/lambda/src/index.ts\npackages/lambda/README.md\n'), '--format', 'json');

    // Assess
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).requirements).toEqual([]);
  });

  it('without --changed-files nothing changes', () => {
    // Act
    const run = cli('requirements', ...source(), '--format', 'json');

    // Assess
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(requirementsFor({ baseline: join(dir, 'base'), current: join(dir, 'synth'), rules: RULES }));
    expect(JSON.parse(run.stdout)).not.toHaveProperty('changedFiles');
    expect(renderRequirements(JSON.parse(run.stdout), 'text')).toContain('none beyond code review');
  });

  it.each([
    ['a missing file', () => join(dir, 'nope.txt'), /^tap-drift: .*nope\.txt: changed-files file not found/],
    ['an empty file', () => changed('empty.txt', '\n \n'), /^tap-drift: .*empty\.txt: lists no changed file \(expected one path per line, as git diff --name-only prints\)/],
    ['an absolute path', () => changed('absolute.txt', 'tools/x.ts\n/etc/passwd\n'), /^tap-drift: .*absolute\.txt: line 2: "\/etc\/passwd" is not a repository-relative path/],
    ['a path out of the repository', () => changed('dotdot.txt', 'packages/lambda/../../x\n'), /^tap-drift: .*dotdot\.txt: line 1: "packages\/lambda\/\.\.\/\.\.\/x" is not a repository-relative path/],
    ['a quoted path', () => changed('quoted.txt', '"tools/t\\303\\244.ts"\n'), /^tap-drift: .*quoted\.txt: line 1: a quoted path .*core\.quotePath=false/],
    ['binary content', () => changed('binary.txt', 'tools/a\u0000b\n'), /^tap-drift: .*binary\.txt: line 1: .*is not a repository-relative path/],
  ])('refuses %s: exit 2, one line', (_what, file, message) => {
    // Act
    const run = cli('requirements', ...source(), '--changed-files', file());

    // Assess
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('refuses --changed-files with rules that have no gateChange section (exit 2): a gate change would pass unjudged', () => {
    // Prepare
    const rules = JSON.parse(readFileSync(RULES, 'utf8'));
    delete rules.gateChange;
    const noGate = writeJson(join(dir, 'no-gate.json'), rules);

    // Act
    const run = cli('requirements', '--baseline', join(dir, 'base'), '--current', join(dir, 'synth'), '--rules', noGate, '--changed-files', changed('x.txt', 'tools/x.ts\n'));

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^tap-drift: .*no-gate\.json: has no gateChange section, so changed files cannot be judged/);
  });
});
