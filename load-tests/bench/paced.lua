-- wrk script: Event invokes to one of N functions (bench-0 .. bench-N-1), each connection pausing
-- DELAY_MS between requests, so the offered rate is about connections * 1000 / (DELAY_MS + latency).
local functions = tonumber(os.getenv("FUNCTIONS") or "10")
local pause = tonumber(os.getenv("DELAY_MS") or "9")
local counter = 0

function delay()
  return pause
end

request = function()
  counter = counter + 1
  return wrk.format("POST", "/2015-03-31/functions/bench-" .. (counter % functions) .. "/invocations",
    { ["X-Amz-Invocation-Type"] = "Event" }, '{"n":' .. counter .. '}')
end

done = function(summary, latency, requests)
  io.write(string.format("RESULT rps=%.0f p50_ms=%.2f p99_ms=%.2f errors=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
