#!/usr/bin/env bash
# bench/run.sh — build the server and the benchmark programs, run every load
# scenario against a fresh server on loopback, and write the results to
# bench/results/<date>.md. Bounded: about 2 minutes here (every step has a
# timeout; worst case ~10 minutes).
#
# The server is pinned to one CPU and the load generators to another, so the
# client's own work does not steal the server's CPU. Environment knobs (with
# defaults): PORT=3900 BARE_PORT=3901 GAMES=1000 IDLE_SOCKETS=10000
# REST_DURATION=10s REST_WORKERS=64 SERVER_CPU=0 CLIENT_CPU=1 GO_BENCH=1
# SERVER_GOGC=100 DB_NAME=proofstell_bench SCENARIOS="games rest idle", and
# THROUGHPUT_BOTS=2000 THROUGHPUT_STEADY=30s SPRINT_MS=2000 (scenario
# throughput: bots playing SPRINT_MS games back to back),
# SERVER_ENV for extra server variables, e.g. SERVER_ENV="WS_SEND_QUEUE=32";
# RESULTS_FILE overrides the report path (experiments). PROFILE=1 builds the
# server with net/http/pprof on 127.0.0.1:6060 (a build overlay, see
# bench/pprof_overlay.go.txt) and saves a CPU profile of the games scenario
# and a heap profile of the idle one next to the logs.
#
# It only ever stops the processes it started (by pid) and only drops its own
# database (DB_NAME) and its own Redis key prefix.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

PORT=${PORT:-3900}
BARE_PORT=${BARE_PORT:-3901}
GAMES=${GAMES:-1000}
IDLE_SOCKETS=${IDLE_SOCKETS:-10000}
REST_DURATION=${REST_DURATION:-10s}
REST_WORKERS=${REST_WORKERS:-64}
SERVER_CPU=${SERVER_CPU:-0}
CLIENT_CPU=${CLIENT_CPU:-1}
GO_BENCH=${GO_BENCH:-1}
SERVER_GOGC=${SERVER_GOGC:-100}
DB_NAME=${DB_NAME:-proofstell_bench}
SCENARIOS=${SCENARIOS:-games rest idle}
SERVER_ENV=${SERVER_ENV:-}
PROFILE=${PROFILE:-0}
THROUGHPUT_BOTS=${THROUGHPUT_BOTS:-2000}
THROUGHPUT_STEADY=${THROUGHPUT_STEADY:-30s}
SPRINT_MS=${SPRINT_MS:-2000}
PG="postgres://postgres@127.0.0.1:5432"
REDIS_PREFIX="bench-$$:"

WORK="$ROOT/bench/results/tmp/run-$$"
mkdir -p "$WORK" "$ROOT/bench/results"
OUT=${RESULTS_FILE:-"$ROOT/bench/results/$(date -u +%Y-%m-%d).md"}
n=2
while [[ -z "${RESULTS_FILE:-}" && -e "$OUT" ]]; do OUT="$ROOT/bench/results/$(date -u +%Y-%m-%d)-$n.md"; n=$((n + 1)); done

SERVER_PID=""
BARE_PID=""

log() { printf '[run.sh %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

stop_pid() { # stop one process we started, by pid; wait at most 25 s
  local pid=$1
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.5; done
  kill -KILL "$pid" 2>/dev/null || true
}

cleanup() {
  stop_pid "$BARE_PID"
  stop_pid "$SERVER_PID"
  redis-cli -h 127.0.0.1 --scan --pattern "${REDIS_PREFIX}*" 2>/dev/null |
    xargs -r -n 500 redis-cli -h 127.0.0.1 del >/dev/null 2>&1 || true
}
trap cleanup EXIT

raise_fd_limit() {
  ulimit -Hn 65536 2>/dev/null || true
  ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
  log "open-file limit: $(ulimit -n)"
}

ensure_services() {
  if ! pg_isready -q -h 127.0.0.1 -p 5432; then
    log "postgres is down; trying to start it"
    service postgresql start >/dev/null 2>&1 || true
  fi
  if ! redis-cli -h 127.0.0.1 ping >/dev/null 2>&1; then
    log "redis is down; trying to start it"
    service redis-server start >/dev/null 2>&1 || true
  fi
  for _ in $(seq 1 40); do
    pg_isready -q -h 127.0.0.1 -p 5432 && redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  log "postgres or redis is not reachable on 127.0.0.1"; exit 1
}

build() {
  log "building server and benchmark programs"
  if [[ "$PROFILE" == 1 ]]; then
    printf '{"Replace":{"%s":"%s"}}' "$ROOT/cmd/proofstell/zz_bench_pprof.go" "$ROOT/bench/pprof_overlay.go.txt" >"$WORK/overlay.json"
    go build -overlay "$WORK/overlay.json" -o "$WORK/proofstell" ./cmd/proofstell
  else
    go build -o "$WORK/proofstell" ./cmd/proofstell
  fi
  go build -o "$WORK/loadgen" ./bench/loadgen
  go build -o "$WORK/idle" ./bench/idle
  go build -o "$WORK/rest" ./bench/rest
}

fresh_database() {
  psql "$PG/postgres" -qtAc "DROP DATABASE IF EXISTS \"$DB_NAME\" WITH (FORCE)" >/dev/null
}

start_server() {
  PORT="$PORT" HTTP_ADDR="127.0.0.1:$PORT" NODE_ENV=development LOG_LEVEL=warn \
    DATABASE_URL="$PG/$DB_NAME?sslmode=disable" DATABASE_CREATE=true \
    REDIS_URL="redis://127.0.0.1:6379/0" REDIS_PREFIX="$REDIS_PREFIX" \
    JWT_SECRET="$(head -c 48 /dev/urandom | base64 | tr -d '\n')" GOGC="$SERVER_GOGC" \
    RATE_LIMIT_ANONYMOUS=1000000 RATE_LIMIT_USER=1000000 RATE_LIMIT_AUTH=1000000 \
    env $SERVER_ENV taskset -c "$SERVER_CPU" "$WORK/proofstell" serve >>"$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 120); do
    curl -sf -o /dev/null "http://127.0.0.1:$PORT/api/v1/health/ready" && { log "server up (pid $SERVER_PID)"; return 0; }
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.5
  done
  log "server did not become ready; last log lines:"; tail -20 "$WORK/server.log" >&2; exit 1
}

stop_server() { stop_pid "$SERVER_PID"; SERVER_PID=""; }

scenario_games() {
  log "scenario 1: $GAMES concurrent classic games"
  timeout 150 taskset -c "$CLIENT_CPU" "$WORK/loadgen" -addr "127.0.0.1:$PORT" -games "$GAMES" \
    -ramp 10s -timeout 2m -out "$WORK/games.md" >/dev/null 2>"$WORK/loadgen.log" &
  local lg=$!
  # Profile 10 s of the steady state: after the 10 s ramp, before games end.
  profile 14 "profile?seconds=10" cpu.pb.gz
  wait "$lg" || log "load generator reported a failure (see $WORK/loadgen.log)"
}

# scenario_throughput: durable results. THROUGHPUT_BOTS bots each play
# SPRINT_MS games of the bench-only `sprint` mode (no countdown) back to
# back for THROUGHPUT_STEADY after a 10 s ramp; the report's figure is
# game:over frames per second in that steady window (each sent only after
# its result committed). Its ceiling is THROUGHPUT_BOTS / SPRINT_MS.
scenario_throughput() {
  log "scenario throughput: $THROUGHPUT_BOTS bots, ${SPRINT_MS} ms games, $THROUGHPUT_STEADY steady"
  psql "$PG/$DB_NAME" -qtAc "INSERT INTO game_modes (name, level, rows, cols, duration_ms, spawn_interval_ms,
      visible_ms, max_moles_up, hit_points, countdown_ms, max_players)
    VALUES ('sprint', 'normal', 3, 3, $SPRINT_MS, 400, 600, 1, 1, 0, 1)
    ON CONFLICT (name) DO UPDATE SET duration_ms = EXCLUDED.duration_ms, countdown_ms = 0, active = true" >/dev/null
  timeout 200 taskset -c "$CLIENT_CPU" "$WORK/loadgen" -addr "127.0.0.1:$PORT" -games "$THROUGHPUT_BOTS" \
    -mode sprint -ramp 10s -duration "$THROUGHPUT_STEADY" -ping-every 0 -timeout 150s \
    -device-prefix loadgen-tp- -out "$WORK/throughput.md" >/dev/null 2>"$WORK/throughput.log" &
  local lg=$!
  profile 15 "profile?seconds=10" throughput-cpu.pb.gz
  wait "$lg" || log "load generator reported a failure (see $WORK/throughput.log)"
}

profile() { # profile DELAY_SECONDS PPROF_PATH FILE: fetch a pprof profile in the background
  [[ "$PROFILE" == 1 ]] || return 0
  (sleep "$1" && curl -sf -o "$WORK/$3" "http://127.0.0.1:6060/debug/pprof/$2" && log "saved $WORK/$3") &
}

scenario_rest() {
  log "scenario 2: REST top-100 vs bare chi"
  taskset -c "$SERVER_CPU" "$WORK/rest" serve -listen "127.0.0.1:$BARE_PORT" \
    -body-from "http://127.0.0.1:$PORT" -lifetime 3m 2>"$WORK/bare.log" &
  BARE_PID=$!
  for _ in $(seq 1 40); do
    curl -sf -o /dev/null "http://127.0.0.1:$BARE_PORT/api/v1/leaderboards/global?limit=100" && break
    sleep 0.25
  done
  timeout 90 taskset -c "$CLIENT_CPU" "$WORK/rest" measure -real "http://127.0.0.1:$PORT" \
    -bare "http://127.0.0.1:$BARE_PORT" -workers "$REST_WORKERS" -duration "$REST_DURATION" \
    -out "$WORK/rest.md" >/dev/null 2>"$WORK/rest.log" || log "rest harness failed (see $WORK/rest.log)"
  stop_pid "$BARE_PID"; BARE_PID=""
}

scenario_idle() {
  log "scenario 3: $IDLE_SOCKETS idle sockets (fresh server)"
  stop_server
  start_server
  # Sign-ins and handshakes of 10k guests take ~10 s here; with PROFILE=1 the
  # sockets are held 40 s so the heap profile at 25 s sees all of them.
  local hold=${IDLE_HOLD:-6s}
  [[ "$PROFILE" == 1 ]] && hold=${IDLE_HOLD:-40s}
  profile 25 "heap?gc=1" heap.pb.gz
  timeout 180 taskset -c "$CLIENT_CPU" "$WORK/idle" -addr "127.0.0.1:$PORT" -pid "$SERVER_PID" \
    -sockets "$IDLE_SOCKETS" -hold "$hold" -timeout 150s -out "$WORK/idle.md" >/dev/null 2>"$WORK/idle.log" ||
    log "idle benchmark failed (see $WORK/idle.log)"
  stop_server
}

go_benchmarks() {
  [[ "$GO_BENCH" == 1 ]] || return 0
  log "go benchmarks: persistence/postgres, actors/leaderboard/standings, actors/leaderboard (1M players)"
  timeout 300 go test -run='^$' -bench=. -benchmem -count=1 ./persistence/postgres/ ./actors/leaderboard/standings/ \
    >"$WORK/gobench.txt" 2>&1 || log "go benchmarks failed or timed out (see $WORK/gobench.txt)"
  timeout 300 go test -run='^$' -bench=Grain_Million -count=1 ./actors/leaderboard/ \
    >>"$WORK/gobench.txt" 2>&1 || log "leaderboard benchmark failed or timed out (see $WORK/gobench.txt)"
}

section() { # section TITLE FILE
  printf '\n## %s\n\n' "$1"
  if [[ -s "$2" ]]; then cat "$2"; else printf '_No result: the scenario failed; see its log in %s._\n' "${WORK#"$ROOT"/}"; fi
}

ran() { [[ " $SCENARIOS " == *" $1 "* ]]; } # ran SCENARIO: was it in SCENARIOS?

write_results() {
  {
    printf '# Benchmark run %s\n\n' "$(date -u +'%Y-%m-%d %H:%M UTC')"
    printf -- '- commit: `%s`%s\n' "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)" \
      "$(git diff --quiet 2>/dev/null || echo ' (with uncommitted changes)')"
    printf -- '- machine: %s CPUs (%s), %s, Go %s\n' "$(nproc)" \
      "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')" "$(uname -sr)" "$(go env GOVERSION)"
    printf -- '- pinning: server on CPU %s, load generators on CPU %s; server GOGC=%s, LOG_LEVEL=warn %s\n' \
      "$SERVER_CPU" "$CLIENT_CPU" "$SERVER_GOGC" "$SERVER_ENV"
    printf -- '- load average at start: %s\n' "$LOAD_AT_START"
    ran games && section "1,000 concurrent games" "$WORK/games.md"
    ran throughput && section "Durable results (throughput)" "$WORK/throughput.md"
    ran rest && section "REST top-100" "$WORK/rest.md"
    ran idle && section "Idle sockets" "$WORK/idle.md"
    if [[ "$GO_BENCH" == 1 ]]; then
      printf '\n## Go benchmarks\n\n```\n'
      grep -E '^(Benchmark|ok|FAIL|---|goos|cpu)' "$WORK/gobench.txt" || true
      printf '```\n'
    fi
  } >"$OUT"
  log "results written to ${OUT#"$ROOT"/}"
}

LOAD_AT_START=$(cut -d' ' -f1-3 /proc/loadavg)
raise_fd_limit
ensure_services
build
fresh_database
start_server
for scenario in $SCENARIOS; do "scenario_$scenario"; done
go_benchmarks
write_results
# Cluster benchmarks (several member processes each) run separately: bench/cluster/run.sh
