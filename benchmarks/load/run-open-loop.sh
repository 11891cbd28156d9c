#!/usr/bin/env bash
# Open-loop load of POST /v1/decisions against one runnable jar, or two side by side, on this
# machine's loopback only (issue 16, items 7 and 8). For each run: start the jar on a fresh data
# directory, warm it by a COUNT of decisions (closed loop), reporting the CPU of its C1/C2 JIT
# compiler threads; then fixed rates (open loop: latency from each request's intended send time),
# then the closed-loop maximum, each with the server's CPU µs per decision from /proc/<pid>/stat
# and the machine's load average (/proc/loadavg). The client is io.nextbest.benchmarks.OpenLoopLoad
# in benchmarks/target/benchmarks.jar; it shares the cores with the server.
#
# Usage (from the repository root, after mvn -q -B -pl benchmarks -am package -DskipTests):
#   benchmarks/load/run-open-loop.sh                               # api/target/nba-api.jar
#   benchmarks/load/run-open-loop.sh old/nba-api.jar api/target/nba-api.jar   # A and B, alternated
# Settings (environment): ROUNDS (1; with two jars the order is A B, then B A, ...), WARM (250000
# decisions), RATES (1000,3000,5000 per second), DURATION (20 s per rate), CLOSED (20 s, 0 = none),
# CONNECTIONS (64, open loop, opened before each rate's first request; PRECONNECT=0 opens them as
# requests fall due instead), CLOSED_CONNECTIONS (16, warm-up and closed loop), DRAIN (15 s),
# SERVER_JAVA_OPTS (-Xms512m -Xmx1g), OUT (benchmarks/target/load-<UTC time>).
# If wrk (Debian package wrk) is installed, the closed loop is also measured with it.
set -euo pipefail
cd "$(dirname "$0")/../.."

rounds="${ROUNDS:-1}"
warm="${WARM:-250000}"
rates="${RATES:-1000,3000,5000}"
duration="${DURATION:-20}"
closed="${CLOSED:-20}"
connections="${CONNECTIONS:-64}"
closed_connections="${CLOSED_CONNECTIONS:-16}"
drain="${DRAIN:-15}"
server_opts="${SERVER_JAVA_OPTS:--Xms512m -Xmx1g}"
out="${OUT:-benchmarks/target/load-$(date -u +%Y%m%dT%H%M%SZ)}"
client_jar=benchmarks/target/benchmarks.jar
body=benchmarks/load/context.json

jars=("$@")
[ ${#jars[@]} -gt 0 ] || jars=(api/target/nba-api.jar)
[ ${#jars[@]} -le 2 ] || { echo "at most two jars" >&2; exit 2; }
for j in "${jars[@]}"; do [ -f "$j" ] || { echo "no jar $j (mvn -q -B -pl api -am package -DskipTests)" >&2; exit 2; }; done
[ -f "$client_jar" ] || { echo "no $client_jar (mvn -q -B -pl benchmarks -am package -DskipTests)" >&2; exit 2; }
mkdir -p "$out"
letters=(A B)

{
  echo "date        $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "machine     nproc $(nproc), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)"
  echo "java        $(java -version 2>&1 | head -1)"
  echo "load avg    $(cut -d' ' -f1-3 /proc/loadavg)"
  for i in "${!jars[@]}"; do
    echo "jar ${letters[$i]}       ${jars[$i]}  sha256 $(sha256sum "${jars[$i]}" | cut -c1-12)  built $(date -u -r "${jars[$i]}" +%Y-%m-%dT%H:%M:%SZ)"
  done
  echo "settings    warm $warm decisions, rates $rates/s × ${duration} s, closed ${closed} s, connections $connections open / $closed_connections closed, drain ${drain} s"
  command -v wrk >/dev/null || echo "wrk         not installed: the closed loop is measured by OpenLoopLoad only"
} | tee "$out/machine.txt"

server=""
data=""
stop_server() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; server=""; fi
  if [ -n "$data" ]; then rm -rf "$data"; data=""; fi
}
trap stop_server EXIT

cpu_ticks() { awk '{sub(/.*\) /, ""); print $12 + $13}' "/proc/$1/stat"; }

one_run() { # label jar port
  local label="$1" jar="$2" port="$3" key started code
  key="load-test-agent-key-$(date +%s%N)"
  data="$(mktemp -d)"
  # shellcheck disable=SC2086  # the options are words
  NBA_HTTP_PORT=$port NBA_DATA_DIR="$data" NBA_API_KEYS="$key=agent" java $server_opts -jar "$jar" > "$out/server-$label.log" 2>&1 &
  server=$!
  started=$(date +%s%N)
  # Ready: /health/ready where the jar has it, else /health.
  for _ in $(seq 1 600); do
    code=$(curl -s -o /dev/null -w '%{http_code}' "localhost:$port/health/ready" || true)
    [ "$code" = 200 ] && break
    if [ "$code" = 404 ] && curl -sf "localhost:$port/health" >/dev/null; then break; fi
    kill -0 "$server" 2>/dev/null || { echo "server $label exited, see $out/server-$label.log" >&2; exit 1; }
    sleep 0.2
  done
  echo
  echo "== run $label: $jar, pid $server, ready after $(( ($(date +%s%N) - started) / 1000000 )) ms, load avg $(cut -d' ' -f1-3 /proc/loadavg)"
  java -Xms256m -Xmx512m -cp "$client_jar" io.nextbest.benchmarks.OpenLoopLoad \
    --url "http://localhost:$port/v1/decisions" --key "$key" --body "$body" --server-pid "$server" \
    --warm "$warm" --rates "$rates" --duration "$duration" --closed "$closed" \
    --connections "$connections" $([ "${PRECONNECT:-1}" = 0 ] && echo --no-preconnect) --closed-connections "$closed_connections" --drain "$drain" \
    --label "$label" --json "$out/run-$label.json" | tee "$out/run-$label.txt"
  if command -v wrk >/dev/null && [ "$closed" -gt 0 ]; then
    local before after
    sleep 3
    before=$(cpu_ticks "$server")
    NBA_KEY=$key NBA_BODY=$body wrk -t2 -c"$closed_connections" -d"${closed}s" -s benchmarks/load/decisions.lua \
      "http://localhost:$port/v1/decisions" | tail -6 | tee "$out/wrk-$label.txt"
    after=$(cpu_ticks "$server")
    awk -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" -v l="$(cut -d' ' -f1 /proc/loadavg)" \
      '/^requests/ {printf "wrk closed loop: server CPU %.1f s, %.0f µs per decision, load avg %s\n", t / hz, t / hz * 1e6 / $2, l}' \
      "$out/wrk-$label.txt" | tee -a "$out/wrk-$label.txt"
  fi
  stop_server
}

labels=()
for r in $(seq 1 "$rounds"); do
  order=(0)
  if [ ${#jars[@]} -eq 2 ]; then
    if [ $((r % 2)) -eq 1 ]; then order=(0 1); else order=(1 0); fi
  fi
  for i in "${order[@]}"; do
    label="$r${letters[$i]}"
    one_run "$label" "${jars[$i]}" $((18181 + i))
    labels+=("$label")
  done
done

{
  echo
  echo "== all runs ($out)"
  cat "$out/machine.txt"
  echo
  echo "| run | phase | offered/s | achieved/s | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | errors | unfinished | server CPU µs/decision | JIT C1+C2 CPU s | load avg |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
  for l in "${labels[@]}"; do grep "^| $l |" "$out/run-$l.txt"; done
  for l in "${labels[@]}"; do [ -f "$out/wrk-$l.txt" ] && sed "s/^/$l wrk: /" "$out/wrk-$l.txt"; done
  true
} | tee "$out/summary.txt"
