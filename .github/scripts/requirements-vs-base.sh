#!/usr/bin/env bash
# The approvals a pull request needs, judged against what the base branch approved, with the base branch's rules: the
# baselines the pull request commits (drift-approve) and any edit of the rules are part of the change under review.
# usage: requirements-vs-base.sh <base sha> <synth dir> <out dir>  → <out dir>/requirements.{json,md}
set -euo pipefail
base_sha=$1 synth=$2 out=$3
mkdir -p "$out/base"
git archive "$base_sha" apps/tap-stack/manifests | tar -x -C "$out/base"
rules=apps/tap-stack/approval-rules.json
if git cat-file -e "$base_sha:$rules" 2>/dev/null; then
  git show "$base_sha:$rules" > "$out/base/approval-rules.json"
  rules=$out/base/approval-rules.json
else
  echo "::warning::$rules is not on the base branch yet: using this pull request's rules"
fi
node packages/manifest/dist/cli/main.js requirements \
  --baseline "$out/base/apps/tap-stack/manifests" \
  --current "$synth" \
  --rules "$rules" \
  --out "$out/requirements.json" \
  --format markdown > "$out/requirements.md"
cat "$out/requirements.md"
