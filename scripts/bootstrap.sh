#!/bin/sh
# Installs the workspace with the pinned pnpm, which also installs the pinned
# Node 24 into node_modules/.bin. Safe to run repeatedly: a no-op when up to date.
set -e
cd "$(dirname "$0")/.."
PNPM_VERSION=$(node -p "require('./package.json').packageManager.split('@')[1]")
if [ -x node_modules/.bin/pnpm ] && [ node_modules/.modules.yaml -nt pnpm-lock.yaml ]; then
  exit 0
fi
# Install with the machine's own Node and npm setup (its npmrc, CA file, proxy), not the
# pinned Node a previous install put in node_modules/.bin.
PATH=$(printf '%s' "$PATH" | tr ':' '\n' | grep -v '/node_modules/\.bin$' | paste -sd: -)
export PATH
echo "phoenix: installing dependencies with pnpm $PNPM_VERSION (Node 24 is pinned in node_modules/.bin)" >&2
if [ -f pnpm-lock.yaml ] && [ -n "$CI" ]; then
  npx -y "pnpm@$PNPM_VERSION" install --frozen-lockfile
else
  npx -y "pnpm@$PNPM_VERSION" install
fi
