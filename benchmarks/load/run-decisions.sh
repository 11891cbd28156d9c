#!/usr/bin/env bash
# Load test of POST /v1/decisions against the runnable jar, on this machine's loopback only:
# closed loop with wrk (Debian package wrk), the most decisions per second and their latency.
# Usage (from the repository root): benchmarks/load/run-decisions.sh [seconds] [connections]
# For fixed rates (open loop), a warm-up by count, JIT CPU and two jars side by side, see
# run-open-loop.sh beside this script.
set -euo pipefail
cd "$(dirname "$0")/../.."
secs="${1:-30}"
conns="${2:-16}"
port=18181
key="load-test-agent-key-$(date +%s)"
data="$(mktemp -d)"
[ -f api/target/nba-api.jar ] || mvn -q -B package -DskipTests
NBA_HTTP_PORT=$port NBA_DATA_DIR="$data" NBA_API_KEYS="$key=agent" java -Xms512m -Xmx1g -jar api/target/nba-api.jar > "$data/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 1 120); do curl -sf "localhost:$port/health" >/dev/null && break; sleep 0.5; done
url="http://localhost:$port/v1/decisions"
echo "warm-up (20 s)"
NBA_KEY=$key wrk -t2 -c16 -d20s -s benchmarks/load/decisions.lua "$url" > /dev/null
# The server's CPU time (user + system, in clock ticks) around the measured run: what each decision
# costs the server, which stays meaningful when other work shares the cores and latency does not.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$server/stat"; }
echo "closed loop: wrk -t2 -c${conns} -d${secs}s"
before=$(cpu_ticks)
NBA_KEY=$key wrk -t2 -c"$conns" -d"${secs}s" -s benchmarks/load/decisions.lua "$url" | tail -6 | tee "$data/wrk.txt"
after=$(cpu_ticks)
awk -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" '/^requests/ {printf "server CPU %.1f s, %.0f µs per decision\n", t / hz, t / hz * 1e6 / $2}' "$data/wrk.txt"
