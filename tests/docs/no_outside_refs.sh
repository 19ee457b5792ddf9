#!/usr/bin/env bash
# Fails when a file of the repository points outside it, to the directory
# beside the development checkout: a user who clones the repository does not
# have it. The pattern is built from two parts so this script does not match.
set -euo pipefail
cd "$(dirname "$0")/../.."
pattern="../""shared"
if [ -e .git ]; then
  files=$(git ls-files)
else
  files=$(find . -path ./build -prune -o -path './build-*' -prune -o -type f -print)
fi
hits=$(printf '%s\n' "$files" | tr '\n' '\0' | xargs -0 grep -n -F -e "$pattern" -- 2>/dev/null || true)
if [ -n "$hits" ]; then
  echo "files that point outside the repository (to $pattern):"
  echo "$hits"
  exit 1
fi
echo "no file points to $pattern"
