#!/usr/bin/env bash
# Warm before ready: the first decisions after start and after an activation, with the service's
# warm-up off and at its defaults, each configuration in a JVM of its own (the JIT's state is the
# process's), run alternately so load from other work falls on both alike.
#
#   mvn -B -pl benchmarks -am package -DskipTests
#   benchmarks/warmup.sh [pairs] [window] [steady] [start decisions] [activation decisions]
#
# Defaults: 2 pairs, a window of 5,000 decisions, 200,000 decisions before the warm reference
# window, and the service's defaults (200,000 at start, 20,000 on activation). See
# docs/benchmarks.md, "Warm before ready".
set -euo pipefail
cd "$(dirname "$0")/.."
jar=benchmarks/target/benchmarks.jar
pairs=${1:-2}
window=${2:-5000}
steady=${3:-200000}
start=${4:-200000}
activation=${5:-20000}
[ -f "$jar" ] || { echo "build it first: mvn -B -pl benchmarks -am package -DskipTests" >&2; exit 2; }
echo "machine: $(nproc) cores, $(uptime | sed 's/.*load average/load average/')"
for i in $(seq "$pairs"); do
  java -cp "$jar" io.nextbest.api.WarmUpProbe 0 0 "$window" "$steady"
  java -cp "$jar" io.nextbest.api.WarmUpProbe "$start" "$activation" "$window" "$steady"
done
echo "machine after: $(uptime | sed 's/.*load average/load average/')"
