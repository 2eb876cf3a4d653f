#!/usr/bin/env bash
# Makes sure the local PostgreSQL has the pgvector extension. Debian 12 ships no pgvector
# package, so this builds Debian trixie's source package against postgresql-server-dev.
# Idempotent: does nothing when `CREATE EXTENSION vector` already works.
set -euo pipefail
PGHOST=${PGHOST:-127.0.0.1}
PSQL=(psql -h "$PGHOST" -U postgres -d test -v ON_ERROR_STOP=1 -qAt)

if "${PSQL[@]}" -c "CREATE EXTENSION IF NOT EXISTS vector" >/dev/null 2>&1; then
  echo "pgvector: already available"
  exit 0
fi

pgmajor=$(ls /usr/lib/postgresql | sort -n | tail -1)
echo "pgvector: building from Debian trixie source for PostgreSQL $pgmajor"
src=/etc/apt/sources.list.d/trixie-src.sources
if [ ! -f "$src" ]; then
  cat >"$src" <<SRC
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "postgresql-server-dev-$pgmajor" make gcc dpkg-dev >/dev/null
work=$(mktemp -d)
(cd "$work" && apt-get source -qq --download-only pgvector >/dev/null && dpkg-source -x --no-check ./*.dsc pgvector >/dev/null)
make -C "$work/pgvector" -s OPTFLAGS="" PG_CONFIG="/usr/lib/postgresql/$pgmajor/bin/pg_config" >/dev/null
make -C "$work/pgvector" -s install OPTFLAGS="" PG_CONFIG="/usr/lib/postgresql/$pgmajor/bin/pg_config" >/dev/null
rm -rf "$work"
"${PSQL[@]}" -c "CREATE EXTENSION IF NOT EXISTS vector" >/dev/null
echo "pgvector: installed ($("${PSQL[@]}" -c "SELECT extversion FROM pg_extension WHERE extname='vector'"))"
