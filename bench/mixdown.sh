#!/usr/bin/env bash
# Mixdown speed and memory of the multitrack mixer (issue 16's aims: 8 stereo tracks x 3 min, each with
# EQ + reverb + delay, plus a master chain, at least 50x realtime on one core; 16 tracks x 60 min within -Xmx256m).
# Usage: bench/mixdown.sh [seconds=180] [minutes=60]. Needs sox. The song's takes are WAV files decoded as a job
# does; the mix goes through the master meter and the safety limiter into a 16-bit WAV. CPU seconds are the mixing
# thread's (JVM start-up excluded); the first run pays the JIT's compilation, the median of three more is the
# steady state. "p99 block ms" is the 99th percentile of the wall time between two 1024-frame blocks reaching the
# file (23.2 ms of music each). The hour-long mix uses generated takes (nothing stored) under -Xmx256m.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_OF_AUDIO="${1:-180}"
MINUTES="${2:-60}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

./mvnw -q -pl audio test -Pbench -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false
CP="audio/target/test-classes:audio/target/classes:$(cat audio/target/bench-classpath.txt)"

echo "== 8 stereo takes of ${SECONDS_OF_AUDIO} s (44.1 kHz 16-bit), generated with sox"
for i in 0 1 2 3 4 5 6 7; do
  sox -n -r 44100 -c 2 -b 16 "$WORK/take$i.wav" synth "$SECONDS_OF_AUDIO" sine $((110 * (i + 1)))-$((220 * (i + 1))) \
    pinknoise vol 0.3
done
# track 0's music again, recorded at 48 kHz: one track of it is mixed into the 44.1 kHz song (converted as it plays)
sox -n -r 48000 -c 2 -b 16 "$WORK/take48k.wav" synth "$SECONDS_OF_AUDIO" sine 110-220 pinknoise vol 0.3
java -Xmx256m -cp "$CP" studio.nexus.audio.bench.MixdownBenchmark song "$WORK"
echo "== 16 tracks x ${MINUTES} min, -Xmx256m"
java -Xmx256m -cp "$CP" studio.nexus.audio.bench.MixdownBenchmark long "$MINUTES"
