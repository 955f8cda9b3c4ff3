-- wrk script for `make bench`. Arguments: a run nonce, then "unique" to give every request a
-- query string no request used before (so each one misses the page cache), or "same".
local nonce, unique = "0", false
local counter = 0
local thread_number = 0

function setup(thread)
  thread_number = thread_number + 1
  thread:set("thread_number", thread_number)
end

function init(args)
  nonce = args[1] or "0"
  unique = args[2] == "unique"
end

function request()
  if not unique then
    return wrk.format(nil, wrk.path)
  end
  counter = counter + 1
  local separator = string.find(wrk.path, "?", 1, true) and "&" or "?"
  return wrk.format(nil, wrk.path .. separator .. "bench=" .. nonce .. "-" ..
    tostring(thread_number) .. "-" .. counter)
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d p50_us=%d p95_us=%d p99_us=%d " ..
    "socket_errors=%d status_errors=%d\n",
    summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    errors.connect + errors.read + errors.write + errors.timeout, errors.status))
end
