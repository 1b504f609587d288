import { renderSecurityReport, securityDiff, type Inventory, type SecurityReport } from '@tap/manifest';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, tempDir } from '../synthHelper';

/*
 * .github/scripts/pr-comment.cjs, as the pull-request workflow's comment job runs it with actions/github-script.
 * GitHub refuses a longer comment: "Body is too long (maximum is 65536 characters)" (REST API, create an issue comment;
 * e.g. danger/danger#424, googleapis/release-please#1034).
 */

interface Comment {
  id: number;
  user: { type: string };
  body: string;
}
type ComposeComment = (options: { sections: string[]; reportUrl: string; limit?: number; marker?: string }) => string;
type PostComment = ((args: object) => Promise<string>) & { composeComment: ComposeComment; COMMENT_LIMIT: number; MARKER: string };

// eslint-disable-next-line @typescript-eslint/no-require-imports
const postComment = require(join(ROOT, '.github', 'scripts', 'pr-comment.cjs')) as PostComment;
const { composeComment, COMMENT_LIMIT, MARKER } = postComment;
const RUN = 'https://github.com/tap/infra/actions/runs/42#artifacts';

/** The security report of an environment whose key policy gains `count` statements, each for a new principal. */
function hugeSecurityDiff(count: number): string {
  const inventory = (statements: object[]): Inventory => ({
    inventoryVersion: 2,
    environment: 'dev',
    normalisation: { volatile: [], jsonStrings: [] },
    resources: { 'urn:pulumi:dev::TapStack::aws:kms/key:Key::tap-key': { type: 'aws:kms/key:Key', name: 'tap-key', custom: true, inputs: { policy: { Statement: statements } } } },
    inventoryHash: '',
  });
  const statements = Array.from({ length: count }, (_, i) => ({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::123456789012:role/reader-${i}` }, Action: 'kms:Decrypt', Resource: '*' }));
  const diff = securityDiff(inventory([]), inventory(statements));
  const report: SecurityReport = { environments: [{ environment: 'dev', diff }], changed: true, broadening: true, errors: [] };
  return renderSecurityReport(report, 'markdown');
}

const VERDICT = '## Verdict\n\n- **refused**: see below';
const REQUIREMENTS = "## Approvals this change needs (the base commit's rules and baselines)\n\n| rule | group |\n| --- | --- |\n| iam | 1 x security |";
const driftReport = (lines: number): string =>
  ['# Drift gate', '', '<details><summary>tap-payments</summary>', '', '```', ...Array.from({ length: lines }, (_, i) => `property ${i}: old -> new`), '```', '</details>'].join('\n');

describe('the pull-request comment', () => {
  it('puts the security diff first, then the verdict and requirements, then the rest, whole when it fits', () => {
    // Prepare
    const security = hugeSecurityDiff(2);

    // Act
    const body = composeComment({ sections: [security, VERDICT, REQUIREMENTS, '', driftReport(3)], reportUrl: RUN });

    // Assess
    expect(body.startsWith(MARKER)).toBe(true);
    const at = (text: string): number => body.indexOf(text);
    expect(at('### Security diff: broadening')).toBeGreaterThan(0);
    expect(at('### Security diff')).toBeLessThan(at('## Verdict'));
    expect(at('## Verdict')).toBeLessThan(at('## Approvals this change needs'));
    expect(at('## Approvals this change needs')).toBeLessThan(at('# Drift gate'));
    expect(body).toContain('property 2: old -> new');
    expect(body).not.toContain('Cut to fit');
  });

  it('stays within 65,536 characters with a huge security diff and drift report, keeps the requirements whole and links the full report', () => {
    // Prepare
    const security = hugeSecurityDiff(3000);
    const drift = driftReport(20000);
    expect(security.length + drift.length).toBeGreaterThan(COMMENT_LIMIT * 2);

    // Act
    const body = composeComment({ sections: [security, VERDICT, REQUIREMENTS, drift], reportUrl: RUN });

    // Assess
    expect(body.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(body.startsWith(MARKER)).toBe(true);
    expect(body).toContain(VERDICT);
    expect(body).toContain(REQUIREMENTS);
    expect(body).toContain('| `+` | **broadening** | `tap-key (Key)`');
    expect(body.trimEnd().split('\n').at(-1)).toContain(`[the run's artifacts](${RUN})`);
    // A cut section closes what it opened, so the sections after it still render.
    expect((body.match(/^```/gm) ?? []).length % 2).toBe(0);
    expect((body.match(/<details>/g) ?? []).length).toBe((body.match(/<\/details>/g) ?? []).length);
    expect(body.indexOf('### Security diff')).toBeLessThan(body.indexOf('## Verdict'));
  });

  it('updates its own comment rather than adding another, with the reports the jobs left', async () => {
    // Prepare
    const dir = tempDir('pr-comment-');
    mkdirSync(join(dir, 'approvals'), { recursive: true });
    writeFileSync(join(dir, 'approvals', 'security-diff.md'), hugeSecurityDiff(1));
    writeFileSync(join(dir, 'approvals', 'verdict.md'), VERDICT);
    const calls: Array<{ kind: string; body: string; comment_id?: number }> = [];
    const existing: Comment[] = [
      { id: 7, user: { type: 'User' }, body: `${MARKER} quoted by a person` },
      { id: 9, user: { type: 'Bot' }, body: `${MARKER}\n\nold` },
    ];
    const github = {
      paginate: async () => existing,
      rest: {
        issues: {
          listComments: () => undefined,
          updateComment: async (args: { comment_id: number; body: string }) => calls.push({ kind: 'update', ...args }),
          createComment: async (args: { body: string }) => calls.push({ kind: 'create', ...args }),
        },
      },
    };
    const context = { serverUrl: 'https://github.com', repo: { owner: 'tap', repo: 'infra' }, runId: 42, payload: { pull_request: { number: 12 } } };

    // Act
    await postComment({ github, context, dir });

    // Assess
    expect(calls.map((c) => [c.kind, c.comment_id])).toEqual([['update', 9]]);
    expect(calls[0].body).toMatch(/^<!-- tap-drift-gate -->\n\n### Security diff: broadening[\s\S]*## Verdict[\s\S]*Could not be computed[\s\S]*no report \(the gate did not run\)/);
    rmSync(dir, { recursive: true, force: true });
  });
});
