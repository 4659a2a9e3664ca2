#!/usr/bin/env bash
# How long the desk waits for a track's new sound after its effects change (issue 16: within 2 s for a 3-minute
# track): GET …/tracks/{id}/preview of a 3-minute stereo 44.1 kHz take with EQ + reverb + delay, through HTTP from a
# real server (the time to the first byte and to the last, and the size), then the same asked again with its ETag
# (304, nothing rendered). The first request pays the JIT's compilation; the median of the next five is the steady
# state. The browser then decodes the WAV (decodeAudioData of 16-bit PCM: tens of ms) and swaps it in.
# Usage: bench/track-preview.sh [seconds=180] [jar]   (needs PostgreSQL on 127.0.0.1:5432, sox, curl, jq)
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_OF_AUDIO=${1:-180}
JAR=${2:-server/target/studio-nexus.jar}
PORT=${PORT:-18093}
DB=sn_bench_preview
WORK=$(mktemp -d)
[ -f "$JAR" ] || ./mvnw -q -o -DskipTests package
psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
STUDIO_PORT=$PORT STUDIO_LOG_LEVEL=WARN STUDIO_DB_URL=jdbc:postgresql://127.0.0.1:5432/$DB STUDIO_DB_USER=postgres \
  STUDIO_DATA_DIR="$WORK/data" STUDIO_WORKERS=0 java -jar "$JAR" > "$WORK/server.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true; rm -rf "$WORK"' EXIT
for _ in $(seq 1 120); do curl -sf "localhost:$PORT/ready" >/dev/null && break; sleep 0.5; done
API="http://localhost:$PORT/api/v1"
curl -sf -X POST "$API/auth/signup" -H 'content-type: application/json' \
  -d '{"email":"preview@example.com","password":"Tr0ub4dor&3x!","username":"preview_bench"}' >/dev/null
TOKEN=$(curl -sf -X POST "$API/auth/login" -H 'content-type: application/json' \
  -d '{"email":"preview@example.com","password":"Tr0ub4dor&3x!"}' | jq -r .access_token)
AUTH=(-H "Authorization: Bearer $TOKEN")
PROJECT=$(curl -sf -X POST "$API/projects" "${AUTH[@]}" -H 'content-type: application/json' \
  -d '{"title":"Preview bench"}' | jq -r .id)
sox -n -r 44100 -c 2 -b 16 "$WORK/take.wav" synth "$SECONDS_OF_AUDIO" sine 110-220 pinknoise vol 0.3
curl -sf -X PUT "$API/projects/$PROJECT/audio" "${AUTH[@]}" -H 'content-type: audio/wav' \
  --data-binary @"$WORK/take.wav" >/dev/null
TRACK=$(curl -sf "$API/projects/$PROJECT/arrangement" "${AUTH[@]}" | jq -r '.tracks[0].id')
curl -sf -X PATCH "$API/projects/$PROJECT/tracks/$TRACK" "${AUTH[@]}" -H 'content-type: application/json' -d '{
  "effects_chain": [
    {"type": "equalizer", "settings": {"low": 1.2, "mid": 0.9, "high": 1.1}},
    {"type": "reverb", "settings": {"room_size": 0.5, "damping": 0.5, "wet_level": 0.2}},
    {"type": "delay", "settings": {"time": 0.375, "feedback": 0.3, "mix": 0.2}}]}' >/dev/null
PREVIEW="$API/projects/$PROJECT/tracks/$TRACK/preview"
echo "== preview of a ${SECONDS_OF_AUDIO} s stereo track, EQ + reverb + delay (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
printf '%-10s %12s %10s %12s\n' run "first byte s" "total s" "bytes"
for run in cold 1 2 3 4 5; do
  curl -sf -o /dev/null "${AUTH[@]}" -w "$run %{time_starttransfer} %{time_total} %{size_download}\n" "$PREVIEW"
done | tee "$WORK/runs.txt" | awk '{printf "%-10s %12.3f %10.3f %12d\n", $1, $2, $3, $4}'
awk '$1 != "cold" {print $3}' "$WORK/runs.txt" | sort -n | awk '{a[NR]=$1} END {printf "median of the warm runs: %.3f s\n", a[int((NR+1)/2)]}'
ETAG=$(curl -sf -o /dev/null -D - "${AUTH[@]}" "$PREVIEW" | awk 'tolower($1)=="etag:" {print $2}' | tr -d '\r')
curl -s -o /dev/null "${AUTH[@]}" -H "If-None-Match: $ETAG" -w "again with its ETag: %{http_code} in %{time_total} s\n" "$PREVIEW"
