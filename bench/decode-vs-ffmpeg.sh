#!/usr/bin/env bash
# Decode speed of every upload format beside ffmpeg decoding the same file on one thread (issue 14's speed aim:
# at least half of ffmpeg's speed per CPU second; WAV at least 5,000x realtime).
# Usage: bench/decode-vs-ffmpeg.sh [seconds=180]. Needs sox and ffmpeg (+ flac, lame, oggenc). Prints CPU seconds:
# ffmpeg's as the median of three runs of `ffmpeg -threads 1 … -f null -` (process user+sys) less the median of an
# ffmpeg that decodes nothing (its start-up, ~0.06 s here); ours in-process (ThreadMXBean): "cold" is the first whole
# decode in a fresh JVM (JIT compilation included), "warm" the median of five after two more (a server's steady
# state). About 4 minutes on 2 cores; run it on an idle machine, both sides swing with load.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_OF_AUDIO="${1:-180}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

./mvnw -q -pl audio test -Pbench -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false
CP="audio/target/test-classes:audio/target/classes:$(cat audio/target/bench-classpath.txt)"

echo "== ${SECONDS_OF_AUDIO} s of stereo 44.1 kHz 16-bit audio (sweep + pink noise), encoded by the usual tools"
sox -n -r 44100 -c 2 -b 16 "$WORK/in.wav" synth "$SECONDS_OF_AUDIO" sine 110-1760 pinknoise vol 0.5
flac -s -f -o "$WORK/in.flac" "$WORK/in.wav"
lame --quiet -b 192 "$WORK/in.wav" "$WORK/in.mp3"
oggenc -Q -q 5 -o "$WORK/in.ogg" "$WORK/in.wav"
# formats phones and messengers bring, where this ffmpeg has the encoder
# AAC without noise substitution, as in the earlier runs (so figures compare); PNS files decode at the same speed
ffmpeg -v error -i "$WORK/in.wav" -c:a aac -aac_pns 0 -b:a 192k "$WORK/in.m4a" || true
ffmpeg -v error -i "$WORK/in.wav" -c:a libopus -b:a 128k "$WORK/in.opus" || true
ffmpeg -v error -i "$WORK/in.wav" -c:a alac "$WORK/alac.m4a" && mv "$WORK/alac.m4a" "$WORK/in.alac.m4a" || true

cpu_of() { # user+sys CPU seconds of one run
  local TIMEFORMAT='%3U %3S'
  { time "$@" >/dev/null 2>&1 ; } 2>&1 | awk '{print $1 + $2}'
}
median_cpu() {
  printf '%s\n' "$(cpu_of "$@")" "$(cpu_of "$@")" "$(cpu_of "$@")" | sort -n | sed -n 2p
}
START=$(median_cpu ffmpeg -threads 1 -v error -f lavfi -i anullsrc=r=44100:cl=stereo -t 0.01 -f null -)
echo "ffmpeg start-up (subtracted): $START CPU s"
ARGS=()
for ext in wav flac mp3 ogg m4a opus alac.m4a; do
  [ -f "$WORK/in.$ext" ] || continue
  CPU=$(median_cpu ffmpeg -threads 1 -v error -i "$WORK/in.$ext" -f null -)
  ARGS+=("$ext=$(awk -v a="$CPU" -v b="$START" 'BEGIN { d = a - b; printf "%.3f", (d < 0.001 ? 0.001 : d) }')")
done
java -cp "$CP" studio.nexus.audio.bench.RenderBenchmark decode "$WORK" "${ARGS[@]}"
