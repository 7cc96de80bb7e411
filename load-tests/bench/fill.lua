-- wrk script: Event invokes of PAYLOAD_BYTES-byte events to one function (FUNCTION), each thread
-- stopping after COUNT / threads responses.
local fn = os.getenv("FUNCTION") or "stalled"
local size = tonumber(os.getenv("PAYLOAD_BYTES") or "1024")
local count = tonumber(os.getenv("COUNT") or "100000")
local threads = tonumber(os.getenv("THREADS") or "2")
local body = '{"pad":"' .. string.rep("x", size - 10) .. '"}'
local done_here = 0

response = function(status, headers, body)
  done_here = done_here + 1
  if done_here >= count / threads then wrk.thread:stop() end
end

request = function()
  return wrk.format("POST", "/2015-03-31/functions/" .. fn .. "/invocations",
    { ["X-Amz-Invocation-Type"] = "Event" }, body)
end
