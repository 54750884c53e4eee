#!/usr/bin/env bash
# Prepare the local PostgreSQL cluster for Switchboard integration tests.
#
#  - builds and installs pgvector from Debian trixie's *source* package if the
#    `vector` extension is not available yet (bookworm ships no binary package);
#  - starts the cluster if needed and waits until it accepts connections;
#  - creates the test database and enables the `vector` extension in it;
#  - prints the DATABASE_URL to use.
#
# Idempotent: safe to run repeatedly; the build is skipped once installed.
# Needs root (or passwordless sudo) only for the one-time pgvector build.
#
# Environment overrides:
#   PG_MAJOR      PostgreSQL major version        (default 15)
#   PG_CLUSTER    Debian cluster name             (default main)
#   PG_HOST       host to connect to              (default 127.0.0.1)
#   PG_PORT       port                            (default 5432)
#   PG_USER       superuser to connect as (trust) (default postgres)
#   SB_TEST_DB    test database name              (default switchboard_test)
#   PG_WAIT_SECS  max seconds to wait for server  (default 60)
#   SB_SETUP_LOG  log file for apt/make output    (default /tmp/switchboard-setup-postgres.log)
#   PG_TUNE       1: raise shared_buffers from the 128MB default to 25% of RAM (at most 2GB) and restart,
#                 so HNSW indexes stay in memory as pgvector recommends; 0: leave the config alone (default 1)
set -Eeuo pipefail

PG_MAJOR="${PG_MAJOR:-15}"
PG_CLUSTER="${PG_CLUSTER:-main}"
PG_HOST="${PG_HOST:-127.0.0.1}"
PG_PORT="${PG_PORT:-5432}"
PG_USER="${PG_USER:-postgres}"
SB_TEST_DB="${SB_TEST_DB:-switchboard_test}"
PG_WAIT_SECS="${PG_WAIT_SECS:-60}"
PG_TUNE="${PG_TUNE:-1}"
LOG="${SB_SETUP_LOG:-/tmp/switchboard-setup-postgres.log}"

PG_BIN="/usr/lib/postgresql/${PG_MAJOR}/bin"
PG_CONFIG="${PG_BIN}/pg_config"
SRC_LIST=/etc/apt/sources.list.d/switchboard-trixie-src.sources

log()  { printf '==> %s\n' "$*"; }
die()  { printf 'ERROR: %s\n' "$*" >&2; exit 1; }
trap 'rc=$?; printf "ERROR: %s failed (line %s, exit %s). See %s for apt/build output.\n" "${BASH_COMMAND}" "${LINENO}" "$rc" "$LOG" >&2; exit "$rc"' ERR

SUDO=()
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then SUDO=(sudo -n); fi
fi
as_root() { "${SUDO[@]}" "$@"; }

# psql against the test server; extra args are passed through.
pg() {
  PGCONNECT_TIMEOUT=5 PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" "$@"
}

[[ "$PG_MAJOR" =~ ^[0-9]+$ ]] || die "PG_MAJOR must be a number, got '$PG_MAJOR'"
[[ "$SB_TEST_DB" =~ ^[A-Za-z0-9_-]+$ ]] || die "SB_TEST_DB may only contain letters, digits, '_' and '-', got '$SB_TEST_DB'"
[[ -x "${PG_BIN}/postgres" ]] || die "PostgreSQL ${PG_MAJOR} server not installed (${PG_BIN}/postgres missing)"
command -v pg_ctlcluster >/dev/null || die "pg_ctlcluster not found (postgresql-common not installed?)"
command -v psql >/dev/null || die "psql not found"

: >>"$LOG" 2>/dev/null || die "cannot write log file $LOG"

# ---------------------------------------------------------------- server ----
server_ready() { pg_isready -q -h "$PG_HOST" -p "$PG_PORT" -t 2 >/dev/null 2>&1; }

ensure_running() {
  if server_ready; then
    log "PostgreSQL ${PG_MAJOR}/${PG_CLUSTER} is accepting connections on ${PG_HOST}:${PG_PORT}"
    return 0
  fi
  if ! pg_ctlcluster "$PG_MAJOR" "$PG_CLUSTER" status >/dev/null 2>&1; then
    log "Starting PostgreSQL ${PG_MAJOR}/${PG_CLUSTER}"
    as_root pg_ctlcluster --skip-systemctl-redirect "$PG_MAJOR" "$PG_CLUSTER" start >>"$LOG" 2>&1 \
      || die "could not start cluster ${PG_MAJOR}/${PG_CLUSTER}; see $LOG and /var/log/postgresql/postgresql-${PG_MAJOR}-${PG_CLUSTER}.log"
  fi
  log "Waiting (up to ${PG_WAIT_SECS}s) for ${PG_HOST}:${PG_PORT}"
  local deadline=$((SECONDS + PG_WAIT_SECS))
  until server_ready; do
    ((SECONDS < deadline)) || die "PostgreSQL not ready on ${PG_HOST}:${PG_PORT} after ${PG_WAIT_SECS}s (pg_lsclusters: $(pg_lsclusters -h 2>/dev/null | tr '\n' ' '))"
    sleep 1
  done
}

# -------------------------------------------------------------- pgvector ----
vector_available() {
  local sharedir="/usr/share/postgresql/${PG_MAJOR}"
  [[ -x "$PG_CONFIG" ]] && sharedir="$("$PG_CONFIG" --sharedir)"
  [[ -f "${sharedir}/extension/vector.control" ]] && return 0
  server_ready && [[ "$(pg -d postgres -tAc "SELECT 1 FROM pg_available_extensions WHERE name = 'vector'" 2>/dev/null)" == 1 ]]
}

apt_get() {
  as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 "$@" >>"$LOG" 2>&1
}

install_pgvector() {
  [[ $(id -u) -eq 0 || ${#SUDO[@]} -gt 0 ]] || die "pgvector build needs root (or passwordless sudo)"
  local t0=$SECONDS

  local want
  want=$'# Managed by switchboard scripts/setup-postgres.sh: source packages only, no trixie binaries.\nTypes: deb-src\nURIs: http://deb.debian.org/debian\nSuites: trixie\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg'
  if [[ ! -f "$SRC_LIST" || "$(cat "$SRC_LIST")" != "$want" ]]; then
    log "Adding Debian trixie deb-src entry ($SRC_LIST)"
    printf '%s\n' "$want" | as_root tee "$SRC_LIST" >/dev/null
  fi

  log "apt-get update (log: $LOG)"
  apt_get update || die "apt-get update failed; see $LOG"

  log "Installing build dependencies (postgresql-server-dev-${PG_MAJOR}, build-essential)"
  apt_get install -y --no-install-recommends "postgresql-server-dev-${PG_MAJOR}" build-essential \
    || die "installing build dependencies failed; see $LOG"
  [[ -x "$PG_CONFIG" ]] || die "$PG_CONFIG missing after installing postgresql-server-dev-${PG_MAJOR}"

  local work
  work="$(mktemp -d /tmp/switchboard-pgvector.XXXXXX)"
  # shellcheck disable=SC2064
  trap "rm -rf '$work'" EXIT
  mkdir -p "$work/src"
  chmod 755 "$work"
  # let apt's unprivileged _apt user write here (avoids the "unsandboxed" warning)
  if id _apt >/dev/null 2>&1; then as_root chown _apt "$work" 2>/dev/null || true; fi

  log "Downloading pgvector source package (trixie)"
  (cd "$work" && as_root apt-get -o DPkg::Lock::Timeout=300 source --download-only pgvector >>"$LOG" 2>&1) \
    || die "apt-get source pgvector failed; see $LOG"

  local orig
  orig="$(find "$work" -maxdepth 1 -name 'pgvector_*.orig.tar.*' | head -n1)"
  [[ -n "$orig" ]] || die "no pgvector .orig tarball downloaded into $work; see $LOG"
  log "Building $(basename "$orig") against $("$PG_CONFIG" --version)"
  tar -xf "$orig" -C "$work/src" --strip-components=1
  make -C "$work/src" -j"$(nproc)" PG_CONFIG="$PG_CONFIG" >>"$LOG" 2>&1 \
    || die "pgvector build failed; see $LOG"
  as_root make -C "$work/src" PG_CONFIG="$PG_CONFIG" install >>"$LOG" 2>&1 \
    || die "pgvector install failed; see $LOG"

  rm -rf "$work"
  trap - EXIT
  log "pgvector installed in $((SECONDS - t0))s"
}

# ------------------------------------------------------------------ main ----
printf '\n===== %s setup-postgres.sh (PG %s, db %s) =====\n' "$(date -Is)" "$PG_MAJOR" "$SB_TEST_DB" >>"$LOG"

ensure_running

if vector_available; then
  log "pgvector already available; skipping build"
else
  install_pgvector
  vector_available || die "pgvector installed but the vector extension is still not available"
fi

# ------------------------------------------------------------- memory ----
# pgvector's HNSW search is fast only while the index is in shared buffers; Debian's 128MB default holds the index
# of ~15k 1536-dimension vectors. Only the untouched default is changed, so a tuned server is left as it is.
if [[ "$PG_TUNE" == 1 && "$(pg -d postgres -tAc "SHOW shared_buffers")" == "128MB" ]]; then
  mem_mb=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 ))
  want_mb=$(( mem_mb / 4 > 2048 ? 2048 : mem_mb / 4 ))
  if (( want_mb > 128 )); then
    log "Raising shared_buffers to ${want_mb}MB (25% of RAM, at most 2GB; PG_TUNE=0 skips) and restarting"
    pg -d postgres -c "ALTER SYSTEM SET shared_buffers = '${want_mb}MB'" </dev/null
    as_root pg_ctlcluster --skip-systemctl-redirect "$PG_MAJOR" "$PG_CLUSTER" restart >>"$LOG" 2>&1 \
      || die "could not restart cluster ${PG_MAJOR}/${PG_CLUSTER}; see $LOG"
    ensure_running
  fi
fi

log "Ensuring database \"${SB_TEST_DB}\" with extension vector"
pg -d postgres -v db="$SB_TEST_DB" <<'SQL'
SELECT format('CREATE DATABASE %I OWNER postgres', :'db')
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db')
\gexec
SQL
pg -d "$SB_TEST_DB" -c 'CREATE EXTENSION IF NOT EXISTS vector' </dev/null
ver="$(pg -d "$SB_TEST_DB" -tAc "SELECT extversion FROM pg_extension WHERE extname = 'vector'")"
[[ -n "$ver" ]] || die "extension vector not present in database ${SB_TEST_DB}"
log "vector ${ver} enabled in ${SB_TEST_DB}"

echo "DATABASE_URL=postgres://${PG_USER}@${PG_HOST}:${PG_PORT}/${SB_TEST_DB}"
