#!/usr/bin/env bash
# A throwaway PostgreSQL server for tests and CI.
#
#   postgres-server.sh start DIR [PORT]   initdb DIR/data if needed, start on 127.0.0.1:PORT
#                                         (default: a free port), wait until ready, print the URL
#   postgres-server.sh stop DIR           stop it (fast); no error if it is not running
#   postgres-server.sh restart DIR        stop, then start again on the same port; print the URL
#   postgres-server.sh bindir             print the directory of the PostgreSQL binaries
#
# stdout carries exactly one line for start/restart: postgres://postgres@127.0.0.1:PORT/postgres
# Everything else goes to stderr. The server log is DIR/postgres.log, the port is in DIR/port,
# the unix socket lives in DIR/run. Settings favour speed over durability (fsync off, ...):
# never point this at data you care about.
#
# PostgreSQL refuses to run as root: as root, DIR is chowned to the OS user `postgres` and the
# server binaries run through `runuser -u postgres --`.
set -euo pipefail

die() { echo "postgres-server.sh: $*" >&2; exit 1; }

usage() {
  sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

find_bindir() {
  local dir
  if command -v pg_config >/dev/null 2>&1; then
    dir="$(pg_config --bindir 2>/dev/null || true)"
    if [[ -n "$dir" && -x "$dir/initdb" && -x "$dir/pg_ctl" && -x "$dir/postgres" ]]; then
      echo "$dir"; return 0
    fi
  fi
  # Debian/Ubuntu layout: /usr/lib/postgresql/<major>/bin; take the newest major.
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  if [[ -n "$dir" && -x "$dir/initdb" && -x "$dir/pg_ctl" && -x "$dir/postgres" ]]; then
    echo "$dir"; return 0
  fi
  return 1
}

require_bindir() {
  BINDIR="$(find_bindir)" || {
    echo "postgres-server.sh: PostgreSQL server binaries not found" \
      "(neither \`pg_config --bindir\` nor /usr/lib/postgresql/*/bin has initdb, pg_ctl and postgres)." \
      "Install them, e.g. apt-get install -y postgresql" >&2
    exit 3
  }
}

# Run a PostgreSQL binary as a user it accepts: `postgres` when we are root, ourselves otherwise.
# The working directory is DIR so that the unprivileged user can always resolve it.
as_pg() {
  if [[ "$(id -u)" == 0 ]]; then
    (cd "$DIR" && runuser -u postgres -- "$@")
  else
    (cd "$DIR" && "$@")
  fi
}

free_port() {
  if command -v node >/dev/null 2>&1; then
    node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
  elif command -v python3 >/dev/null 2>&1; then
    python3 -c "import socket;s=socket.socket();s.bind(('127.0.0.1',0));print(s.getsockname()[1]);s.close()"
  else
    die "cannot pick a free port (neither node nor python3 found); pass PORT explicitly"
  fi
}

is_running() {
  [[ -f "$DIR/data/postmaster.pid" ]] && as_pg "$BINDIR/pg_ctl" status -D "$DIR/data" >/dev/null 2>&1
}

url_for() { echo "postgres://postgres@127.0.0.1:$1/postgres"; }

cmd_start() {
  local port="${1:-}"
  require_bindir
  mkdir -p "$DIR"
  DIR="$(cd "$DIR" && pwd -P)"
  if [[ "$(id -u)" == 0 ]]; then
    id postgres >/dev/null 2>&1 || die "running as root but there is no OS user 'postgres' to run the server as"
    chown -R postgres: "$DIR"
    runuser -u postgres -- test -x "$DIR" \
      || die "user 'postgres' cannot reach $DIR (a parent directory is not traversable); use a directory under /tmp"
  fi

  if is_running; then
    local running_port
    running_port="$(cat "$DIR/port" 2>/dev/null || true)"
    if [[ -n "$port" && "$port" != "$running_port" ]]; then
      die "a server is already running in $DIR on port ${running_port:-?}, not $port"
    fi
    echo "postgres-server.sh: already running in $DIR" >&2
    url_for "$running_port"
    return 0
  fi

  if [[ ! -f "$DIR/data/PG_VERSION" ]]; then
    local t0=$SECONDS
    as_pg "$BINDIR/initdb" -D "$DIR/data" -U postgres -A trust -E UTF8 --locale=C --no-sync \
      >"$DIR/initdb.log" 2>&1 || { cat "$DIR/initdb.log" >&2; die "initdb failed (log above)"; }
    cat >>"$DIR/data/postgresql.conf" <<EOF

# --- throwaway test server (test/support/postgres-server.sh) ---
listen_addresses = '127.0.0.1'
unix_socket_directories = '$DIR/run'
max_connections = 300
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
    echo "postgres-server.sh: initdb in $((SECONDS - t0)) s" >&2
  fi
  mkdir -p "$DIR/run"
  if [[ "$(id -u)" == 0 ]]; then chown postgres: "$DIR/run"; fi

  [[ -n "$port" ]] || port="$(free_port)"
  [[ "$port" =~ ^[0-9]+$ ]] || die "invalid port: $port"
  echo "$port" >"$DIR/port"

  if ! as_pg "$BINDIR/pg_ctl" start -D "$DIR/data" -l "$DIR/postgres.log" -w -t 60 -o "-p $port" >&2; then
    tail -n 30 "$DIR/postgres.log" >&2 2>/dev/null || true
    die "the server did not start (log: $DIR/postgres.log)"
  fi

  local i
  for ((i = 0; i < 300; i++)); do
    if "$BINDIR/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres; then
      url_for "$port"
      return 0
    fi
    sleep 0.1
  done
  tail -n 30 "$DIR/postgres.log" >&2 2>/dev/null || true
  die "the server started but does not accept connections on 127.0.0.1:$port"
}

cmd_stop() {
  [[ -d "$DIR" ]] || return 0
  DIR="$(cd "$DIR" && pwd -P)"
  [[ -f "$DIR/data/postmaster.pid" ]] || return 0
  require_bindir
  as_pg "$BINDIR/pg_ctl" stop -D "$DIR/data" -m fast -w -t 60 >&2 || true
}

cmd_restart() {
  [[ -f "$DIR/port" ]] || die "no server was started in $DIR (missing $DIR/port)"
  local port
  port="$(cat "$DIR/port")"
  cmd_stop
  cmd_start "$port"
}

[[ $# -ge 1 ]] || usage
COMMAND="$1"; shift
case "$COMMAND" in
  bindir)
    require_bindir; echo "$BINDIR" ;;
  start)
    [[ $# -ge 1 && $# -le 2 ]] || usage
    DIR="$1"; cmd_start "${2:-}" ;;
  stop)
    [[ $# -eq 1 ]] || usage
    DIR="$1"; cmd_stop ;;
  restart)
    [[ $# -eq 1 ]] || usage
    DIR="$1"; cmd_restart ;;
  *) usage ;;
esac
