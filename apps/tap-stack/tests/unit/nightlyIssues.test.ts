import { execFile } from 'node:child_process';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { LiveDriftReport } from '@tap/manifest';
import { githubRest } from '../../src/nightly/github';
import { decideIssueActions, driftEntries, issueMarker, type GithubIssue, type NightlyResult } from '../../src/nightly/issues';
import { ROOT, tempDir } from '../synthHelper';

/*
 * The nightly drift issues (src/nightly): one issue per environment, found again by the hidden marker
 * `<!-- tap-drift:<env> -->` and the `live-drift` label; opened when drift appears, a comment with what changed while
 * it stays, closed when the environment is back in sync. GitHub's answers have the REST shape of
 * GET /repos/{owner}/{repo}/issues (https://docs.github.com/en/rest/issues/issues#list-repository-issues: pull
 * requests are listed too, with a `pull_request` key; pages are linked by the Link header's rel="next",
 * https://docs.github.com/en/rest/using-the-rest-api/using-pagination-in-the-rest-api).
 */
const RUN = 'https://github.com/tap/platform/actions/runs/42';
const ALARM_TYPE = 'aws:cloudwatch/metricAlarm:MetricAlarm';

/** A live-drift report (LiveDriftReport's cloud and deployed parts) with the given drifted alarms. */
function report(changes: Record<string, string[]>): Pick<LiveDriftReport, 'cloud' | 'deployed'> {
  const resources = Object.entries(changes).map(([name, paths]) => ({
    urn: `urn:pulumi:prod::TapStack::tap:monitoring:MonitoringComponent$${ALARM_TYPE}::${name}`,
    type: ALARM_TYPE,
    name,
    kind: 'changed' as const,
    op: 'update',
    properties: paths.map((path) => ({ path, kind: 'update', old: 10, new: 500 })),
  }));
  return { cloud: { resources, warnings: [], errors: [] } };
}

/** An issue as the list answers it (the fields GitHub sends that matter here, and a few more). */
function issue(number: number, body: string, extra: Partial<GithubIssue> & Record<string, unknown> = {}): GithubIssue {
  return {
    url: `https://api.github.com/repos/tap/platform/issues/${number}`,
    html_url: `https://github.com/tap/platform/issues/${number}`,
    number,
    title: 'Live drift: prod',
    body,
    state: 'open',
    labels: [{ id: 1, name: 'live-drift', color: 'd73a4a', default: false }],
    user: { login: 'github-actions[bot]', type: 'Bot' },
    ...extra,
  } as GithubIssue;
}

const drift = (changes: Record<string, string[]>): NightlyResult => ({ environment: 'prod', status: 'drift', report: report(changes), markdown: '# Live drift: DRIFT\n', runUrl: RUN });

describe('decideIssueActions: what the nightly run does to GitHub', () => {
  it('opens one labelled issue with the marker when drift appears and none is open', () => {
    // Act
    const actions = decideIssueActions(drift({ 'tap-monitoring-lambda-errors': ['threshold'] }), []);

    // Assess
    expect(actions).toEqual([{ kind: 'create', environment: 'prod', title: 'Live drift: prod', labels: ['live-drift'], body: expect.stringContaining(issueMarker('prod')) }]);
    const body = (actions[0] as { body: string }).body;
    expect(body).toContain(`cloud: tap-monitoring-lambda-errors (${ALARM_TYPE}) changed: threshold`);
    expect(body).toContain('# Live drift: DRIFT');
    expect(body).not.toContain('500');
  });

  it('leaves the open issue alone while the same drift stays, and comments what changed (then updates the body) when it moves', () => {
    // Prepare: last night's issue body, as the run wrote it
    const [created] = decideIssueActions(drift({ 'tap-monitoring-lambda-errors': ['threshold'] }), []) as Array<{ body: string }>;
    const open = [issue(7, created.body)];

    // Act
    const same = decideIssueActions(drift({ 'tap-monitoring-lambda-errors': ['threshold'] }), open);
    const moved = decideIssueActions(drift({ 'tap-monitoring-aurora-cpu': ['threshold'] }), open);

    // Assess
    expect(same).toEqual([]);
    expect(moved.map((a) => `${a.kind} ${'issue' in a ? a.issue : ''}`)).toEqual(['comment 7', 'update 7']);
    const comment = (moved[0] as { body: string }).body;
    expect(comment).toMatch(/\*\*New:\*\*\n- `cloud: tap-monitoring-aurora-cpu \(aws:cloudwatch\/metricAlarm:MetricAlarm\) changed: threshold`/);
    expect(comment).toMatch(/\*\*No longer drifting:\*\*\n- `cloud: tap-monitoring-lambda-errors/);
    expect((moved[1] as { body: string }).body).toContain(issueMarker('prod'));
  });

  it('comments and closes the issue when the environment is back in sync; nothing to do without one; nothing on an error', () => {
    // Prepare
    const open = [issue(7, `${issueMarker('prod')}\nold`)];

    // Act
    const inSync = decideIssueActions({ environment: 'prod', status: 'in-sync', runUrl: RUN }, open);
    const nothing = decideIssueActions({ environment: 'prod', status: 'in-sync', runUrl: RUN }, []);
    const error = decideIssueActions({ environment: 'prod', status: 'error', message: 'expired credentials', runUrl: RUN }, open);

    // Assess
    expect(inSync).toEqual([
      { kind: 'comment', environment: 'prod', issue: 7, body: `Back in sync: ${RUN} found no drift in prod.` },
      { kind: 'close', environment: 'prod', issue: 7 },
    ]);
    expect(nothing).toEqual([]);
    expect(error).toEqual([]);
  });

  it('never takes a pull request, another environment\'s issue, an unlabelled or a closed one for the drift issue', () => {
    // Prepare: each carries the marker or the title, none is prod's drift issue
    const others = [
      issue(3, issueMarker('prod'), { pull_request: { url: 'https://api.github.com/repos/tap/platform/pulls/3', merged_at: null } }),
      issue(4, issueMarker('staging'), { title: 'Live drift: staging' }),
      issue(5, issueMarker('prod'), { labels: [] }),
      issue(6, issueMarker('prod'), { state: 'closed' }),
    ];

    // Act
    const actions = decideIssueActions(drift({ 'tap-monitoring-lambda-errors': ['threshold'] }), others);

    // Assess
    expect(actions.map((a) => a.kind)).toEqual(['create']);
  });

  it('keeps one issue per environment: later duplicates are closed with a pointer to the oldest', () => {
    // Prepare
    const open = [issue(12, issueMarker('prod')), issue(9, issueMarker('prod'))];

    // Act
    const actions = decideIssueActions({ environment: 'prod', status: 'in-sync', runUrl: RUN }, open);

    // Assess
    expect(actions).toEqual([
      { kind: 'comment', environment: 'prod', issue: 12, body: 'Duplicate of #9: the nightly run keeps one issue per environment.' },
      { kind: 'close', environment: 'prod', issue: 12 },
      { kind: 'comment', environment: 'prod', issue: 9, body: expect.stringMatching(/^Back in sync/) },
      { kind: 'close', environment: 'prod', issue: 9 },
    ]);
  });

  it('counts neither ignored drift nor values, and names configuration drift by path', () => {
    // Prepare
    const r = report({ a: ['threshold'] });
    r.cloud.resources.push({ ...r.cloud.resources[0], name: 'b', ignored: { rule: 0, reason: 'benign' } });
    r.deployed = { status: 'drift', codeFile: 'x', codeHash: 'h', changes: [{ path: 'monitoring.errorThreshold', kind: 'not-deployed', label: 'x', deployed: 10, code: 5 }] };

    // Act
    const entries = driftEntries(r);

    // Assess
    expect(entries).toEqual([`cloud: a (${ALARM_TYPE}) changed: threshold`, 'configuration: monitoring.errorThreshold (not-deployed)']);
  });
});

interface Seen {
  method: string;
  url: string;
  authorization?: string;
  body?: unknown;
}

/** A stand-in GitHub API on localhost: open issues in pages of `pageSize`, every request recorded. */
async function fakeGithub(items: GithubIssue[], pageSize: number): Promise<{ server: Server; url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const read = async (req: IncomingMessage) => {
    let text = '';
    for await (const chunk of req) text += chunk;
    return text ? JSON.parse(text) : undefined;
  };
  const server = createServer(async (req, res) => {
    const body = await read(req);
    seen.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization, ...(body === undefined ? {} : { body }) });
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'GET' && url.pathname === '/repos/tap/platform/issues') {
      const page = Number(url.searchParams.get('page') ?? '1');
      const slice = items.slice((page - 1) * pageSize, page * pageSize);
      const next = page * pageSize < items.length ? `<http://${req.headers.host}/repos/tap/platform/issues?labels=live-drift&state=open&per_page=100&page=${page + 1}>; rel="next"` : undefined;
      res.writeHead(200, { 'content-type': 'application/json', ...(next ? { link: next } : {}) });
      res.end(JSON.stringify(slice));
      return;
    }
    if (req.method === 'POST' && /^\/repos\/tap\/platform\/issues(\/\d+\/comments)?$/.test(url.pathname)) {
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ number: 99 }));
      return;
    }
    if (req.method === 'PATCH' && /^\/repos\/tap\/platform\/issues\/\d+$/.test(url.pathname)) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ message: 'Not Found' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

/** The drift job's artifacts as the issues job downloads them: nightly-<env>/nightly/<env>.{status.json,json,md}. */
function reports(results: Record<string, { status: string; report?: unknown }>): string {
  const dir = tempDir('nightly-reports');
  for (const [env, result] of Object.entries(results)) {
    const folder = join(dir, `nightly-${env}`, 'nightly');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, `${env}.status.json`), JSON.stringify({ status: result.status, message: `${env} ${result.status}` }));
    if (result.report) writeFileSync(join(folder, `${env}.json`), JSON.stringify(result.report));
    writeFileSync(join(folder, `${env}.md`), `# Live drift: ${env}\n`);
  }
  return dir;
}

describe('the nightly issues runner against a stand-in GitHub (REST shape, pagination, a pull request in the list)', () => {
  let github: Awaited<ReturnType<typeof fakeGithub>>;
  afterEach(() => new Promise<void>((resolve) => github.server.close(() => resolve())));

  it('lists every page, skips the pull request, opens prod\'s issue, closes staging\'s, leaves dev; the plan is written', async () => {
    // Prepare: page 1 a pull request carrying prod's marker and label, page 2 staging's open issue
    github = await fakeGithub(
      [
        issue(3, issueMarker('prod'), { title: 'Live drift: prod (a PR quoting the marker)', pull_request: { url: 'https://api.github.com/repos/tap/platform/pulls/3' } }),
        issue(8, issueMarker('staging'), { title: 'Live drift: staging' }),
      ],
      1,
    );
    const dir = reports({ dev: { status: 'in-sync' }, staging: { status: 'in-sync' }, prod: { status: 'drift', report: report({ 'tap-monitoring-lambda-errors': ['threshold'] }) } });
    const plan = join(dir, 'plan.json');

    // Act
    const run = await promisify(execFile)(
      process.execPath,
      [join(ROOT, 'dist', 'apps', 'tap-stack', 'tap-drift-issues.js'), '--reports', dir, '--repository', 'tap/platform', '--run-url', RUN, '--out', plan, '--apply'],
      { env: { ...process.env, GITHUB_TOKEN: 'test-token', GITHUB_API_URL: github.url } },
    );

    // Assess
    expect(run.stdout).toBe('staging: comment #8\nstaging: close #8\nprod: create "Live drift: prod"\n');
    expect(github.seen.filter((s) => s.method === 'GET').map((s) => new URL(s.url, 'http://x').searchParams.get('page'))).toEqual([null, '2']);
    expect(github.seen.every((s) => s.authorization === 'Bearer test-token')).toBe(true);
    const writes = github.seen.filter((s) => s.method !== 'GET');
    expect(writes.map((s) => `${s.method} ${s.url}`)).toEqual(['POST /repos/tap/platform/issues/8/comments', 'PATCH /repos/tap/platform/issues/8', 'POST /repos/tap/platform/issues']);
    expect(writes[1].body).toEqual({ state: 'closed', state_reason: 'completed' });
    expect(writes[2].body).toEqual({ title: 'Live drift: prod', labels: ['live-drift'], body: expect.stringContaining('<!-- tap-drift:prod -->') });
    expect(JSON.parse(readFileSync(plan, 'utf8')).actions).toHaveLength(writes.length);
    expect(run.stdout + run.stderr).not.toContain('test-token');
  });

  it('exits 1 naming an environment whose check errored, and leaves its issue as it is', async () => {
    // Prepare
    github = await fakeGithub([issue(8, issueMarker('staging'), { title: 'Live drift: staging' })], 100);
    const dir = reports({ dev: { status: 'in-sync' }, staging: { status: 'error' }, prod: { status: 'in-sync' } });

    // Act
    const run = await promisify(execFile)(process.execPath, [join(ROOT, 'dist', 'apps', 'tap-stack', 'tap-drift-issues.js'), '--reports', dir, '--repository', 'tap/platform', '--run-url', RUN, '--apply'], {
      env: { ...process.env, GITHUB_TOKEN: 't', GITHUB_API_URL: github.url },
    }).catch((err: { code: number; stdout: string; stderr: string }) => err);

    // Assess
    expect((run as { code?: number }).code).toBe(1);
    expect(run.stderr).toBe('tap-drift-issues: live drift could not be checked: staging: staging error\n');
    expect(github.seen.filter((s) => s.method !== 'GET')).toEqual([]);
  });

  it('answers a failed GitHub call, and a repository that is not owner/name, with one line', async () => {
    // Prepare: a repository the stand-in does not know
    github = await fakeGithub([], 100);
    const client = githubRest({ repository: 'tap/elsewhere', token: 't', apiUrl: github.url });

    // Act
    const listing = client.listOpenIssues('live-drift');

    // Assess
    await expect(listing).rejects.toThrow('GET /repos/tap/elsewhere/issues?labels=live-drift&state=open&per_page=100 answered 404: Not Found');
    expect(() => githubRest({ repository: 'not a repo', token: 't' })).toThrow('--repository must be owner/name, got "not a repo"');
  });
});
