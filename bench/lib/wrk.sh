# Sourced by the wrk-driven benches (api-load.sh, replicas.sh): wrk itself, the Lua they share,
# the start of each workload script, and the row of figures read off a wrk report.

# Install wrk from Debian if it is missing (as root, or through passwordless sudo).
need_wrk() { # script name, for the message
    command -v wrk >/dev/null && return
    echo "installing wrk (apt-get)…"
    if [ "$(id -u)" -eq 0 ]; then
        apt-get install -y wrk >/dev/null || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; } || true
    else
        sudo -n apt-get install -y wrk >/dev/null || { sudo -n apt-get update >/dev/null && sudo -n apt-get install -y wrk >/dev/null; } || true
    fi
    command -v wrk >/dev/null || { echo "$1 needs wrk: install the Debian package wrk (apt-get install wrk)" >&2; exit 1; }
}

# Lua for every workload: numbers wrk's threads (`id`), counts responses that are not 200 or
# carry GraphQL errors, and prints `graphql_errors N` when done.
WRK_COMMON='
local threads = {}
function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end
errors = 0
function response(status, headers, body)
  if status ~= 200 or string.find(body, "\"errors\"", 1, true) then
    errors = errors + 1
  end
end
function done(summary, latency, requests)
  local e = 0
  for _, t in ipairs(threads) do e = e + t:get("errors") end
  io.write(string.format("graphql_errors %d\n", e))
end
'

# The start of every workload's script: the shared Lua, then GraphQL POSTs with bearer $1.
lua_post() { # token
    cat <<LUA
$WRK_COMMON
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $1"
LUA
}

# The mutation workload: a supervision record per request, on the demo's 300 cadres, with entry
# ids that start with $2 (so that two drivers never write the same entry).
mutation_lua() { # admin token, entry id prefix
    lua_post "$1"
    cat <<LUA
local n = 0
function request()
  n = n + 1
  local entry = "$2" .. id .. "-" .. n
  local cadre = string.format("c%04d", n % 300 + 1)
  return wrk.format(nil, nil, nil,
    '{"query":"mutation(\$input: RecordSupervisionInput!) { recordSupervision(input: \$input, meta: { effective: \\\\"2026-11-18\\\\" }) { position } }",' ..
    '"variables":{"input":{"entryId":"' .. entry .. '","cadreId":"' .. cadre ..
    '","source":"ORG_SECTION","sourceName":"干部监督科","channel":"INSPECTION","kind":"DAILY_CONDUCT","tone":"NEUTRAL","content":"压测记实","observedOn":"2026-11-18"}}}')
end
LUA
}

# Print one row (label, requests/s, p50, p99, errors) of the wrk report in file $2; fails when
# the report has no rate or counted errors.
wrk_row() { # label, report file
    local out rps p50 p99 errs
    out="$(cat "$2")"
    rps="$(echo "$out" | awk '/^Requests\/sec/ {print $2}')"
    p50="$(echo "$out" | awk '$1 == "50%" {print $2}')"
    p99="$(echo "$out" | awk '$1 == "99%" {print $2}')"
    errs="$(echo "$out" | awk '/^graphql_errors/ {print $2}')"
    printf "%-22s %12s %10s %10s %8s\n" "$1" "$rps" "$p50" "$p99" "$errs"
    WRK_RPS="${rps:-0}"
    if [ -z "$rps" ] || [ "${errs:-1}" != 0 ]; then
        echo "$1: no figure or GraphQL errors"
        echo "$out"
        return 1
    fi
}
