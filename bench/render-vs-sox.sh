#!/usr/bin/env bash
# Compares Studio Nexus' renderer with sox on the seed presets, and measures waveform and decoder speed.
# Usage: bench/render-vs-sox.sh [seconds=180]. Needs sox (+ flac, lame, oggenc for the decoder rows).
# Numbers are CPU seconds of the rendering thread/process on one core; JVM start-up is excluded
# (the Java side warms up in-process first). Runs in about 2-4 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_OF_AUDIO="${1:-180}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

echo "== building test classes"
# The audio module's "bench" profile writes the test classpath; -Dtest=NONE compiles without running tests.
./mvnw -q -pl audio test -Pbench -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false
CP="audio/target/test-classes:audio/target/classes:$(cat audio/target/bench-classpath.txt)"

echo "== generating ${SECONDS_OF_AUDIO} s of stereo 44.1 kHz 16-bit audio (sweep + pink noise) with sox"
sox -n -r 44100 -c 2 -b 16 "$WORK/in.wav" synth "$SECONDS_OF_AUDIO" sine 110-1760 pinknoise vol 0.5
command -v flac >/dev/null && flac -s -f -o "$WORK/in.flac" "$WORK/in.wav"
command -v lame >/dev/null && lame --quiet -b 192 "$WORK/in.wav" "$WORK/in.mp3"
command -v oggenc >/dev/null && oggenc -Q -q 5 -o "$WORK/in.ogg" "$WORK/in.wav"

# sox equivalents of the seed chains. EQ: low shelf 250 Hz x1.2 = +1.58 dB, high shelf 4 kHz x1.1 = +0.83 dB.
# Reverb: sox's reverb is also Freeverb-based (reverberance ~ room_size, HF damping ~ damping).
# Delay 0.5 s feedback 0.3 mix 0.5: sox "echos" (recirculating echoes) with one 500 ms tap.
SOX_VOCAL=(bass +1.58 250 treble +0.83 4000 reverb 30 50)
SOX_AMBIENT=(reverb 80 20 echos 0.5 1 500 0.3)
cpu_of() { # prints user+sys CPU seconds of the command
  local TIMEFORMAT='%3U %3S'
  { time "$@" >/dev/null 2>&1 ; } 2>&1 | awk '{print $1 + $2}'
}
echo "== sox in.wav out.wav ${SOX_VOCAL[*]}"
SOX_VOCAL_CPU=$(cpu_of sox "$WORK/in.wav" "$WORK/sox-vocal.wav" "${SOX_VOCAL[@]}")
echo "== sox in.wav out.wav ${SOX_AMBIENT[*]}"
SOX_AMBIENT_CPU=$(cpu_of sox "$WORK/in.wav" "$WORK/sox-ambient.wav" "${SOX_AMBIENT[@]}")

echo "== Studio Nexus (in-process, after warm-up)"
java -cp "$CP" studio.nexus.audio.bench.RenderBenchmark suite "$WORK" "$SOX_VOCAL_CPU" "$SOX_AMBIENT_CPU"

echo
echo "== 60-minute render with -Xmx256m (source generated on the fly, nothing on disk)"
java -Xmx256m -cp "$CP" studio.nexus.audio.bench.RenderBenchmark long 60
