#!/usr/bin/env bash
# Load test of POST /v1/decisions against the runnable jar, on this machine's loopback only:
# closed loop with wrk (Debian package wrk), the most decisions per second and their latency.
# Usage (from the repository root): benchmarks/load/run-decisions.sh [seconds] [connections]
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
echo "closed loop: wrk -t2 -c${conns} -d${secs}s"
NBA_KEY=$key wrk -t2 -c"$conns" -d"${secs}s" -s benchmarks/load/decisions.lua "$url" | tail -6
