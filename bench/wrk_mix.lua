-- wrk script for the mixed load of `make bench`: each request takes the next of the paths
-- given as arguments, and every answer's X-Cache header is counted: "hit" and "stale" (the
-- page as it was, while another thread draws the new one) were answered from the cache.
local threads = {}
local paths, index, hits, stale, misses = {}, 0, 0, 0, 0

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  for _, path in ipairs(args) do table.insert(paths, path) end
  index = math.random(#paths)
end

function request()
  index = index % #paths + 1
  return wrk.format(nil, paths[index])
end

function response(status, headers, body)
  local how = headers["X-Cache"]
  if how == "hit" then hits = hits + 1
  elseif how == "stale" then stale = stale + 1
  else misses = misses + 1 end
  hits_total = hits
  stale_total = stale
  misses_total = misses
end

function done(summary, latency, requests)
  local all_hits, all_stale, all_misses = 0, 0, 0
  for _, thread in ipairs(threads) do
    all_hits = all_hits + (thread:get("hits_total") or 0)
    all_stale = all_stale + (thread:get("stale_total") or 0)
    all_misses = all_misses + (thread:get("misses_total") or 0)
  end
  local errors = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d p50_us=%d p95_us=%d p99_us=%d " ..
    "socket_errors=%d status_errors=%d hits=%d stale=%d misses=%d\n",
    summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    errors.connect + errors.read + errors.write + errors.timeout, errors.status,
    all_hits, all_stale, all_misses))
end
