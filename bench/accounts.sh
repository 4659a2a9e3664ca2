#!/usr/bin/env bash
# Benchmark (not a test) of the accounts hot paths on loopback:
#   * POST /api/v1/auth/login   (bcrypt-bound by design)
#   * GET  /api/v1/me           with 64 connections, after a 60 s warm-up, in three rounds of 20 s (wrk)
#   * the same SQL transaction /me runs, straight at PostgreSQL with pgbench at the same concurrency,
# and prints requests/s, p50/p99 latency and the ratio server/pgbench.
#
# Usage: bench/accounts.sh            (from the repository root; builds the jar if it is missing)
# Env:   BENCH_DB_HOST/PORT/USER (default 127.0.0.1:5432 postgres), BENCH_SECONDS (20), BENCH_CONNECTIONS (64),
#        BENCH_ROUNDS (3; the median round is the one compared with pgbench), BENCH_WARMUP_ROUNDS (6, of 10 s)
set -euo pipefail
cd "$(dirname "$0")/.."

HOST=${BENCH_DB_HOST:-127.0.0.1}
PGPORT_=${BENCH_DB_PORT:-5432}
PGUSER_=${BENCH_DB_USER:-postgres}
DB=sn_bench
SECONDS_=${BENCH_SECONDS:-20}
ROUNDS=${BENCH_ROUNDS:-3}
WARMUP_ROUNDS=${BENCH_WARMUP_ROUNDS:-6}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
JAR=server/target/studio-nexus.jar
WORK=$(mktemp -d /tmp/sn-bench.XXXXXX)

if ! command -v wrk >/dev/null; then
  echo "installing wrk…"
  apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }
fi
PGBENCH=$(command -v pgbench || echo /usr/lib/postgresql/15/bin/pgbench)
[ -f "$JAR" ] || ./mvnw -q -pl server -am package -DskipTests

psql_() { psql -h "$HOST" -p "$PGPORT_" -U "$PGUSER_" -v ON_ERROR_STOP=1 -qAt "$@"; }
psql_ -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
BASE="http://127.0.0.1:$PORT"
STUDIO_PORT=$PORT STUDIO_DB_URL="jdbc:postgresql://$HOST:$PGPORT_/$DB" STUDIO_DB_USER=$PGUSER_ \
  STUDIO_DATA_DIR="$WORK/data" STUDIO_JWT_SECRET="bench-secret-that-is-long-enough-for-hs256-signing" \
  java -jar "$JAR" >"$WORK/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 1 120); do
  curl -fs "$BASE/ready" >/dev/null 2>&1 && break
  kill -0 $SERVER 2>/dev/null || { cat "$WORK/server.log"; exit 1; }
  sleep 0.5
done

EMAIL="bench_$$@example.test"
PASSWORD="Bench-Password-$$-x"
SIGNUP=$(curl -fs -H 'Content-Type: application/json' -d \
  "{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\",\"username\":\"bench_$$\"}" "$BASE/api/v1/auth/signup")
TOKEN=$(jq -r .access_token <<<"$SIGNUP")
USER_ID=$(jq -r .user_id <<<"$SIGNUP")
SESSION_ID=$(jq -r .session_id <<<"$SIGNUP")
curl -fs -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/me" >/dev/null

# wrk prints latency percentiles with --latency; we read 50% and 99% and Requests/sec.
wrk_summary() {
  local label=$1 file=$2
  local rps p50 p99 errors
  rps=$(awk '/^Requests\/sec:/ {print $2}' "$file")
  p50=$(awk '$1=="50%" {print $2}' "$file")
  p99=$(awk '$1=="99%" {print $2}' "$file")
  errors=$(awk '/Non-2xx or 3xx responses:/ {print $5}' "$file")
  printf '%-34s %10s req/s   p50 %8s   p99 %8s   non-2xx %s\n' "$label" "$rps" "$p50" "$p99" "${errors:-0}"
}

# Sign-in is measured on an account of its own. Each sign-in updates the account's auth.users row
# (last_sign_in_at) while other sign-ins' new sessions hold key-share locks on it, so a burst of them leaves a chain of
# row versions whose xmax is a MultiXact; until autovacuum comes by, reads of that row consult the MultiXact SLRU,
# and /me of that same account had three times the p99 (pg_stat_activity: /me waiting on LWLock MultiXact*; gone
# after a VACUUM of auth.users).
curl -fs -H 'Content-Type: application/json' -d \
  "{\"email\":\"signin_$EMAIL\",\"password\":\"$PASSWORD\",\"username\":\"signin_$$\"}" \
  "$BASE/api/v1/auth/signup" >/dev/null
cat >"$WORK/login.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"email":"signin_$EMAIL","password":"$PASSWORD"}'
LUA
echo "sign-in: 4 connections, 10 s (bcrypt cost ${STUDIO_BCRYPT_COST:-10})…"
wrk -t2 -c4 -d10s --latency -s "$WORK/login.lua" "$BASE/api/v1/auth/login" >"$WORK/login.txt"

# CPU ticks: the server process, the database's backends for this database, the machine's steal (time the
# hypervisor gave our two vCPUs to someone else: on a shared host it moves every number here).
cpu_ticks() {
  local server backends=0 p
  server=$(awk '{print $14+$15}' /proc/$SERVER/stat)
  for p in $(pgrep -f "postgres: .*$DB" || true); do
    backends=$((backends + $(awk '{print $14+$15}' /proc/$p/stat 2>/dev/null || echo 0)))
  done
  echo "$server $backends $(awk '/^cpu /{print $9, $2+$3+$4+$5+$6+$7+$8+$9}' /proc/stat)"
}

# Warm-up: a server is measured the way it runs, compiled. With wrk and PostgreSQL keeping both cores busy, the
# JIT's compiler threads get little CPU, and the first 10 s run at about half the steady rate (printed below, so the
# curve is visible, never hidden).
echo "GET /api/v1/me: warming up ($WARMUP_ROUNDS × 10 s, not measured):"
for round in $(seq 1 "$WARMUP_ROUNDS"); do
  printf '  warm-up %d: %s req/s\n' "$round" \
    "$(wrk -t2 -c"$CONNECTIONS" -d10s -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/me" | awk '/^Requests\/sec:/ {print $2}')"
done
echo "GET /api/v1/me: $CONNECTIONS connections, $ROUNDS × ${SECONDS_} s…"
read -r S0 B0 ST0 ALL0 < <(cpu_ticks)
for round in $(seq 1 "$ROUNDS"); do
  wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_}s" --latency -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/me" \
    >"$WORK/me-$round.txt"
done
read -r S1 B1 ST1 ALL1 < <(cpu_ticks)
# the round with the median rate is the one reported; every round is printed
MEDIAN_ROUND=$(for round in $(seq 1 "$ROUNDS"); do
  echo "$(awk '/^Requests\/sec:/ {print $2}' "$WORK/me-$round.txt") $round"; done | sort -n | awk '{r[NR]=$2} END {print r[int((NR+1)/2)]}')
cp "$WORK/me-$MEDIAN_ROUND.txt" "$WORK/me.txt"

# The same transaction /me runs (Db's preamble, then ProfileSql.ME), straight at PostgreSQL, twice:
#  * pipelined, as the server sends it (Db.inOneRoundTrip: both statements before one Sync, one implicit
#    transaction, one round trip), which is the fair comparison;
#  * as an explicit BEGIN … COMMIT (four round trips), for reference.
PREAMBLE="SELECT set_config('role', 'authenticated', true), set_config('request.jwt.claims', '{\"sub\":\"$USER_ID\",\"role\":\"authenticated\",\"session_id\":\"$SESSION_ID\"}', true), set_config('statement_timeout', '30000ms', true);"
ME_SQL="SELECT p.id, p.username, u.email, u.email_confirmed_at, p.full_name, p.avatar_url, p.bio, p.website_url, coalesce(p.preferences->>'profile_public' = 'true', false) AS profile_public, coalesce(p.preferences, '{}'::jsonb) AS preferences, coalesce(p.subscription_tier, 'free') AS subscription_tier, p.subscription_expires_at, coalesce(p.total_projects, 0) AS total_projects, coalesce(p.total_transformations, 0) AS total_transformations, coalesce(p.storage_used_mb, 0) AS storage_used_mb, p.follower_count, p.following_count, p.created_at, p.updated_at, EXISTS (SELECT 1 FROM public.user_roles r WHERE r.user_id = p.id AND r.role = 'admin') AS is_admin FROM public.profiles p JOIN auth.users u ON u.id = p.id WHERE p.id = (SELECT auth.uid());"
printf '%s\n' '\startpipeline' "$PREAMBLE" "$ME_SQL" '\endpipeline' >"$WORK/me-pipelined.sql"
printf '%s\n' 'BEGIN;' "$PREAMBLE" "$ME_SQL" 'COMMIT;' >"$WORK/me-begin-commit.sql"

# pgbench_run <script> <name>: prints "tps p50 p99"
pgbench_run() {
  rm -f "$WORK"/txlog.*
  (cd "$WORK" && "$PGBENCH" -h "$HOST" -p "$PGPORT_" -U "$PGUSER_" -n -M prepared -c "$CONNECTIONS" -j 2 \
    -T "$SECONDS_" -f "$1" -l --log-prefix=txlog "$DB" >"$WORK/$2.txt" 2>&1)
  local tps
  tps=$(awk '/^tps = / {print $3; exit}' "$WORK/$2.txt")
  cat "$WORK"/txlog.* | TPS=$tps python3 -c '
import os, sys
lat = sorted(int(line.split()[2]) for line in sys.stdin if line.strip())
pct = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))] / 1000
tps = float(os.environ["TPS"])
print(f"{tps:.0f} {pct(0.50):.2f}ms {pct(0.99):.2f}ms")'
}
echo "pgbench, same transaction pipelined: $CONNECTIONS clients, ${SECONDS_} s…"
read -r PG_TPS PG_P50 PG_P99 < <(pgbench_run me-pipelined.sql pgbench-pipelined)
# the server holds at most its pool's connections open to PostgreSQL: the same transaction at that concurrency
POOL=${STUDIO_DB_POOL_SIZE:-16}
echo "pgbench, same transaction pipelined: $POOL clients (the server's pool), ${SECONDS_} s…"
read -r PGP_TPS PGP_P50 PGP_P99 < <(CONNECTIONS=$POOL pgbench_run me-pipelined.sql pgbench-pool)
echo "pgbench, same SQL as BEGIN … COMMIT: $CONNECTIONS clients, ${SECONDS_} s…"
read -r PG4_TPS PG4_P50 PG4_P99 < <(pgbench_run me-begin-commit.sql pgbench-begin-commit)

echo
echo "== results (loopback, $(nproc) cores, server pool ${STUDIO_DB_POOL_SIZE:-16}) =="
wrk_summary "POST /api/v1/auth/login (c=4)" "$WORK/login.txt"
for round in $(seq 1 "$ROUNDS"); do
  wrk_summary "GET /api/v1/me (c=$CONNECTIONS) round $round" "$WORK/me-$round.txt"
done
printf '%-34s %10s tx/s    p50 %8s   p99 %8s\n' "pgbench same tx, pipelined (c=$CONNECTIONS)" "$PG_TPS" "$PG_P50" "$PG_P99"
printf '%-34s %10s tx/s    p50 %8s   p99 %8s\n' "pgbench same tx, pipelined (c=$POOL)" "$PGP_TPS" "$PGP_P50" "$PGP_P99"
printf '%-34s %10s tx/s    p50 %8s   p99 %8s\n' "pgbench BEGIN…COMMIT (c=$CONNECTIONS)" "$PG4_TPS" "$PG4_P50" "$PG4_P99"
ME_RPS=$(awk '/^Requests\/sec:/ {print $2}' "$WORK/me.txt")
ME_COUNT=$(cat "$WORK"/me-*.txt | awk '/requests in/ {n += $1} END {print n}')
python3 -c "print(f'ratio server/pgbench (pipelined, c=$CONNECTIONS; median round $MEDIAN_ROUND): {float(\"$ME_RPS\") / float(\"$PG_TPS\"):.2f}')"
python3 -c "
tick = 1000.0 / $(getconf CLK_TCK); n = $ME_COUNT
print(f'GET /me CPU per request: server {($S1 - $S0) * tick / n:.3f} ms, PostgreSQL backends {($B1 - $B0) * tick / n:.3f} ms; '
      f'steal during the run {100.0 * ($ST1 - $ST0) / max(1, $ALL1 - $ALL0):.1f} %')"
psql_ -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)"
