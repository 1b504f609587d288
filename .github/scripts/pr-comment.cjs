// The drift gate's pull-request comment: the security diff first (every changed grant, broadening or narrowing), then
// the verdict and the approvals the change needs, then the approvals given and the drift report. GitHub refuses a
// comment over 65,536 characters ("Body is too long (maximum is 65536 characters)"), so a comment that would be longer
// keeps every small section whole, cuts the large ones at a line (closing an open code block or <details>), and ends
// with a link to the run, whose artifacts hold the full reports.
// Run by actions/github-script from the BASE branch's checkout, in a job that runs none of the pull request's code.
const { existsSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

/** GitHub's limit on a comment body. */
const COMMENT_LIMIT = 65536;
/** Found at the start of the gate's own comment, so a new run updates it instead of adding another. */
const MARKER = '<!-- tap-drift-gate -->';

/**
 * `text` cut to at most `budget` characters at a line end, with a code fence or `<details>` it leaves open closed.
 *
 * @param {string} text
 * @param {number} budget
 * @returns {string}
 * @example
 * cutAtLine('a\nb\nc', 3); // 'a\n…' (and the cut note)
 */
function cutAtLine(text, budget) {
  const note = '\n\n> … cut here: the full section is in the run artifacts (link below).';
  if (text.length <= budget) return text;
  const room = Math.max(0, budget - note.length - 32);
  let kept = text.slice(0, room);
  const lastNewline = kept.lastIndexOf('\n');
  kept = lastNewline > 0 ? kept.slice(0, lastNewline) : '';
  const closers = [];
  if ((kept.match(/^```/gm) ?? []).length % 2 === 1) closers.push('```');
  const open = (kept.match(/<details>/g) ?? []).length - (kept.match(/<\/details>/g) ?? []).length;
  for (let i = 0; i < open; i++) closers.push('</details>');
  return `${kept}${closers.length ? `\n${closers.join('\n')}` : ''}${note}`.slice(0, budget);
}

/**
 * The comment body: `marker`, then `sections` in order, within `limit` characters. When they do not fit, each section
 * gets a fair share (sections smaller than their share stay whole, the rest is split among the larger ones), and a
 * last line links the full report (`reportUrl`).
 *
 * @param {{ sections: string[], reportUrl: string, limit?: number, marker?: string }} options
 * @returns {string}
 * @example
 * composeComment({ sections: [security, verdict, requirements, approvals, drift], reportUrl: 'https://github.com/o/r/actions/runs/1#artifacts' });
 */
function composeComment({ sections, reportUrl, limit = COMMENT_LIMIT, marker = MARKER }) {
  const parts = sections.map((section) => section.trim()).filter((section) => section !== '');
  const separator = '\n\n';
  const whole = [marker, ...parts].join(separator);
  if (whole.length <= limit) return whole;
  const footer = `> **Cut to fit GitHub's ${limit.toLocaleString('en-US')}-character comment limit.** The full security diff, requirements and drift report: [the run's artifacts](${reportUrl}).`;
  let room = limit - marker.length - footer.length - separator.length * (parts.length + 1);
  const budgets = new Array(parts.length).fill(0);
  const order = parts.map((part, i) => i).sort((a, b) => parts[a].length - parts[b].length);
  order.forEach((index, position) => {
    const share = Math.floor(room / (order.length - position));
    budgets[index] = Math.min(parts[index].length, share);
    room -= budgets[index];
  });
  return [marker, ...parts.map((part, i) => cutAtLine(part, budgets[i])), footer].join(separator);
}

/**
 * Reads the reports the gate's jobs left under `dir` (the downloaded artifacts), composes the comment and creates or
 * updates the gate's comment on the pull request.
 *
 * @param {{ github: object, context: object, dir?: string }} args
 * @returns {Promise<string>} the body posted
 */
async function postComment({ github, context, dir = 'reports' }) {
  const read = (file, fallback) => (existsSync(join(dir, file)) ? readFileSync(join(dir, file), 'utf8') : fallback);
  const reportUrl = `${context.serverUrl}/${context.repo.owner}/${context.repo.repo}/actions/runs/${context.runId}#artifacts`;
  const body = composeComment({
    reportUrl,
    sections: [
      read('approvals/security-diff.md', '### Security diff\n\n- **ERROR**: not computed (see the verify-approvals job); a reviewer reads the drift report below.'),
      read('approvals/verdict.md', '## Verdict\n\n- **ERROR**: verify-approvals did not run.'),
      `## Approvals this change needs (the base commit's rules and baselines)\n\n${read('approvals/requirements.md', '> Could not be computed: see the verify-approvals job.')}`,
      read('approvals/approvals.md', ''),
      read('drift-gate/drift-report.md', '# Drift gate\n\n- **ERROR**: no report (the gate did not run).'),
    ],
  });
  const issue_number = context.payload.pull_request.number;
  const comments = await github.paginate(github.rest.issues.listComments, { ...context.repo, issue_number });
  const mine = comments.find((c) => c.user?.type === 'Bot' && c.body?.startsWith(MARKER));
  if (mine) await github.rest.issues.updateComment({ ...context.repo, comment_id: mine.id, body });
  else await github.rest.issues.createComment({ ...context.repo, issue_number, body });
  return body;
}

module.exports = postComment;
module.exports.composeComment = composeComment;
module.exports.COMMENT_LIMIT = COMMENT_LIMIT;
module.exports.MARKER = MARKER;
