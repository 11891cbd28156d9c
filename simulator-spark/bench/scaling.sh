#!/usr/bin/env bash
# Scaling of the Spark job against the single-JVM simulator on this machine: populations made by
# replicating the bundled Telco rows (7,043 customers) under new ids, the same what-if (baseline vs
# candidate with two overrides, no journeys), Spark local[1] and local[2] against the simulator
# with 1 and 2 threads. Prints one line per run; the figures are the decision rates run.json reports.
#
#   mvn -B -q -pl simulator,simulator-spark -am package -DskipTests
#   simulator-spark/bench/scaling.sh 10000 100000 1000000
#   CORES=2 simulator-spark/bench/scaling.sh 1000000      # only the 2-core pair (default: "1 2")
#
# Runs go through simulator-spark/bench/spark-submit.sh: $SPARK_HOME/bin/spark-submit with SPARK_HOME
# set (a Spark 4.0.x distribution), otherwise org.apache.spark.deploy.SparkSubmit (what spark-submit
# runs) on Spark's own dependency set, resolved by Maven into $WORK/spark-cp.txt.
set -euo pipefail
cd "$(dirname "$0")/../.."
WORK="${WORK:-$(mktemp -d -t nba-spark-bench.XXXXXX)}"
mkdir -p "$WORK"
JOB=simulator-spark/target/nba-simulator-spark.jar
SIM=simulator/target/nba-simulator.jar
TELCO=simulator/src/main/resources/populations/WA_Fn-UseC_-Telco-Customer-Churn.csv
WHAT_IF=(--mapping telco-churn --set experience.threshold=65 --set lever.GROWTH=0.5 --seed 7)
[ -f "$JOB" ] && [ -f "$SIM" ] || { echo "build first: mvn -B -q -pl simulator,simulator-spark -am package -DskipTests" >&2; exit 2; }

submit() { # spark-submit, or SparkSubmit on Spark's own dependency set (see spark-submit.sh)
  SPARK_CP="$WORK/spark-cp.txt" simulator-spark/bench/spark-submit.sh "$@"
}

population() {
  local n=$1 out="$WORK/telco-$1.csv"
  [ -f "$out" ] || awk -F, -v n="$n" 'NR == 1 { print; next } { rows[++c] = $0 }
    END { for (i = 0; i < n; i++) { r = rows[i % c + 1]; k = int(i / c); if (k > 0) sub(/^[^,]*/, "&-" k, r); print r } }' "$TELCO" > "$out"
  echo "$out"
}

rate() { # decisions/s and customers from run.json
  python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print("%d customers, %d decisions, %.1f s, %.0f decisions/s" % (r["customers"], r["decisions"], float(r["elapsed"].rstrip("S").replace("PT","")) if isinstance(r["elapsed"], str) else r["elapsed"], r["decisionsPerSecond"]))' "$1/run.json"
}

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
for n in "$@"; do
  pop=$(population "$n")
  for cores in ${CORES:-1 2}; do
    out="$WORK/spark-$n-$cores"
    submit --master "local[$cores]" --conf spark.ui.enabled=false --driver-memory 3g \
      --class io.nextbest.simulator.spark.SparkSimulation "$JOB" --population "$pop" "${WHAT_IF[@]}" --report "$out" > "$out.log" 2>&1 \
      || { echo "spark local[$cores] $n failed:"; tail -20 "$out.log"; exit 1; }
    echo "spark   local[$cores] n=$n: $(rate "$out"); $(grep -o 'executor compile: [0-9.]* s' "$out.log")"
    out="$WORK/single-$n-$cores"
    java -Xmx3g -jar "$SIM" --population "$pop" "${WHAT_IF[@]}" --threads "$cores" --no-progress --report "$out" > "$out.log" 2>&1 \
      || { echo "single threads=$cores $n failed:"; tail -20 "$out.log"; exit 1; }
    echo "single threads=$cores n=$n: $(rate "$out")"
    cmp -s "$WORK/spark-$n-$cores/customers.csv" "$out/customers.csv" && echo "  customers.csv identical" || echo "  customers.csv DIFFERS"
  done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
