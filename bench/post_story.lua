-- wrk script: every request posts a complete story with its own idempotency key.
-- Counts 200 responses per thread so the shell script can compare them with the database.
local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  ok = 0
  other = 0
  n = 0
  csrf = os.getenv("VP_CSRF")
  cookie = os.getenv("VP_COOKIE")
end

local story = "Toen ik veertien was moest ik drie maanden wachten op hulp. Mijn mentor op school merkte " ..
  "dat het niet goed ging en belde het wijkteam. Daarna ging het snel en voelde ik me eindelijk gehoord."

function request()
  n = n + 1
  local key = string.format("bench-%03d-%010d-%06d", id, n, math.random(0, 999999))
  local body = "csrf=" .. csrf .. "&sleutel=" .. key .. "&rol=jongere&titel=Wachten+op+hulp" ..
    "&verhaal=" .. story:gsub(" ", "+") ..
    "&q_gehoord=80&q_juiste_hulp=65&q_op_tijd=20&na_regie=1&q_regie=50&q_duidelijk=40" ..
    "&q_gevoel=gemengd&q_themas=thema_school&q_themas=thema_wachten&q_gemeente=wijchen" ..
    "&q_leeftijd=jaar_12_15&toestemming_analyse=ja&toestemming_citaten=ja"
  return wrk.format("POST", "/v/jeugdhulp/vertel", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = cookie,
  }, body)
end

function response(status, headers, body)
  if status == 200 then ok = ok + 1 else other = other + 1 end
end

function done(summary, latency, requests)
  local total_ok, total_other = 0, 0
  for _, t in ipairs(threads) do
    total_ok = total_ok + t:get("ok")
    total_other = total_other + t:get("other")
  end
  io.write(string.format("RESULT ok=%d other=%d socket_errors=%d\n", total_ok, total_other,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
  io.write(string.format("RESULT p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000))
end
