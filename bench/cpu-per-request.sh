#!/usr/bin/env bash
# Server CPU time per request, by endpoint: less sensitive to other load on the machine than requests/s, so it is
# the number to compare when changing the request path (it excludes PostgreSQL's own CPU).
# Usage: bench/cpu-per-request.sh [jar]      (default server/target/studio-nexus.jar; needs PostgreSQL and wrk)
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=${1:-server/target/studio-nexus.jar}
PORT=${PORT:-18091}
DB=sn_bench_cpu
[ -f "$JAR" ] || ./mvnw -q -DskipTests package
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
STUDIO_PORT=$PORT STUDIO_LOG_LEVEL=WARN STUDIO_DB_URL=jdbc:postgresql://127.0.0.1:5432/$DB STUDIO_DB_USER=postgres \
  STUDIO_DATA_DIR=$(mktemp -d) STUDIO_RATE_LIMIT_ANON_PER_MINUTE=0 STUDIO_RATE_LIMIT_WRITES_PER_MINUTE=0 \
  java -jar "$JAR" > /tmp/sn-cpu-server.log 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do curl -sf "localhost:$PORT/ready" >/dev/null && break; sleep 0.5; done
curl -s -X POST "localhost:$PORT/api/v1/auth/signup" -H 'content-type: application/json' \
  -d '{"email":"cpu@example.com","password":"Tr0ub4dor&3x!","username":"cpu_bench"}' >/dev/null
TOKEN=$(curl -s -X POST "localhost:$PORT/api/v1/auth/login" -H 'content-type: application/json' \
  -d '{"email":"cpu@example.com","password":"Tr0ub4dor&3x!"}' | python3 -c "import sys,json;print(json.load(sys.stdin)['access_token'])")
TICKS=$(getconf CLK_TCK)
ENDPOINTS=("/health|" "/api/v1/no-such-route|auth" "/api/v1/explore?limit=1|" "/api/v1/me|auth" "/api/v1/usage|auth")
# The JIT needs about a minute of load on these two busy cores before the shared path (Jetty, Javalin, auth,
# JDBC) is compiled; first-minute numbers are two to three times the steady ones.
# wrk_at "<path>|<auth or empty>" <seconds>: load one endpoint, signed in when asked
wrk_at() {
  local path=${1%|*} auth=${1#*|} seconds=$2
  local headers=()
  [ -n "$auth" ] && headers=(-H "Authorization: Bearer $TOKEN")
  wrk -t2 -c16 -d"${seconds}s" "${headers[@]}" "http://localhost:$PORT$path"
}
echo "warming up: every endpoint for 12 s…"
for spec in "${ENDPOINTS[@]}"; do wrk_at "$spec" 12 > /dev/null; done
for spec in "${ENDPOINTS[@]}"; do
  path=${spec%|*}
  wrk_at "$spec" 5 > /dev/null
  before=$(awk '{print $14+$15}' /proc/$PID/stat)
  count=$(wrk_at "$spec" 10 | awk '/requests in/{print $1}')
  after=$(awk '{print $14+$15}' /proc/$PID/stat)
  python3 -c "print('%-28s %8d requests  %.3f ms server CPU per request' % ('$path', $count, ($after-$before)*1000.0/$TICKS/$count))"
done
