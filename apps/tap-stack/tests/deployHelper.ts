import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join, sep } from 'node:path';
import type { DeploymentPlan } from '../src/deploy/plan';
import { APP, ROOT, tempDir } from './synthHelper';

/** node and the basic tools, without pulumi. */
export const NODE_PATH = [dirname(process.execPath), '/usr/bin', '/bin'].join(delimiter);

/** One call of the stand-in pulumi (tests/fixtures/pulumi/pulumi). */
export interface Call {
  argv: string[];
  cwd: string;
}

/**
 * Runs the built deploy runner (dist/apps/tap-stack/tap-deploy.js) in `cwd` with the stand-in pulumi on PATH, replaying
 * `scenario` (a fresh folder unless given); returns its exit code, output and the pulumi calls it made.
 */
export function runner(args: string[], env: Record<string, string> = {}, cwd: string = ROOT, scenario: string = tempDir('runner-scenario')) {
  const record = join(scenario, 'calls.jsonl');
  const run = spawnSync(process.execPath, [join(cwd, 'dist', 'apps', 'tap-stack', 'tap-deploy.js'), ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, PATH: [join(APP, 'tests', 'fixtures', 'pulumi'), NODE_PATH].join(delimiter), FAKE_PULUMI_SCENARIO: scenario, FAKE_PULUMI_RECORD: record, ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  const calls: Call[] = existsSync(record) ? readFileSync(record, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Call) : [];
  return { code: run.status, stdout: run.stdout, stderr: run.stderr, calls };
}

/**
 * What the program finds through links and names by a path relative to apps/tap-stack: the rotation Lambda's code,
 * through @tap/secrets (a relative link into packages/) and its package.json.
 */
const OWN_COPIES = [join('packages', 'secrets', 'dist', 'rotation-bundle'), join('packages', 'secrets', 'package.json'), join('node_modules', '@tap', 'secrets')];

/**
 * `to/<path>` a copy of `from/<path>` (links kept as they are), each folder on the way a real folder whose other
 * entries link to `from`'s: what the program resolves through links lands in `to`, never in this checkout.
 */
function ownCopy(from: string, to: string, path: string): void {
  const segments = path.split(sep);
  let source = from;
  let target = to;
  for (const [index, segment] of segments.entries()) {
    source = join(source, segment);
    target = join(target, segment);
    // A link made below (into this checkout) gives way to a real folder or copy.
    if (lstatSync(target, { throwIfNoEntry: false })?.isSymbolicLink()) unlinkSync(target);
    if (index === segments.length - 1) cpSync(source, target, { recursive: true, verbatimSymlinks: true });
    else if (!existsSync(target)) {
      mkdirSync(target);
      for (const entry of readdirSync(source)) symlinkSync(join(source, entry), join(target, entry));
    }
  }
}

/**
 * A workspace whose committed files the test may edit: the Pulumi projects of tap-stack and networking-stack (config,
 * approved baselines, approval rules) copied with the builds, node_modules and the packages linked. The runner reads its committed baselines and config from the workspace
 * it runs in, so an edit here is a real unapproved change, and its status files stay out of this checkout.
 */
export function editableWorkspace(): string {
  const dir = tempDir('runner-workspace');
  copyFileSync(join(ROOT, 'nx.json'), join(dir, 'nx.json'));
  // The policy pack the runner passes to `pulumi preview`/`up` (POLICY_PACKS): the only part of tools/ it reads.
  mkdirSync(join(dir, 'tools'));
  symlinkSync(join(ROOT, 'tools', 'policy-pack'), join(dir, 'tools', 'policy-pack'), 'dir');
  // @tap/secrets (a relative link into packages/) finds its rotation bundle here, not in this checkout.
  for (const own of OWN_COPIES) ownCopy(ROOT, dir, own);
  for (const project of ['tap-stack', 'networking-stack']) {
    // The runner writes its synth and status under dist/apps/<project>: a real folder of copied builds (node resolves
    // a linked bundle's __dirname to this checkout, and the program's relative asset paths would point here).
    mkdirSync(join(dir, 'dist', 'apps', project), { recursive: true });
    for (const file of readdirSync(join(ROOT, 'dist', 'apps', project)).filter((f) => f.endsWith('.js') || f === 'package.json')) {
      copyFileSync(join(ROOT, 'dist', 'apps', project, file), join(dir, 'dist', 'apps', project, file));
    }
  }
  // The image build context the program names, relative to apps/tap-stack.
  symlinkSync(join(ROOT, 'dist', 'apps', 'payment-processor'), join(dir, 'dist', 'apps', 'payment-processor'), 'dir');
  // Both Pulumi projects (config, approved baselines, approval rules), without their sources and tests.
  for (const project of ['tap-stack', 'networking-stack']) {
    const app = join(ROOT, 'apps', project);
    cpSync(app, join(dir, 'apps', project), { recursive: true, filter: (src) => !src.startsWith(join(app, 'tests')) && !src.startsWith(join(app, 'src')) });
  }
  return dir;
}

/** Replaces `from` with `to` in `file` (which must hold it). */
export function edit(file: string, from: string, to: string): void {
  const text = readFileSync(file, 'utf8');
  expect(text).toContain(from);
  writeFileSync(file, text.replace(from, to));
}

/** A stand-in scenario whose `pulumi preview --save-plan` writes `plan` (raw text when a string; tests/planHelper.ts builds plans of the engine's shape). */
export function planScenario(plan: DeploymentPlan | string, dir: string = tempDir('runner-scenario')): string {
  writeFileSync(join(dir, 'plan.json'), typeof plan === 'string' ? plan : `${JSON.stringify(plan, null, 4)}\n`);
  return dir;
}

/** The summary block a run ends with: from its heading to the end of stderr. */
export const summaryOf = (stderr: string): string[] => {
  const lines = stderr.trimEnd().split('\n');
  return lines.slice(lines.findLastIndex((l) => l.startsWith('tap-deploy summary: ')));
};
