#!/usr/bin/env bash
# Gives checkout <to> the third-party packages installed in checkout <from> without installing them again, while every
# workspace package (@tap/*, and the bins that point into them) resolves to <to>'s own sources. Only sound when both
# checkouts have the same package-lock.json: the caller checks that, and runs `npm ci` instead when they differ.
# usage: link-node-modules.sh <from checkout> <to checkout>
set -euo pipefail
if [ $# -ne 2 ]; then
  echo "link-node-modules: usage: link-node-modules.sh <from checkout> <to checkout>" >&2
  exit 2
fi
from=$(cd "$1" && pwd)/node_modules
to=$(cd "$2" && pwd)/node_modules
if [ ! -d "$from" ]; then
  echo "link-node-modules: $from does not exist: run npm ci in $1 first" >&2
  exit 2
fi
rm -rf "$to"
mkdir -p "$to"
for entry in "$from"/* "$from"/.bin "$from"/.package-lock.json; do
  [ -e "$entry" ] || [ -L "$entry" ] || continue
  name=$(basename "$entry")
  case "$name" in
    @tap | .bin)
      # Workspace links are relative (../../packages/x, ../@tap/x/...): copied as they are, they point into <to>.
      mkdir -p "$to/$name"
      for child in "$entry"/* "$entry"/.[!.]*; do
        [ -L "$child" ] || continue
        target=$(readlink "$child")
        ln -s "$target" "$to/$name/$(basename "$child")"
      done
      ;;
    *) ln -s "$(readlink -f "$entry")" "$to/$name" ;;
  esac
done
