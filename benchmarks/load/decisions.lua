-- wrk script: POST /v1/decisions with the example context, an agent key from $NBA_KEY.
-- Usage: see run-decisions.sh
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-API-Key"] = os.getenv("NBA_KEY")
local f = assert(io.open(os.getenv("NBA_BODY") or "benchmarks/load/context.json", "r"))
wrk.body = f:read("*a")
f:close()

local non200 = 0
response = function(status, headers, body)
  if status ~= 200 then non200 = non200 + 1 end
end

done = function(summary, latency, requests)
  io.write(string.format("requests %d, %.0f/s, non-2xx %d, errors %d\n",
    summary.requests, summary.requests / (summary.duration / 1e6), summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
  for _, p in pairs({50, 90, 99, 99.9}) do
    io.write(string.format("p%-5s %8.2f ms\n", p, latency:percentile(p) / 1000))
  end
end
