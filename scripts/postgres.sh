#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests, from Debian's packages (scripts/setup.sh
# installs them): `scripts/postgres.sh start DIR` makes a cluster in DIR listening only
# on 127.0.0.1 at a free port, prints its base URL (postgres://rc@127.0.0.1:PORT), and
# `scripts/postgres.sh stop DIR` stops it. PostgreSQL refuses to run as root: as root
# the cluster belongs to the unprivileged `postgres` user. Trust authentication, on
# loopback only, for a cluster that lives as long as one test run.
set -euo pipefail
command="${1:?start DIR or stop DIR}"
dir="${2:?a directory}"
bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
[ -x "$bin/initdb" ] || { echo "postgres.sh: no PostgreSQL in /usr/lib/postgresql (run scripts/setup.sh)" >&2; exit 1; }
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case "$command" in
  start)
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres "$dir"
    port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    as_owner "$bin/initdb" -D "$dir/data" -U rc -A trust --no-sync -E UTF8 >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=300" start >/dev/null \
      || { cat "$dir/server.log" >&2; exit 1; }
    echo "postgres://rc@127.0.0.1:$port"
    ;;
  stop)
    [ -d "$dir/data" ] && as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    ;;
  *) echo "postgres.sh: start DIR or stop DIR" >&2; exit 2 ;;
esac
