#!/usr/bin/env bash
# Proves that today's pnpm release (npm's `latest` dist-tag) installs this project from the committed lockfile,
# not only the pinned one: a newcomer's machine usually has the current pnpm (issue 17: pnpm 12 once failed
# with ERR_PNPM_BAD_CONFIG_DEP before pnpm-workspace.yaml set pmOnFail and allowBuilds). Runs on a throwaway
# clone of HEAD, so the working tree's node_modules (laid out by the pinned pnpm) stay untouched.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
version=$(npm view pnpm@latest version)
npm install --silent --no-audit --no-fund --prefix "$work/pnpm" "pnpm@$version" >/dev/null
git clone --quiet --no-hardlinks "$PWD" "$work/clone"
# Uncommitted edits to the install configuration count too: that is what is being checked.
cp package.json pnpm-workspace.yaml pnpm-lock.yaml "$work/clone/"
cd "$work/clone"
if CI=true "$work/pnpm/node_modules/.bin/pnpm" install --frozen-lockfile --prefer-offline >"$work/install.log" 2>&1; then
  echo "pnpm $version (current release) installs the project from the lockfile"
else
  tail -20 "$work/install.log" >&2
  echo "pnpm $version (current release) cannot install the project; see above" >&2
  exit 1
fi
