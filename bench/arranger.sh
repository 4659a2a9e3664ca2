#!/usr/bin/env bash
# The local AI arranger on a 60-second synthetic vocal: realtime factor per style (target >= 10x on one core).
# Usage: bench/arranger.sh   (builds the audio module's test classes first)
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -o -pl audio test-compile
cp=$(./mvnw -q -o -pl audio dependency:build-classpath -Dmdep.outputFile=/dev/stdout -Dmdep.includeScope=test)
exec taskset -c 0 java --add-exports java.desktop/com.sun.media.sound=ALL-UNNAMED -Djava.awt.headless=true \
  -cp "audio/target/classes:audio/target/test-classes:$cp" studio.nexus.audio.bench.ArrangerBenchmark
