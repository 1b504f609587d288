import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { countedDrift, judgeDrift } from '../../src/deploy/driftGuard';
import { editableWorkspace, planScenario, runner, summaryOf, type Call } from '../deployHelper';
import { committedInventory, firstDeployPlan } from '../planHelper';
import { APP, tempDir } from '../synthHelper';

/*
 * The drift guard of the gated deploy (src/deploy/driftGuard.ts): before `pulumi up`, `pulumi refresh --preview-only
 * --json` says what changed in the cloud outside the stack (one JSON digest, {steps: [{op, urn, diffReasons,
 * detailedDiff, oldState, newState}], diagnostics, changeSummary}: pulumi/pulumi pkg/backend/display/json.go,
 * ShowPreviewDigest; tests/fixtures/refresh/drift.json is that shape), and the plan `pulumi preview --save-plan` saved
 * (tests/planHelper.ts) what this deploy changes: the very plan `up --plan` applies. The runs use the stand-in pulumi (tests/fixtures/pulumi/pulumi) in a
 * copied workspace, so a recorded revert never touches this checkout's history.
 */
const REFRESH = join(APP, 'tests', 'fixtures', 'refresh');
const FUNCTION = 'urn:pulumi:dev::TapStack::tap:lambda:LambdaComponent$aws:lambda/function:Function::tap-payments-function';
const ALARM = 'urn:pulumi:dev::TapStack::tap:monitoring:MonitoringComponent$aws:cloudwatch/metricAlarm:MetricAlarm::tap-monitoring-lambda-errors';
const CPU_ALARM = 'urn:pulumi:dev::TapStack::tap:monitoring:MonitoringComponent$aws:cloudwatch/metricAlarm:MetricAlarm::tap-monitoring-aurora-cpu';
const DB = 'urn:pulumi:dev::TapStack::tap:database:DatabaseComponent$aws:rds/cluster:Cluster::tap-db-cluster';
const DEPLOY_DEV = ['deploy', '--project', 'tap-stack', '--environment', 'dev'];
const verbs = (calls: Call[]) => calls.map((call) => call.argv[0]);

/** A stand-in scenario: the refresh preview it prints, and a saved plan of the approved dev inventory that updates `updated` only. */
function scenario(refresh: string, updated: string): string {
  const dir = tempDir('drift-guard-scenario');
  writeFileSync(join(dir, 'refresh.json'), refresh);
  const plan = firstDeployPlan(committedInventory('tap-stack', 'dev'), (plans) => {
    for (const [urn, resource] of Object.entries(plans)) resource.steps = [urn === updated ? 'update' : 'same'];
  });
  return planScenario(plan, dir);
}
const fixture = (dir: string, name: string) => readFileSync(join(dir, name), 'utf8');

describe('the drift guard of tap-deploy (out-of-band changes a deploy would revert)', () => {
  it('stops before up (exit 1) and names the drifted resource the deploy updates, with its drifted properties; drift elsewhere is a warning', () => {
    // Prepare: the console raised the lambda-errors alarm's threshold; the deploy updates that alarm
    const workspace = editableWorkspace();
    const history = readFileSync(join(workspace, 'apps', 'tap-stack', 'manifests', 'history.jsonl'), 'utf8');

    // Act
    const run = runner(DEPLOY_DEV, {}, workspace, scenario(fixture(REFRESH, 'drift.json'), ALARM));

    // Assess
    expect(run.code).toBe(1);
    expect(verbs(run.calls)).toEqual(['version', 'whoami', 'preview', 'refresh']);
    expect(run.calls[3].argv).toEqual(['refresh', '--preview-only', '--json', '--non-interactive', '--stack', 'dev']);
    expect(run.stderr).toContain(`  ~ ${ALARM} (aws:cloudwatch/metricAlarm:MetricAlarm, changed): actionsEnabled, threshold\n`);
    expect(run.stderr).toMatch(/^tap-deploy: refusing pulumi up of tap-stack dev: 1 resource\(s\) this deploy would update, replace or delete changed outside the stack, and pulumi up would revert them \(tap-monitoring-lambda-errors\): .*--revert-drift --reason="<why>"/m);
    // The alarm deleted in the console is not touched by this deploy: a warning, never silent.
    expect(run.stderr).toMatch(/^tap-deploy: WARNING: \d+ resource\(s\) of tap-stack dev changed outside the stack; this deploy leaves them as they are/m);
    expect(run.stderr).toContain(`  ~ ${CPU_ALARM} (aws:cloudwatch/metricAlarm:MetricAlarm, missing): the whole resource\n`);
    // An Aurora minor-version upgrade is benign drift (drift-ignore.json), and no secret value is printed.
    expect(run.stderr).not.toContain(DB);
    expect(run.stderr).not.toContain('do-not-print');
    expect(summaryOf(run.stderr)).toEqual(
      expect.arrayContaining([
        'tap-deploy summary: tap-stack dev: REFUSED (exit 1), nothing deployed',
        expect.stringMatching(/^ {2}✗ drift guard {5}1 resource\(s\) this deploy would update/),
        '                    full report: dist/apps/tap-stack/deploy/dev/drift-guard.json',
        '  - pulumi up       skipped',
      ]),
    );
    const status = JSON.parse(readFileSync(join(workspace, 'dist', 'apps', 'tap-stack', 'status', 'deploy-dev.json'), 'utf8'));
    expect(status).toMatchObject({ status: 'error', exitCode: 1, problems: [`~ ${ALARM} (aws:cloudwatch/metricAlarm:MetricAlarm, changed): actionsEnabled, threshold`] });
    expect(readFileSync(join(workspace, 'apps', 'tap-stack', 'manifests', 'history.jsonl'), 'utf8')).toBe(history);
  }, 180_000);

  it('with --revert-drift --reason goes ahead, and records the reason, the resources and who in the history, which still verifies', () => {
    // Prepare
    const workspace = editableWorkspace();
    const historyFile = join(workspace, 'apps', 'tap-stack', 'manifests', 'history.jsonl');
    const before = readFileSync(historyFile, 'utf8');

    // Act: in CI, where the identity is GITHUB_ACTOR
    const run = runner([...DEPLOY_DEV, '--revert-drift', '--reason=undo the incident hotfix'], { CI: 'true', GITHUB_ACTOR: 'octocat' }, workspace, scenario(fixture(REFRESH, 'drift.json'), ALARM));
    const verify = spawnSync(process.execPath, ['packages/manifest/dist/cli/main.js', 'audit', 'verify', '--baseline', 'apps/tap-stack/manifests'], { cwd: workspace, encoding: 'utf8', env: { ...process.env, CI: '' } });

    // Assess
    expect(run.code).toBe(0);
    expect(verbs(run.calls)).toEqual(['version', 'whoami', 'preview', 'refresh', 'up']);
    const after = readFileSync(historyFile, 'utf8');
    expect(after.startsWith(before)).toBe(true);
    const added = after.slice(before.length).trim().split('\n').map((line) => JSON.parse(line));
    expect(added).toEqual([
      expect.objectContaining({
        kind: 'revert-drift',
        environment: 'dev',
        reason: 'undo the incident hotfix',
        proposer: { name: 'octocat', source: 'ci' },
        resources: [{ urn: ALARM, type: 'aws:cloudwatch/metricAlarm:MetricAlarm', properties: ['actionsEnabled', 'threshold'] }],
      }),
    ]);
    expect(verify.stderr).toBe('');
    expect(verify.status).toBe(0);
    const status = JSON.parse(readFileSync(join(workspace, 'dist', 'apps', 'tap-stack', 'status', 'deploy-dev.json'), 'utf8'));
    expect(status.driftGuard.revert).toEqual(added[0]);
  }, 180_000);

  it('goes ahead with a warning when the drift is only on resources the deploy leaves alone (and records no revert)', () => {
    // Prepare: the deploy updates the payments function; the drifted alarms are not part of it
    const workspace = editableWorkspace();

    const history = readFileSync(join(workspace, 'apps', 'tap-stack', 'manifests', 'history.jsonl'), 'utf8');

    // Act: --revert-drift given, with nothing to revert
    const run = runner([...DEPLOY_DEV, '--revert-drift', '--reason=just in case'], {}, workspace, scenario(fixture(REFRESH, 'drift.json'), FUNCTION));

    // Assess
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('tap-deploy: --revert-drift: this deploy reverts no out-of-band change; nothing recorded\n');
    expect(readFileSync(join(workspace, 'apps', 'tap-stack', 'manifests', 'history.jsonl'), 'utf8')).toBe(history);
    expect(verbs(run.calls)).toEqual(['version', 'whoami', 'preview', 'refresh', 'up']);
    expect(run.stderr).toMatch(/^tap-deploy: WARNING: \d+ resource\(s\) of tap-stack dev changed outside the stack; this deploy leaves them as they are/m);
    expect(run.stderr).toContain(`  ~ ${ALARM} (aws:cloudwatch/metricAlarm:MetricAlarm, changed): actionsEnabled, threshold\n`);
    expect(run.stderr).toContain(`  ~ ${CPU_ALARM} (aws:cloudwatch/metricAlarm:MetricAlarm, missing): the whole resource\n`);
    expect(summaryOf(run.stderr)).toEqual(expect.arrayContaining(['  ✓ drift guard     passed', '  ✓ pulumi up       passed']));
  }, 180_000);

  it('cannot judge malformed refresh output: exit 2, one line, never up', () => {
    // Prepare: a refresh that printed an error page instead of its JSON
    const workspace = editableWorkspace();
    const garbage = scenario('<html>502 Bad Gateway</html>\n', ALARM);

    // Act
    const run = runner(DEPLOY_DEV, {}, workspace, garbage);

    // Assess
    expect(run.code).toBe(2);
    expect(verbs(run.calls)).toEqual(['version', 'whoami', 'preview', 'refresh']);
    expect(run.stderr).toContain(
      'tap-deploy: refusing pulumi up of tap-stack dev: the drift guard cannot judge: pulumi refresh --preview-only --json --non-interactive --stack dev printed no JSON document (not JSON); nothing was deployed (fix it and deploy again)\n',
    );
  }, 180_000);

  it('refuses --revert-drift without a reason, a stray --reason and a misspelled flag: exit 2, one line, nothing run', () => {
    // Act
    const runs = [
      runner([...DEPLOY_DEV, '--revert-drift']),
      runner([...DEPLOY_DEV, '--revert-drift', '--reason=  ']),
      runner([...DEPLOY_DEV, '--reason=why']),
      runner([...DEPLOY_DEV, '--revert-drfit', '--reason=why']),
      runner(['deploy', '--project', 'networking-stack', '--environment', 'dev', '--revert-drift', '--reason=why']),
    ];

    // Assess
    expect(runs.map((r) => r.code)).toEqual([2, 2, 2, 2, 2]);
    expect(runs.map((r) => r.stderr.split('\n').length)).toEqual([2, 2, 2, 2, 2]);
    expect(runs[0].stderr).toMatch(/^tap-deploy: --revert-drift needs --reason="<why the out-of-band changes are overwritten>"/);
    expect(runs[1].stderr).toMatch(/^tap-deploy: --revert-drift needs --reason=/);
    expect(runs[2].stderr).toMatch(/^tap-deploy: --reason goes with --revert-drift/);
    expect(runs[3].stderr).toMatch(/^tap-deploy: Unknown option '--revert-drfit'/);
    expect(runs[4].stderr).toMatch(/^tap-deploy: --revert-drift is for deploy --project tap-stack only/);
    expect(runs.flatMap((r) => r.calls)).toEqual([]);
  });
});

describe('nx run tap-stack:deploy -- --revert-drift --reason=...', () => {
  it('is accepted by preflight, to which Nx forwards the deploy\'s options too (params: forward)', () => {
    // Act
    const run = spawnSync(process.execPath, [join(APP, '..', '..', 'dist', 'apps', 'tap-stack', 'tap-preflight.js'), '--environment', 'dev', '--skip-preflight', '--revert-drift', '--reason=two words'], { encoding: 'utf8' });

    // Assess
    expect(run.stderr).toMatch(/^WARNING: preflight skipped/);
    expect(run.status).toBe(0);
  });
});

describe('the drift guard as functions', () => {
  const drift = JSON.parse(fixture(REFRESH, 'drift.json').replaceAll('__STACK__', 'dev'));

  it('counts the refresh drift without the ignored and the by-design changes, with property paths only', () => {
    // Act
    const counted = countedDrift(drift, [{ type: 'aws:rds/cluster:Cluster', name: '*', property: 'engineVersion*', reason: 'minor upgrade' }]);

    // Assess
    expect(counted.map((d) => d.urn)).not.toContain(DB);
    expect(counted).toContainEqual({ urn: ALARM, type: 'aws:cloudwatch/metricAlarm:MetricAlarm', kind: 'changed', properties: ['actionsEnabled', 'threshold'] });
    expect(counted).toContainEqual({ urn: CPU_ALARM, type: 'aws:cloudwatch/metricAlarm:MetricAlarm', kind: 'missing', properties: [] });
    expect(JSON.stringify(counted)).not.toContain('do-not-print');
  });

  it('refuses (exit 2) refresh output that is not a digest', () => {
    // Act / Assess
    expect(() => countedDrift({ steps: [{ urn: ALARM }] }, [])).toThrow(expect.objectContaining({ exitCode: 2 }));
  });

  it('splits the drift into what the deploy touches and what it leaves alone', () => {
    // Prepare
    const counted = countedDrift(drift, []);

    // Act
    const judged = judgeDrift(counted, [ALARM, 'urn:pulumi:dev::TapStack::aws:sqs/queue:Queue::other']);

    // Assess
    expect(judged.touched.map((d) => d.urn)).toEqual([ALARM]);
    expect(judged.untouched.map((d) => d.urn)).not.toContain(ALARM);
    expect([...judged.touched, ...judged.untouched]).toHaveLength(counted.length);
  });
});
