#!/usr/bin/env bash
# Every commit of a push must be one a reader can use: a subject of at most 72 characters that is no
# "wip" / "work in progress" / "fixup!", a body (a blank line, then why) unless the change is trivial, and a
# tree that passes `npm run typecheck` and `npm run lint` on its own. Checks each commit in <base>..<head>
# (oldest first) in a temporary worktree that shares this checkout's node_modules, so the working tree
# is never touched.
#
#   scripts/check-commits.sh <base> [<head>]     # e.g. origin/main HEAD, before opening a pull request
#   CHECK_COMMITS_MESSAGES_ONLY=1 scripts/check-commits.sh <base>    # the messages only (seconds)
#
# CI (.github/workflows/ci.yml, job "commits") runs it on every push and pull request with the range
# GitHub names (the push's `before`, the pull request's base). .ci/run works on a clean clone of main,
# where no range is knowable: run it by hand with the base your branch started from.
set -euo pipefail
cd "$(dirname "$0")/.."

base=${1:?usage: scripts/check-commits.sh <base> [<head>]}
head=${2:-HEAD}
# A subject that says "not done": never on main (a bisect or a revert lands on a state nobody meant).
unfinished='^(wip|fixup!|squash!|amend!)|work in progress|\bwip\b'
# A change at most this many lines (added + deleted) may go without a body: a typo, a one-line bump.
trivial_lines=10

commits=$(git rev-list --reverse --no-merges "$base..$head")
if [ -z "$commits" ]; then
  echo "no commits in $base..$head"
  exit 0
fi

failed=0
problem() {
  echo "✗ $1: $2" >&2
  failed=1
}

for commit in $commits; do
  short=$(git rev-parse --short "$commit")
  subject=$(git log -1 --format=%s "$commit")
  body=$(git log -1 --format=%b "$commit" | grep -v -E '^(Co-authored-by|Signed-off-by):' | sed '/^[[:space:]]*$/d' || true)
  length=${#subject}
  [ "$length" -le 72 ] || problem "$short" "subject is $length characters (at most 72): $subject"
  if grep -qiE "$unfinished" <<<"$subject"; then problem "$short" "subject says the work is unfinished: $subject"; fi
  lines=$(git show --numstat --format= "$commit" | awk '{ n += ($1 == "-" ? 0 : $1) + ($2 == "-" ? 0 : $2) } END { print n + 0 }')
  if [ -z "$body" ] && [ "$lines" -gt "$trivial_lines" ]; then
    problem "$short" "no body for a change of $lines lines: say what and why below the subject"
  fi
done

if [ "${CHECK_COMMITS_MESSAGES_ONLY:-}" = "1" ]; then
  [ "$failed" = 0 ] && echo "✔ the messages of $(wc -w <<<"$commits") commits"
  exit "$failed"
fi

scratch=$(mktemp -d)
cleanup() {
  git worktree remove --force "$scratch/tree" >/dev/null 2>&1 || true
  rm -rf "$scratch"
}
trap cleanup EXIT
git worktree add --detach --quiet "$scratch/tree" "$(head -n1 <<<"$commits")"
# The dependencies of the checkout running this: a commit that changes package-lock.json is checked
# against them too, which CI's fresh `npm ci` of the head then confirms.
ln -s "$PWD/node_modules" "$scratch/tree/node_modules"

for commit in $commits; do
  short=$(git rev-parse --short "$commit")
  git -C "$scratch/tree" checkout --detach --quiet "$commit"
  green=1
  for script in typecheck lint; do
    if ! (cd "$scratch/tree" && npm run -s "$script" >"$scratch/$script.log" 2>&1); then
      problem "$short" "npm run $script fails; its last lines:"
      tail -n 20 "$scratch/$script.log" >&2
      green=0
    fi
  done
  if [ "$green" = 1 ]; then echo "✔ $short $(git log -1 --format=%s "$commit")"; fi
done

exit "$failed"
