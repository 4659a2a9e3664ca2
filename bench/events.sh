#!/usr/bin/env bash
# Analytics ingestion: POST /api/v1/events with a fixed batch of 100 events from 16 concurrent clients (wrk -c16)
# against the real server (built jar) over a scratch database. Reports events per second = requests/s × 100.
# Rate limits are raised for the run (the limiter still runs: every request bumps its counters in PostgreSQL).
# Usage: bench/events.sh            (builds the jar if missing; needs PostgreSQL on 127.0.0.1:5432)
#        DURATION=30s ANON=1 bench/events.sh   (ANON=1: anonymous clients instead of one signed-in user)
set -euo pipefail
cd "$(dirname "$0")/.."
PG="psql -h 127.0.0.1 -U postgres -v ON_ERROR_STOP=1 -q"
DB=sn_bench_events
PORT=${PORT:-18082}
DURATION=${DURATION:-30s}
[ -f server/target/studio-nexus.jar ] || ./mvnw -q -DskipTests package
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }

$PG -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
export STUDIO_DB_URL="jdbc:postgresql://127.0.0.1:5432/$DB" STUDIO_DB_USER=postgres
export STUDIO_PORT=$PORT STUDIO_LOG_LEVEL=WARN STUDIO_DATA_DIR=$(mktemp -d)
export STUDIO_RATE_LIMIT_ANON_PER_MINUTE=10000000 STUDIO_RATE_LIMIT_WRITES_PER_MINUTE=10000000
export STUDIO_RATE_LIMIT_EVENTS_PER_MINUTE=10000000
export STUDIO_METRICS_TOKEN=bench-metrics-token
java -jar server/target/studio-nexus.jar > /tmp/sn-bench-events.log 2>&1 &
SERVER=$!
LUA=$(mktemp --suffix=.lua)
trap 'kill $SERVER 2>/dev/null || true; rm -f $LUA' EXIT
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$PORT/ready" >/dev/null && break; sleep 1; done

AUTH=""
if [ "${ANON:-0}" != "1" ]; then
  TOKEN=$(curl -sS --fail-with-body -H 'Content-Type: application/json' "http://127.0.0.1:$PORT/api/v1/auth/signup" \
    -d '{"email":"bench@bench.test","password":"Bench-Password-2024!","username":"bencher"}' \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
  AUTH="Bearer $TOKEN"
fi

# A fixed batch of 100 realistic events (~30 KB).
BODY=$(python3 - <<'PY'
import json
events = [{"event_type": ["page_view", "play", "effect_changed", "export_clicked"][i % 4],
           "event_category": ["navigation", "audio", "audio", "export"][i % 4],
           "event_properties": {"project": "00000000-0000-4000-8000-%012d" % i, "position_ms": i * 1000,
                                "effect": "reverb", "wet": 0.35},
           "page_url": "https://studio.example/projects/%d" % i, "referrer": "https://studio.example/",
           "session_id": "bench-session-%d" % (i % 16)} for i in range(100)]
print(json.dumps({"events": events}, separators=(",", ":")))
PY
)
python3 - "$LUA" "$BODY" "$AUTH" <<'PY'
import sys
path, body, auth = sys.argv[1], sys.argv[2], sys.argv[3]
lua = ['wrk.method = "POST"', 'wrk.headers["Content-Type"] = "application/json"']
if auth:
    lua.append('wrk.headers["Authorization"] = "%s"' % auth)
lua.append('wrk.body = [==[%s]==]' % body)
lua.append('''done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  io.write(string.format("batches/s: %.0f   events/s: %.0f   non-2xx: %d\\n",
    summary.requests / seconds, summary.requests * 100 / seconds, summary.errors.status))
end''')
open(path, "w").write("\n".join(lua) + "\n")
PY
echo "== one batch: $(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' ${AUTH:+-H "Authorization: $AUTH"} --data "$BODY" "http://127.0.0.1:$PORT/api/v1/events") ($(echo -n "$BODY" | wc -c) bytes)"
echo "== warm-up (10 s)"
wrk -t2 -c16 -d10s -s "$LUA" "http://127.0.0.1:$PORT/api/v1/events" >/dev/null
echo "== POST /api/v1/events, 100 events a batch, 16 connections, $DURATION"
wrk -t2 -c16 -d"$DURATION" --latency -s "$LUA" "http://127.0.0.1:$PORT/api/v1/events"
echo "== stored events and the rate limiter's cost"
$PG -d $DB -c "SELECT count(*) AS events, count(DISTINCT tableoid) AS partitions FROM public.analytics_events"
curl -s -H "Authorization: Bearer $STUDIO_METRICS_TOKEN" "http://127.0.0.1:$PORT/metrics" | grep -E '^rate_limit_check_seconds_(count|sum)|^http_server_requests_seconds_(count|sum)\{.*route="/api/v1/events"' || true
