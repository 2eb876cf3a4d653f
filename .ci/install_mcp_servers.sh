#!/usr/bin/env bash
# Installs MCP servers pinned in a JSON file ({"package": "version"}; default: the official
# reference servers in core/mcp/testing/reference_servers.json; the benchmark's large catalogue is
# bench/mcp_bench_servers.json) with npm into a cache outside the project tree (no package.json in
# the repo): ${MCP_SERVERS_DIR:-$HOME/.cache/autoliza/mcp-servers}/<hash of the pins file>, where
# the tests and the benchmark find them. Needs Node 18+ and npm; idempotent. Prints the directory.
set -euo pipefail
cd "$(dirname "$0")/.."
pins=${1:-core/mcp/testing/reference_servers.json}
command -v node >/dev/null || { echo "install_mcp_servers: node is not installed" >&2; exit 1; }
hash=$(sha256sum "$pins" | cut -c1-12)
dir="${MCP_SERVERS_DIR:-$HOME/.cache/autoliza/mcp-servers}/$hash"
if [ ! -f "$dir/.complete" ]; then
  mkdir -p "$dir"
  specs=$(node -e 'const p=require(process.argv[1]);console.log(Object.entries(p).map(([n,v])=>n+"@"+v).join(" "))' "$PWD/$pins")
  # shellcheck disable=SC2086
  npm install --prefix "$dir" --no-audit --no-fund --loglevel=error $specs >&2
  touch "$dir/.complete"
fi
echo "$dir"
