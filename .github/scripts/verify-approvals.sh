#!/usr/bin/env bash
# Judges a pull request with the BASE commit's gate, so the change under review never decides its own verdict.
#
# Run from the pull request's checkout (the head; with `npm ci` done unless --synth is given):
#   verify-approvals.sh --base <sha> --given <approvals.json> [--author <login>] [--head <sha>] [--pushers <a,b>]
#                       [--synth <dir>] [--out <dir>] [--work <dir>]
#
# 1. The head's history must begin with the base's history byte for byte (the audit record is append-only).
# 2. The head is synthesized by its own program (or --synth <dir> is read): what it would deploy is data to judge.
# 3. tap-drift and tap-policy are built from a git worktree of <base> (its own sources; third-party packages linked
#    from this checkout when both lock files are equal, else installed there with `npm ci` from the base's lock).
# 4. With the base's tools and the base's rules and baselines: the audit chain of the head, the policies over the head's
#    synth, the approval requirements (plus gate-change when `git diff --name-only <base>...<head>` touches the gate),
#    then the given approvals against them (only reviews of <head>, neither the author nor a pusher, a person once).
#
# Exit 0 every requirement met; 1 refused (approvals missing, each listed; history rewritten; policy violations);
# 2 could not judge (bad arguments, base not found, a build or synth failed). Reports: <out>/requirements.{json,md},
# <out>/approvals.md, <out>/verdict.md, <out>/security-diff.md (when the base's tap-drift has security-diff).
set -uo pipefail

me=verify-approvals
die() { echo "$me: $*" >&2; exit 2; }
refuse() { echo "$me: $*" >&2; refused=1; }

base='' given='' author='' head='' pushers='' synth='' out=dist/pr work=''
while [ $# -gt 0 ]; do
  case "$1" in
    --base | --given | --author | --head | --pushers | --synth | --out | --work)
      [ $# -ge 2 ] || die "$1 needs a value (verify-approvals.sh --help)"
      value=$2
      case "$1" in
        --base) base=$value ;; --given) given=$value ;; --author) author=$value ;; --head) head=$value ;;
        --pushers) pushers=$value ;; --synth) synth=$value ;; --out) out=$value ;; --work) work=$value ;;
      esac
      shift 2 ;;
    --*=*) set -- "${1%%=*}" "${1#*=}" "${@:2}" ;;
    -h | --help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument '$1': use --base, --given, --author, --head, --pushers, --synth, --out, --work" ;;
  esac
done

[ -n "$base" ] || die "--base <sha> is required (the pull request's base commit)"
[ -n "$given" ] || die "--given <approvals.json> is required (.github/scripts/given-approvals.cjs writes it; [] for none)"
[ -f "$given" ] || die "--given $given: file not found"
top=$(git rev-parse --show-toplevel 2>/dev/null) || die "not inside a git checkout: run it from the pull request's checkout"
cd "$top" || die "cannot enter $top"
base=$(git rev-parse --verify --quiet "$base^{commit}") || die "--base: no such commit in this checkout (fetch it: actions/checkout with fetch-depth: 0)"
checkout_head=$(git rev-parse HEAD)
if [ -n "$head" ]; then
  head_commit=$(git rev-parse --verify --quiet "$head^{commit}") || die "--head $head: no such commit in this checkout"
  [ "$head_commit" = "$checkout_head" ] || die "--head $head is not what is checked out ($checkout_head): check out the head first"
  head=$head_commit
else
  head=$checkout_head
fi
[ -n "$(git status --porcelain --untracked-files=no)" ] && die "the checkout has uncommitted changes: the verdict must be about $head exactly"
mkdir -p "$out" || die "cannot create $out"
out=$(cd "$out" && pwd)
work=${work:-$top/dist/verify-approvals}
mkdir -p "$work" || die "cannot create $work"
work=$(cd "$work" && pwd)
refused=0

# 1. Append-only history: every history file the base has must be a prefix of the head's.
for file in $(git ls-tree -r --name-only "$base" -- apps | grep '/manifests/history\.jsonl$'); do
  if ! git cat-file -e "$head:$file" 2>/dev/null; then
    refuse "$file: removed by this pull request; the approval history is append-only"
    continue
  fi
  size=$(git cat-file -s "$base:$file")
  if ! cmp -s <(git cat-file blob "$base:$file") <(git cat-file blob "$head:$file" | head -c "$size"); then
    refuse "$file: does not begin with the base's history byte for byte (a line was edited, removed or reordered); only appending is allowed"
  fi
done

# 2. What the head would deploy, synthesized before the judge is built so the head's code never runs beside it.
#    In CI the synth comes from another job (--synth): this job runs no code of the head at all.
if [ -z "$synth" ]; then
  synth=$work/head-synth
  rm -rf "$synth"
  NX_DAEMON=false NX_NO_CLOUD=true npx nx run tap-stack:build --outputStyle=static >"$work/build-head.log" 2>&1 ||
    die "building the head's program failed ($work/build-head.log)"
  node dist/apps/tap-stack/tap-synth.js --out "$synth" >"$work/synth-head.log" 2>&1 ||
    die "the offline synth of the head failed ($work/synth-head.log)"
fi
[ -d "$synth" ] || die "--synth $synth: no such folder"
synth=$(cd "$synth" && pwd)

# 3. The judge: the base's tap-drift and tap-policy, built from the base's own sources.
judge=$work/base-$base
if [ ! -f "$judge/.built" ]; then
  git worktree remove --force "$judge" >/dev/null 2>&1
  rm -rf "$judge"
  git worktree prune
  git worktree add --detach --quiet "$judge" "$base" || die "cannot check out the base $base in $judge"
  if [ -d node_modules ] && cmp -s package-lock.json "$judge/package-lock.json"; then
    bash "$judge/.github/scripts/link-node-modules.sh" "$top" "$judge" || die "cannot link node_modules into $judge"
  else
    echo "$me: the base's package-lock.json differs from the head's: installing the base's dependencies" >&2
    (cd "$judge" && npm ci --no-audit --no-fund --ignore-scripts >"$work/npm-ci.log" 2>&1) || die "npm ci of the base failed ($work/npm-ci.log)"
  fi
  # No cache: an output cached by a build of the head's code must never become the judge.
  (cd "$judge" && NX_DAEMON=false NX_NO_CLOUD=true npx nx run-many -t build -p manifest policy --skip-nx-cache --outputStyle=static >"$work/build-base.log" 2>&1) ||
    die "building tap-drift and tap-policy from the base failed ($work/build-base.log)"
  touch "$judge/.built"
fi
tap_drift=$judge/packages/manifest/dist/cli/main.js
tap_policy=$judge/packages/policy/dist/bin/tap-policy.js
[ -f "$tap_drift" ] && [ -f "$tap_policy" ] || die "the base's build has no $tap_drift or $tap_policy"

# 4. The verdict, with the base's tools, rules and baselines.
rules=$judge/apps/tap-stack/approval-rules.json
baselines=$judge/apps/tap-stack/manifests
# A base from before the base-judged gate cannot judge: its tap-drift has no audit chain and no gate-change.
node "$tap_drift" --help 2>/dev/null | grep -qE '^  audit ' && node "$tap_drift" requirements --help 2>/dev/null | grep -q -- '--changed-files' ||
  die "the base's tap-drift predates the audit chain and gate-change requirements: it cannot judge this pull request (an administrator merges the one that introduces them)"
node "$tap_drift" audit verify --history apps/tap-stack/manifests/history.jsonl --baseline apps/tap-stack/manifests >"$out/audit.txt" 2>&1
case $? in
  0) ;;
  1) refuse "the head's approval record does not verify: $(grep -m1 . "$out/audit.txt")" ;;
  *) die "tap-drift audit verify could not run: $(grep -m1 . "$out/audit.txt")" ;;
esac

mapfile -t inventories < <(find "$synth" -mindepth 2 -maxdepth 2 -name resources.json | sort)
[ "${#inventories[@]}" -gt 0 ] || die "no <env>/resources.json under $synth"
node "$tap_policy" check "${inventories[@]}" --format text >"$out/policy.txt" 2>&1
case $? in
  0) ;;
  1) refuse "mandatory policy violations in the head's synth (base's tap-policy): $(grep -m1 -i 'mandatory\|violation' "$out/policy.txt")" ;;
  *) die "tap-policy could not run: $(grep -m1 . "$out/policy.txt")" ;;
esac

# Unquoted paths: git quotes unusual characters by default, which tap-drift refuses as a path it cannot match.
git -c core.quotePath=false diff --name-only "$base...$head" >"$out/changed-files.txt" || die "git diff $base...$head failed"
changed=(--changed-files "$out/changed-files.txt")
[ -s "$out/changed-files.txt" ] || changed=()
node "$tap_drift" requirements --baseline "$baselines" --current "$synth" --rules "$rules" \
  "${changed[@]}" --out "$out/requirements.json" --format markdown >"$out/requirements.md" 2>"$out/requirements.err" ||
  die "tap-drift requirements could not judge: $(grep -m1 . "$out/requirements.err")"

# The security diff for the top of the comment (every changed grant, broadening or narrowing); a base whose tap-drift
# predates it leaves the comment's placeholder. Exit 1 only says grants changed; the requirements above judge them.
if node "$tap_drift" --help 2>/dev/null | grep -qE '^  security-diff '; then
  node "$tap_drift" security-diff --baseline "$baselines" --current "$synth" --format markdown >"$out/security-diff.md" 2>"$out/security-diff.err"
  [ $? -le 1 ] || die "tap-drift security-diff could not judge: $(grep -m1 . "$out/security-diff.err")"
fi

verify=(verify-approvals --given "$given" --requirements "$out/requirements.json" --head "$head")
[ -n "$author" ] && verify+=(--author "$author")
[ -n "$pushers" ] && verify+=(--pushers "$pushers")
node "$tap_drift" "${verify[@]}" --format markdown >"$out/approvals.md" 2>"$out/approvals.err"
verified=$?
cat "$out/approvals.md"
cat "$out/approvals.err" >&2
[ "$verified" -le 1 ] || die "tap-drift verify-approvals could not judge: $(grep -m1 . "$out/approvals.err")"

{
  echo "## Verdict (judged by the base $base with its own tap-drift, tap-policy, rules and baselines)"
  echo
  if [ "$refused" -eq 0 ] && [ "$verified" -eq 0 ]; then echo "- **pass**: every requirement is met"; else echo "- **refused**: see below"; fi
} >"$out/verdict.md"
[ "$refused" -eq 0 ] && [ "$verified" -eq 0 ] && exit 0
exit 1
