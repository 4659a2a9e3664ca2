#!/usr/bin/env bash
# Explore at scale: 100 000 public projects, then
#  1. EXPLAIN ANALYZE of the explore query the server runs (tag filter, popular sort, first page, as `anon` under RLS);
#  2. GET /api/v1/explore under concurrent load (wrk) against the real server.
# Usage: bench/explore.sh            (builds the jar if missing; needs PostgreSQL on 127.0.0.1:5432)
set -euo pipefail
cd "$(dirname "$0")/.."
PG="psql -h 127.0.0.1 -U postgres -v ON_ERROR_STOP=1 -q"
DB=sn_bench_explore
PORT=${PORT:-18081}
ROWS=${ROWS:-100000}
[ -f server/target/studio-nexus.jar ] || ./mvnw -q -DskipTests package
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }

$PG -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
STUDIO_DB_URL="jdbc:postgresql://127.0.0.1:5432/$DB" STUDIO_DB_USER=postgres \
  java -jar server/target/studio-nexus.jar migrate >/dev/null

echo "== seeding $ROWS public projects by 1000 makers, 200 tags, Zipf-ish likes"
$PG -d $DB <<SQL
INSERT INTO auth.users (id, email)
SELECT ('00000000-0000-4000-8000-' || lpad(g::text, 12, '0'))::uuid, 'maker' || g || '@bench.test'
FROM generate_series(1, 1000) g;
INSERT INTO public.profiles (id, username, preferences)
SELECT id, 'maker' || row_number() OVER (ORDER BY id), '{"profile_public": true}' FROM auth.users;
INSERT INTO public.projects (user_id, title, description, genre, tags, is_public, like_count, created_at)
SELECT ('00000000-0000-4000-8000-' || lpad((1 + g % 1000)::text, 12, '0'))::uuid,
       'Track ' || g, 'A bench project number ' || g,
       (ARRAY['rock', 'jazz', 'folk', 'electronic', 'classical'])[1 + g % 5],
       ARRAY['tag' || (g % 200), 'tag' || ((g * 7) % 200), 'tag' || ((g * 13) % 200)],
       true, floor(1000 / (1 + random() * 99))::int, now() - (g || ' seconds')::interval
FROM generate_series(1, $ROWS) g;
VACUUM ANALYZE;
SQL

QUERY="WITH page AS (SELECT p.id, p.like_count, p.created_at FROM public.projects p
  WHERE p.is_public AND p.tags @> CAST(ARRAY['tag42'] AS text[])
  ORDER BY p.like_count DESC, p.created_at DESC, p.id DESC LIMIT 21)
SELECT p.id, p.user_id, public.username_of(p.user_id) AS owner_username, p.title, p.description, p.genre,
  p.tags, p.original_audio_path, p.processed_audio_path, p.duration_seconds, p.sample_rate, p.effects_settings,
  p.metronome_bpm, p.project_settings, p.status, p.is_public, p.is_featured, p.play_count, p.like_count,
  p.download_count, p.created_at, p.updated_at, p.last_played_at,
  CASE WHEN (SELECT auth.uid()) IS NULL THEN NULL ELSE public.project_access(p.id) END AS my_role,
  EXISTS (SELECT 1 FROM public.project_likes l WHERE l.project_id = p.id AND l.user_id = (SELECT auth.uid())) AS liked_by_me
FROM page JOIN public.projects p ON p.id = page.id
ORDER BY page.like_count DESC, page.created_at DESC, page.id DESC"

echo "== EXPLAIN ANALYZE, as anon under RLS (tag filter, popular sort, first page)"
$PG -d $DB <<SQL
BEGIN;
SELECT set_config('role', 'anon', true), set_config('request.jwt.claims', '{"role":"anon"}', true) \gset
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) $QUERY;
COMMIT;
SQL

echo "== GET /api/v1/explore under load (wrk, 30 s, 32 connections)"
STUDIO_PORT=$PORT STUDIO_DB_URL="jdbc:postgresql://127.0.0.1:5432/$DB" STUDIO_DB_USER=postgres STUDIO_RATE_LIMIT_ANON_PER_MINUTE=0 \
  STUDIO_LOG_LEVEL=WARN java -jar server/target/studio-nexus.jar > /tmp/sn-bench-explore.log 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$PORT/ready" >/dev/null && break; sleep 1; done
curl -s "http://127.0.0.1:$PORT/api/v1/explore?tag=tag42&sort=popular&limit=20" | head -c 300 || true; echo
wrk -t2 -c32 -d10s --latency "http://127.0.0.1:$PORT/api/v1/explore?tag=tag42&sort=popular&limit=20" >/dev/null
wrk -t2 -c32 -d30s --latency "http://127.0.0.1:$PORT/api/v1/explore?tag=tag42&sort=popular&limit=20" | sed "s/^/  /"
curl -s -o /dev/null -w "status of a request after the run: %{http_code}\n" "http://127.0.0.1:$PORT/api/v1/explore?tag=tag42&sort=popular&limit=20"
