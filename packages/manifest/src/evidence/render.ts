import type { CollectedEvidence } from './collect';

const short = (hash: string | undefined | null): string => (hash ? hash.slice(0, 12) : 'none');
const who = (record: CollectedEvidence['history']['approval']): string => {
  const person = record?.record.proposer ?? record?.record.approver;
  return person ? `${person.name}${person.email ? ` <${person.email}>` : ''} (${person.source})` : 'not recorded';
};

/**
 * `evidence.md`: the bundle in words, for the auditor who opens it first. Every fact is also in a JSON file of the
 * bundle; this page says which.
 *
 * @example
 * writeFileSync('evidence.md', renderEvidenceMarkdown(collectEvidence(sources), { indexNote: 'index.json' }));
 */
export function renderEvidenceMarkdown(evidence: CollectedEvidence): string {
  const { history, backOut, approvals } = evidence;
  const record = history.approval?.record;
  const old = history.previous.hashes;
  const verification = approvals.verification;
  const lines = [
    `# Change evidence: ${evidence.environment} ${short(evidence.baseline.hashes.configHash)} / ${short(evidence.baseline.hashes.inventoryHash)}`,
    '',
    evidence.findings.length === 0
      ? '**Approved state**: the synth is the approved baseline and the audit record verifies.'
      : `**NOT an approved state**:\n\n${evidence.findings.map((f) => `- ${f}`).join('\n')}`,
    '',
    '| what | value | file |',
    '| --- | --- | --- |',
    `| commit | ${evidence.git.head ?? `unknown (${evidence.git.note ?? 'no git'})`}${evidence.git.dirty ? ' (baseline files differ from it)' : ''} | change.json |`,
    `| configuration hash | ${short(old?.configHash)} → ${short(evidence.baseline.hashes.configHash)} | change.json |`,
    `| inventory hash | ${short(old?.inventoryHash)} → ${short(evidence.baseline.hashes.inventoryHash)} | change.json |`,
    `| proposed by | ${who(history.approval)} | change.json, history.jsonl |`,
    `| reason | ${(record?.reason ?? 'not recorded').replace(/\|/g, '\\|')} | change.json |`,
    `| approved in | ${evidence.git.approvedIn ? `${evidence.git.approvedIn.commit} (${evidence.git.approvedIn.subject.replace(/\|/g, '\\|')})` : 'unknown'} | change.json |`,
    `| change | ${evidence.change.source === 'git' ? 'previous baseline (git) → this one' : evidence.change.source === 'history' ? 'as history recorded it (previous baseline not in git)' : 'first approval'} | change-summary.txt |`,
    `| synth vs baseline | ${evidence.gate.inSync ? 'in sync' : 'DIFFERS'} | gate-check.txt |`,
    `| audit chain | ${evidence.audit.ok ? 'verifies' : `broken: ${evidence.audit.problems[0]}`} | change.json |`,
    `| approval requirements | ${evidence.requirements.source} | requirements.json |`,
    `| approvals | ${verification ? (verification.met ? 'every requirement met' : 'MISSING approvals') : approvals.given ? 'given, not checked (no requirements)' : 'none given to the bundle; see the history record'} | approvals.json |`,
    `| policies | ${evidence.policy['available'] ? `${String(evidence.policy['blocking'])} blocking violation(s)${evidence.policy['matchesSynth'] ? '' : ' (report made from another synth)'}` : 'no report'} | policy.json |`,
    `| security diff | see file | security-diff.md |`,
    `| status files | ${evidence.status.length} | status.json |`,
    `| revert-drift records | ${history.revertDrift.length} | change.json, history.jsonl |`,
    `| back-out target | ${backOut.hashes ? `config ${short(backOut.hashes.configHash)}, inventory ${short(backOut.hashes.inventoryHash)}` : 'none (first approval)'}${backOut.commit ? ` in ${backOut.commit}` : ''} | backout.json |`,
    '',
    '## Approvals that met the requirements',
    '',
    ...(verification
      ? verification.requirements.map((r) => `- ${r.rule} (${r.group}, ${r.approvals} needed): ${r.met ? 'met' : `missing ${r.missing}`} by ${r.approvedBy.join(', ') || 'nobody'}`)
      : ['- none checked here (no given approvals, or no requirements to check them against)']),
    ...(approvals.given ?? []).map((a) => `- review ${a.reviewId ?? '?'} by ${a.approver} on ${a.commitId ?? '?'} (groups: ${a.groups.join(', ') || 'none'})`),
    '',
    '## Back-out',
    '',
    ...backOut.procedure.map((step, i) => `${i + 1}. ${step}`),
    '',
    '## Verifying this bundle',
    '',
    '`tap-drift evidence verify <this folder or its .tar.gz> --index-sha256 <digest printed when it was made>`: exit 0 intact, 1 changed, 2 unreadable.',
    '',
  ];
  return lines.join('\n');
}
