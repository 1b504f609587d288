import { coveredByAny } from './policy';
import { ruleCovers } from './network';
import { resourceGrants, type Grant } from './grants';
import type { Inventory, NetworkRule, NormalStatement, SecurityDiff, SecurityDiffRow } from './types';

const identity = (grant: Grant): string => `${grant.kind}\u0000${grant.scope}\u0000${grant.key}`;

function grantsOf(inventory: Inventory | undefined): Grant[] {
  return Object.entries(inventory?.resources ?? {}).flatMap(([urn, resource]) => resourceGrants(urn, resource));
}

/** Whether `others` (same scope, kind and polarity) together already grant everything `grant` does. */
function covered(grant: Grant, others: readonly Grant[]): boolean {
  const peers = others.filter((other) => other.scope === grant.scope && other.kind === grant.kind && other.polarity === grant.polarity);
  switch (grant.kind) {
    case 'statement':
      return coveredByAny(grant.statement as NormalStatement, peers.map((peer) => peer.statement as NormalStatement));
    case 'network':
      return peers.some((peer) => ruleCovers(peer.rule as NetworkRule, grant.rule as NetworkRule));
    case 'reachability':
      return peers.some((peer) => peer.reach?.what === grant.reach?.what && (peer.reach?.level ?? 0) >= (grant.reach?.level ?? 0));
    default:
      // Attachments, identities and restrictions are only the same when equal; unjudged grants are never covered.
      return false;
  }
}

/**
 * Classes one added (`+`) or removed (`-`) grant. Unjudged: broadening, always. Added access (`allow`): narrowing only
 * when the old grants of its scope already gave all of it (`s3:GetObject` replacing `s3:Get*`, a condition added, a
 * narrower CIDR or port range), else broadening. Removed access: narrowing. Added restriction (a Deny, a boundary):
 * narrowing. Removed restriction: broadening unless the new restrictions of its scope still hold all of it.
 */
function classify(grant: Grant, change: '+' | '-', before: readonly Grant[], after: readonly Grant[]): Pick<SecurityDiffRow, 'classification' | 'reason'> {
  if (grant.kind === 'unjudged') return { classification: 'broadening', reason: grant.unjudged ?? 'cannot be judged, so it fails closed' };
  if (grant.polarity === 'allow') {
    if (change === '-') return { classification: 'narrowing', reason: 'access removed' };
    return covered(grant, before)
      ? { classification: 'narrowing', reason: 'already granted before (within a wider grant of the same scope)' }
      : { classification: 'broadening', reason: 'new access: not granted before in this scope' };
  }
  if (change === '+') return { classification: 'narrowing', reason: 'restriction added' };
  return covered(grant, after)
    ? { classification: 'narrowing', reason: 'restriction removed, but a remaining one still holds it' }
    : { classification: 'broadening', reason: 'restriction removed (a Deny, a boundary or a block no longer applies)' };
}

function row(grant: Grant, change: '+' | '-', judged: Pick<SecurityDiffRow, 'classification' | 'reason'>): SecurityDiffRow {
  return { change, ...judged, kind: grant.kind, urn: grant.urn, type: grant.type, name: grant.name, scope: grant.scope, ...grant.label };
}

/**
 * The security-relevant changes from `before` (the approved inventory; undefined for a new environment) to `after`:
 * one row per grant added or removed — IAM statements of roles, inline and managed policies and trust policies, key
 * policies and grants, secret and other resource policies, Lambda permissions, security-group rules, public
 * reachability — each classed broadening or narrowing. Unchanged grants and inert inputs (names, tags) give no row.
 *
 * @example
 * const diff = securityDiff(baseline.inventory, current.inventory);
 * diff.broadening; // true when any row broadens access
 * diff.rows.filter((r) => r.classification === 'broadening').map((r) => r.scope); // ['key tap-key']
 */
export function securityDiff(before: Inventory | undefined, after: Inventory): SecurityDiff {
  const old = grantsOf(before);
  const now = grantsOf(after);
  const oldIds = new Set(old.map(identity));
  const nowIds = new Set(now.map(identity));
  const seen = new Set<string>();
  const rows: SecurityDiffRow[] = [];
  for (const [grants, others, change] of [
    [old, nowIds, '-'],
    [now, oldIds, '+'],
  ] as const) {
    for (const grant of grants) {
      const id = `${change}${identity(grant)}`;
      if (others.has(identity(grant)) || seen.has(id)) continue;
      seen.add(id);
      rows.push(row(grant, change, classify(grant, change, old, now)));
    }
  }
  rows.sort((a, b) => a.scope.localeCompare(b.scope) || a.urn.localeCompare(b.urn) || (a.change === b.change ? 0 : a.change === '-' ? -1 : 1));
  return { rows, broadening: rows.some((r) => r.classification === 'broadening') };
}
