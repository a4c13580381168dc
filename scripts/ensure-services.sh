#!/usr/bin/env bash
# Makes sure Postgres and Redis answer; starts the machine's own servers when they are down.
# Used by `make test`, `make start` and CI. Points at DATABASE_URL / REDIS_URL when set.
set -u
# Without DATABASE_URL Fixline runs on the embedded PGlite (make start, make demo): no Postgres server needed.
need_pg=${DATABASE_URL:+yes}
db_url="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
redis_url="${REDIS_URL:-redis://127.0.0.1:6379}"

pg_ok() { pg_isready -q -d "$db_url" 2>/dev/null || (command -v psql >/dev/null && psql "$db_url" -Atc 'select 1' >/dev/null 2>&1); }
redis_ok() { redis-cli -u "$redis_url" ping 2>/dev/null | grep -q PONG; }

if [ -n "$need_pg" ] && ! pg_ok; then
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    echo "services: Postgres is down; starting the local cluster" >&2
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
    for _ in $(seq 1 30); do pg_ok && break; sleep 1; done
  fi
fi
if ! redis_ok; then
  if command -v redis-server >/dev/null 2>&1; then
    echo "services: Redis is down; starting a local redis-server" >&2
    mkdir -p /var/lib/redis 2>/dev/null || true
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis >/dev/null || true
    for _ in $(seq 1 30); do redis_ok && break; sleep 1; done
  fi
fi

status=0
[ -z "$need_pg" ] || pg_ok || { echo "services: Postgres is not reachable at $db_url. Start it (pg_ctlcluster ... main start) or set DATABASE_URL." >&2; status=1; }
redis_ok || { echo "services: Redis is not reachable at $redis_url. Start redis-server or set REDIS_URL." >&2; status=1; }
exit $status
