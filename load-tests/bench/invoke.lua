-- wrk script: POST an Invoke to one of N functions (bench-0 .. bench-N-1), round robin per thread.
-- Environment: INVOCATION_TYPE (Event | DryRun | RequestResponse), FUNCTIONS (default 100).
local functions = tonumber(os.getenv("FUNCTIONS") or "100")
local invocationType = os.getenv("INVOCATION_TYPE") or "Event"
local counter = 0

function setup(thread)
  thread:set("offset", math.random(0, functions - 1))
end

request = function()
  counter = counter + 1
  local n = (counter + (offset or 0)) % functions
  return wrk.format("POST", "/2015-03-31/functions/bench-" .. n .. "/invocations",
    { ["X-Amz-Invocation-Type"] = invocationType, ["Content-Type"] = "application/json" },
    '{"bench":true,"n":' .. counter .. '}')
end

-- One parseable line: requests/s, p50 and p99 in ms, non-2xx count.
done = function(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT rps=%.0f p50_ms=%.2f p99_ms=%.2f errors=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000, errors))
end
