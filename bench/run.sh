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
# SERVER_GOGC=100 DB_NAME=proofstell_bench BENCH_PG_PORT=5432
# SCENARIOS="games rest idle", and
# THROUGHPUT_BOTS=6000 THROUGHPUT_STEADY=30s SPRINT_MS=2000 (scenario
# throughput: bots playing SPRINT_MS games back to back),
# OVERLOAD_BOTS=2000 OVERLOAD_FACTORS="1 2 4" OVERLOAD_DURATION=60s (scenario
# overload: OVERLOAD_BOTS is the sustainable bot count, each factor a run),
# MATCHMAKING_PLAYERS=10000 MATCHMAKING_DURATION=60s MATCHMAKING_SIZE=2
# MATCHMAKING_MODE=classic (scenario matchmaking: players joining the queue
# evenly over the duration, then the matchmaker's Go benchmarks),
# DETECTOR_GAMES=10000 DETECTOR_BOTS=1000 (scenario detector: the
# consistency detector over simulated games, no server),
# SOCKETIO_TARGET=1.2 (scenario socketio: GAMES games and IDLE_SOCKETS idle
# sockets over /ws, then over Socket.IO, and the ratios against the target),
# SERVER_ENV for extra server variables, e.g. SERVER_ENV="WS_SEND_QUEUE=32";
# RESULTS_FILE overrides the report path (experiments); SERVER_REF=<commit>
# builds the server from that commit (the load programs stay this tree's),
# for before/after pairs. PROFILE=1 builds the
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
SERVER_REF=${SERVER_REF:-}
PROFILE=${PROFILE:-0}
THROUGHPUT_BOTS=${THROUGHPUT_BOTS:-6000}
THROUGHPUT_STEADY=${THROUGHPUT_STEADY:-30s}
SPRINT_MS=${SPRINT_MS:-2000}
SOCKETIO_TARGET=${SOCKETIO_TARGET:-1.2}
MATCHMAKING_PLAYERS=${MATCHMAKING_PLAYERS:-10000}
MATCHMAKING_DURATION=${MATCHMAKING_DURATION:-60s}
MATCHMAKING_SIZE=${MATCHMAKING_SIZE:-2}
MATCHMAKING_MODE=${MATCHMAKING_MODE:-classic}
DETECTOR_GAMES=${DETECTOR_GAMES:-10000}
DETECTOR_BOTS=${DETECTOR_BOTS:-1000}
# BENCH_PG_PORT runs against another PostgreSQL on 127.0.0.1 (e.g. a throwaway
# instance with pg_stat_statements, or with autovacuum on where the shared one
# has it off); the report states the server's settings either way.
BENCH_PG_PORT=${BENCH_PG_PORT:-5432}
PG="postgres://postgres@127.0.0.1:$BENCH_PG_PORT"
REDIS_PREFIX="bench-$$:"
# One JWT secret per run, so tokens signed by one server process stay valid
# for the next one (the idle scenario signs in and measures on different ones).
JWT_SECRET_RUN=$(head -c 48 /dev/urandom | base64 | tr -d '\n')

WORK="$ROOT/bench/results/tmp/run-$$"
mkdir -p "$WORK" "$ROOT/bench/results"
OUT=${RESULTS_FILE:-"$ROOT/bench/results/$(date -u +%Y-%m-%d).md"}
n=2
while [[ -z "${RESULTS_FILE:-}" && -e "$OUT" ]]; do OUT="$ROOT/bench/results/$(date -u +%Y-%m-%d)-$n.md"; n=$((n + 1)); done

SERVER_PID=""
BARE_PID=""
SERVER_SRC=""

log() { printf '[run.sh %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

stop_pid() { # stop one process we started, by pid; wait at most 25 s
  local pid=$1
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.5; done
  kill -KILL "$pid" 2>/dev/null || true
}

cleanup() {
  [[ -z "$SERVER_SRC" ]] || rm -rf "$SERVER_SRC"
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
  if ! pg_isready -q -h 127.0.0.1 -p "$BENCH_PG_PORT"; then
    log "postgres is down; trying to start it"
    service postgresql start >/dev/null 2>&1 || true
  fi
  if ! redis-cli -h 127.0.0.1 ping >/dev/null 2>&1; then
    log "redis is down; trying to start it"
    service redis-server start >/dev/null 2>&1 || true
  fi
  for _ in $(seq 1 40); do
    pg_isready -q -h 127.0.0.1 -p "$BENCH_PG_PORT" && redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  log "postgres or redis is not reachable on 127.0.0.1"; exit 1
}

build() {
  log "building server${SERVER_REF:+ (from $SERVER_REF)} and benchmark programs"
  local src="$ROOT"
  if [[ -n "$SERVER_REF" ]]; then
    # The server of another commit, driven by this tree's benchmark programs:
    # a before/after pair measures both builds with the same load.
    # Outside the repository, so no Go tool of this tree reads its copy.
    SERVER_SRC=$(mktemp -d /tmp/proofstell-bench-src.XXXXXX)
    src="$SERVER_SRC"
    git -C "$ROOT" archive "$SERVER_REF" | tar -x -C "$src"
  fi
  if [[ "$PROFILE" == 1 ]]; then
    printf '{"Replace":{"%s":"%s"}}' "$src/cmd/proofstell/zz_bench_pprof.go" "$ROOT/bench/pprof_overlay.go.txt" >"$WORK/overlay.json"
    (cd "$src" && go build -overlay "$WORK/overlay.json" -o "$WORK/proofstell" ./cmd/proofstell)
  else
    (cd "$src" && go build -o "$WORK/proofstell" ./cmd/proofstell)
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
    JWT_SECRET="$JWT_SECRET_RUN" GOGC="$SERVER_GOGC" \
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

# ensure_server: the scenarios that use the running server start one when an
# earlier scenario (idle, fanout, overload, socketio) stopped its own, so
# SCENARIOS can list them in any order.
ensure_server() { [[ -n "$SERVER_PID" ]] || start_server; }

scenario_games() {
  log "scenario 1: $GAMES concurrent classic games"
  ensure_server
  play_games games ws ""
}

# play_games NAME GATEWAY PROFILE_PREFIX: GAMES concurrent classic games
# against the running server over GATEWAY (ws or socketio); the report goes
# to $WORK/NAME.md, the log to $WORK/NAME.log, the CPU profile (PROFILE=1)
# to PROFILE_PREFIX + cpu.pb.gz.
play_games() {
  local name=$1 gateway=$2 prefix=$3
  timeout 150 taskset -c "$CLIENT_CPU" "$WORK/loadgen" -addr "127.0.0.1:$PORT" -gateway "$gateway" \
    -games "$GAMES" -ramp 10s -timeout 2m -out "$WORK/$name.md" >/dev/null 2>"$WORK/$name.log" &
  local lg=$!
  local sched0; sched0=$(sched_times "$SERVER_PID")
  # Profile 10 s of the steady state: after the 10 s ramp, before games end.
  profile 14 "profile?seconds=10" "${prefix}cpu.pb.gz"
  wait "$lg" || log "load generator reported a failure (see $WORK/$name.log)"
  # How long the server's threads ran, and waited runnable while another
  # task had the CPU (machine contention that no server change removes).
  read -r ran0 waited0 <<<"$sched0"
  read -r ran1 waited1 <<<"$(sched_times "$SERVER_PID")"
  [[ -s "$WORK/$name.md" ]] && printf '\nServer threads during the scenario (/proc/<pid>/task/*/schedstat): ran %.1f s, waited runnable %.1f s.\n' \
    "$(((ran1 - ran0) / 1000000))e-3" "$(((waited1 - waited0) / 1000000))e-3" >>"$WORK/$name.md"
}

sched_times() { # sched_times PID: summed run and run-queue wait nanoseconds of its threads
  cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{r += $1; w += $2} END {printf "%d %d\n", r, w}'
}

# scenario_overload: no collapse past capacity (issue #12, target 2). For each
# factor f of OVERLOAD_FACTORS, a fresh server and f × OVERLOAD_BOTS bots
# playing 2-second games (the bench-only `sprint` mode, no countdown) back to
# back for OVERLOAD_DURATION after a 10 s ramp; busy starts are retried after
# their hint. Reported per run: finished games/s in the steady window and its
# ratio to the best run, busy rejections, request timeouts inside running
# games, judged-whack p99, and leadership losses and late renewals (the
# server's singleton_* counters, scraped before and after).
scenario_overload() {
  local bots=${OVERLOAD_BOTS:-2000} factors=${OVERLOAD_FACTORS:-1 2 4} dur=${OVERLOAD_DURATION:-60s}
  local game_ms=${SPRINT_MS:-2000} rows="" f n steady
  steady=$(seconds_of "$dur")
  : >"$WORK/overload-cpu.md"
  log "scenario overload: ${bots} bots × (${factors}), ${game_ms} ms games, ${dur} each"
  for f in $factors; do
    n=$((bots * f))
    stop_server
    start_server
    ensure_sprint_mode "$game_ms"
    local before after
    before=$(overload_counters)
    timeout 400 taskset -c "$CLIENT_CPU" "$WORK/loadgen" -addr "127.0.0.1:$PORT" -games "$n" -mode sprint \
      -ramp 10s -duration "$dur" -ping-every 0 -timeout 350s -device-prefix loadgen-ov- \
      -out "$WORK/overload-$f.md" >/dev/null 2>"$WORK/overload-$f.log" &
    local lg=$! acct
    profile 20 "profile?seconds=10" "overload-$f-cpu.pb.gz"
    account_steady "$steady" "overload-$f"
    acct=$!
    wait "$lg" || log "load generator reported a failure (see $WORK/overload-$f.log)"
    wait "$acct" 2>/dev/null
    [[ -n "$steady" ]] && cpu_per_game "$steady" "overload-$f" "$WORK/overload-$f.md" |
      sed "s/^### CPU per finished game/### ${f}×: CPU per finished game/" >>"$WORK/overload-cpu.md"
    after=$(overload_counters)
    rows+="$f $n $(overload_row "$WORK/overload-$f.md") $before $after $(overload_window_p99 "$WORK/overload-$f.md")"$'\n'
  done
  stop_server
  start_server
  { overload_report "$rows" "$bots" "$dur" "$game_ms"; cat "$WORK/overload-cpu.md"; } >"$WORK/overload.md"
}

overload_counters() { # "lost late shed" summed over labels from the server's /metrics
  curl -s "http://127.0.0.1:$PORT/metrics" | awk '
    /^proofstell_singleton_leadership_lost_total/ {lost += $NF} /^proofstell_singleton_renewals_late_total/ {late += $NF}
    /^proofstell_admission_shed_total/ {shed += $NF} END {printf "%d %d %d", lost, late, shed}'
}

overload_row() { # "rate busy timeouts p99 login-failures start-failures" from a loadgen report
  awk -F'|' '
    /finished games\/s/ {split($3, a, " "); rate = a[1]}
    /rejected busy/ {busy = $3 + 0}
    /timeouts inside running games/ {to = $3 + 0}
    /^\| judged whack round trip p50/ {split($3, a, "/"); p99 = a[3]; gsub(/ /, "", p99)}
    /^Errors:/ {
      n = split(substr($0, 8), kinds, ", ")
      for (i = 1; i <= n; i++) {
        split(kinds[i], kv, " "); kind = kv[1]; gsub(/`/, "", kind)
        if (kind == "login") login += kv[2]
        else if (kind ~ /^start:/ && kind != "start:busy") starts += kv[2]
      }
    }
    END {printf "%s %s %s %s %d %d", (rate == "" ? 0 : rate), busy + 0, to + 0, (p99 == "" ? "-" : p99), login, starts}' "$1"
}

overload_window_p99() { # the judged-whack p99 of the steady window (after the ramp's sign-ins) from a loadgen report
  awk -F'|' '/^\| judged whack round trip in the steady window p50/ {split($3, a, "/"); p99 = a[3]; gsub(/ /, "", p99)}
    END {print (p99 == "" ? "-" : p99)}' "$1"
}

overload_report() { # ROWS BOTS DURATION GAME_MS: the markdown section
  printf 'Sustainable bot count %s; %s ms games back to back for %s after a 10 s ramp, per factor; fresh server each run.\n\n' "$2" "$4" "$3"
  printf '| factor | bots | finished games/s | vs best | busy rejections (client / server) | failed sign-ins / starts | timeouts in running games | judged whack p99 | after the ramp | leadership lost | late renewals |\n'
  printf '|---|---|---|---|---|---|---|---|---|---|---|\n'
  awk -v rows="$1" 'BEGIN {
    n = split(rows, line, "\n"); best = 0
    for (i = 1; i <= n; i++) { split(line[i], v, " "); if (v[3] + 0 > best) best = v[3] + 0 }
    for (i = 1; i <= n; i++) {
      if (line[i] == "") continue
      split(line[i], v, " ")
      ratio = best > 0 ? sprintf("%.0f %%", 100 * v[3] / best) : "-"
      printf "| %s× | %s | %s | %s | %s / %d | %s / %s | %s | %s | %s | %d | %d |\n", v[1], v[2], v[3], ratio, v[4], v[14] - v[11], v[7], v[8], v[5], v[6], v[15], v[12] - v[9], v[13] - v[10]
    }
  }'
}

ensure_sprint_mode() { # ensure_sprint_mode MS: the bench-only one-player mode of MS-long games, no countdown
  psql "$PG/$DB_NAME" -qtAc "INSERT INTO game_modes (name, level, rows, cols, duration_ms, spawn_interval_ms,
      visible_ms, max_moles_up, hit_points, countdown_ms, max_players)
    VALUES ('sprint', 'normal', 3, 3, $1, 400, 600, 1, 1, 0, 1)
    ON CONFLICT (name) DO UPDATE SET duration_ms = EXCLUDED.duration_ms, countdown_ms = 0, active = true" >/dev/null
}

# scenario_throughput: durable results. THROUGHPUT_BOTS bots each play
# SPRINT_MS games of the bench-only `sprint` mode (no countdown) back to
# back for THROUGHPUT_STEADY after a 10 s ramp; the report's figure is
# game:over frames per second in that steady window (each sent only after
# its result committed). Its ceiling is THROUGHPUT_BOTS / SPRINT_MS.
scenario_throughput() {
  log "scenario throughput: $THROUGHPUT_BOTS bots, ${SPRINT_MS} ms games, $THROUGHPUT_STEADY steady"
  ensure_server
  ensure_sprint_mode "$SPRINT_MS"
  timeout 200 taskset -c "$CLIENT_CPU" "$WORK/loadgen" -addr "127.0.0.1:$PORT" -games "$THROUGHPUT_BOTS" \
    -mode sprint -ramp 10s -duration "$THROUGHPUT_STEADY" -ping-every 0 -timeout 150s \
    -device-prefix loadgen-tp- -out "$WORK/throughput.md" >/dev/null 2>"$WORK/throughput.log" &
  local lg=$! steady
  profile 15 "profile?seconds=10" throughput-cpu.pb.gz
  steady=$(seconds_of "$THROUGHPUT_STEADY")
  account_steady "$steady" throughput
  local acct=$!
  wait "$lg" || log "load generator reported a failure (see $WORK/throughput.log)"
  wait "$acct" 2>/dev/null
  [[ -n "$steady" ]] && cpu_per_game "$steady" throughput "$WORK/throughput.md" >>"$WORK/throughput.md"
}

# account_steady STEADY_SECONDS NAME: in the background, snapshot every
# program's CPU (cpu_by_command) when the 10 s ramp ends and when the steady
# window does, to $WORK/NAME-cpu.start and .end; $! is the snapshotter.
account_steady() {
  if [[ -z "$1" ]]; then (:) & return; fi
  (sleep 10; cpu_by_command >"$WORK/$2-cpu.start"; sleep "$1"; cpu_by_command >"$WORK/$2-cpu.end") &
}

# seconds_of DURATION: whole seconds of a Go duration written as Ns or Nm
# (empty for any other form: the CPU accounting is then skipped).
seconds_of() {
  case "$1" in
    *[0-9]s) [[ "${1%s}" =~ ^[0-9]+$ ]] && echo "${1%s}" ;;
    *[0-9]m) [[ "${1%m}" =~ ^[0-9]+$ ]] && echo $(( ${1%m} * 60 )) ;;
  esac
}

# cpu_by_command: "command ticks" per command name, summed over every live
# process (utime + stime of /proc/<pid>/stat, all threads included).
cpu_by_command() {
  local p line rest
  for p in /proc/[0-9]*; do
    read -r line <"$p/stat" 2>/dev/null || continue
    rest=${line##*) }; line=${line#*(}
    # shellcheck disable=SC2086 # word splitting of the stat fields is intended
    set -- $rest
    echo "${line%%)*} $(( ${12} + ${13} ))"
  done | awk '{t[$1] += $2} END {for (c in t) print c, t[c]}' | sort
}

# cpu_per_game STEADY_SECONDS NAME REPORT: the CPU each program spent over
# the steady window (account_steady NAME's snapshots), per game the loadgen
# REPORT counted finished in it: where the machine's two cores went.
# Processes that started or ended inside the window are not counted.
cpu_per_game() {
  local games hz
  games=$(sed -n 's/.*finished games\/s (game:over in steady window) | [0-9]* (\([0-9]*\) games).*/\1/p' "$3")
  hz=$(getconf CLK_TCK)
  [[ -n "$games" && "$games" -gt 0 && -s "$WORK/$2-cpu.end" ]] || return 0
  printf '\n### CPU per finished game (steady window, %s s, %s games)\n\n' "$1" "$games"
  printf '| process | CPU s | share of 2 cores | CPU ms per game |\n|---|---|---|---|\n'
  join "$WORK/$2-cpu.start" "$WORK/$2-cpu.end" | awk -v hz="$hz" -v s="$1" -v g="$games" -v n="$(nproc)" '
    $1 ~ /^(proofstell|postgres|loadgen|redis-server)$/ {
      d = ($3 - $2) / hz; total += d
      printf "| %s | %.2f | %.0f %% | %.3f |\n", $1, d, 100 * d / (s * n), 1000 * d / g }
    END { printf "| all four | %.2f | %.0f %% | %.3f |\n", total, 100 * total / (s * n), 1000 * total / g }'
}

profile() { # profile DELAY_SECONDS PPROF_PATH FILE: fetch a pprof profile in the background
  [[ "$PROFILE" == 1 ]] || return 0
  (sleep "$1" && curl -sf -o "$WORK/$3" "http://${BENCH_PPROF_ADDR:-127.0.0.1:6060}/debug/pprof/$2" && log "saved $WORK/$3") &
}

scenario_rest() {
  log "scenario 2: REST top-100 vs bare chi, then around-me and my rank signed in"
  ensure_server
  taskset -c "$SERVER_CPU" "$WORK/rest" serve -listen "127.0.0.1:$BARE_PORT" \
    -body-from "http://127.0.0.1:$PORT" -lifetime 3m 2>"$WORK/bare.log" &
  BARE_PID=$!
  for _ in $(seq 1 40); do
    curl -sf -o /dev/null "http://127.0.0.1:$BARE_PORT/api/v1/leaderboards/global?limit=100" && break
    sleep 0.25
  done
  # Profile the real server's timed phases (after each 2 s warm-up): top-100
  # first, around-me after the bare run (signed-in reads need the games
  # scenario's bots on the board).
  profile 4 "profile?seconds=8" rest-cpu.pb.gz
  profile 30 "profile?seconds=8" rest-around-cpu.pb.gz
  timeout 90 taskset -c "$CLIENT_CPU" "$WORK/rest" measure -real "http://127.0.0.1:$PORT" \
    -bare "http://127.0.0.1:$BARE_PORT" -workers "$REST_WORKERS" -duration "$REST_DURATION" \
    -out "$WORK/rest.md" >/dev/null 2>"$WORK/rest.log" || log "rest harness failed (see $WORK/rest.log)"
  stop_pid "$BARE_PID"; BARE_PID=""
}

scenario_idle() {
  log "scenario 3: $IDLE_SOCKETS idle sockets (guests sign in, then a fresh server is measured)"
  idle_sockets idle ws ""
}

# idle_sockets NAME GATEWAY PROFILE_PREFIX: IDLE_SOCKETS idle sockets over
# GATEWAY (ws or socketio), measured on a fresh server process; the report
# goes to $WORK/NAME.md, the logs to $WORK/NAME.log and NAME-signin.log, the
# profiles (PROFILE=1) to PROFILE_PREFIX + heap.pb.gz, goroutine.pb.gz,
# heap.txt. The server is stopped afterwards.
idle_sockets() {
  local name=$1 gateway=$2 prefix=$3
  # The guests sign in against one server process; the measured process is
  # started afterwards and serves nothing but readiness probes before the
  # first RSS reading, so its heap holds no garbage of the sign-ins.
  stop_server
  start_server
  timeout 120 taskset -c "$CLIENT_CPU" "$WORK/idle" -addr "127.0.0.1:$PORT" -sockets "$IDLE_SOCKETS" \
    -tokens-out "$WORK/$name-tokens.txt" -timeout 110s >/dev/null 2>"$WORK/$name-signin.log" ||
    log "idle sign-ins failed (see $WORK/$name-signin.log)"
  stop_server
  start_server
  # Handshakes of 10k sockets take ~5 s here; with PROFILE=1 the sockets are
  # held 40 s so the profiles at 20 s see all of them.
  local hold=${IDLE_HOLD:-6s}
  [[ "$PROFILE" == 1 ]] && hold=${IDLE_HOLD:-40s}
  profile 20 "heap?gc=1" "${prefix}heap.pb.gz"
  profile 21 "goroutine" "${prefix}goroutine.pb.gz"
  profile 22 "heap?debug=1" "${prefix}heap.txt" # MemStats: stacks, heap in use, next GC
  timeout 180 taskset -c "$CLIENT_CPU" "$WORK/idle" -addr "127.0.0.1:$PORT" -pid "$SERVER_PID" -gateway "$gateway" \
    -sockets "$IDLE_SOCKETS" -tokens-in "$WORK/$name-tokens.txt" -hold "$hold" -timeout 150s \
    -out "$WORK/$name.md" >/dev/null 2>"$WORK/$name.log" ||
    log "idle benchmark failed (see $WORK/$name.log)"
  rm -f "$WORK/$name-tokens.txt"
  stop_server
}

# scenario_socketio: issue #13's comparison of the Socket.IO gateway with
# /ws, in one run on one server build. The games scenario's load (GAMES
# bots) over ws, then over socketio, each on a fresh server; then the idle
# measurement (IDLE_SOCKETS, fresh process) over ws, then over socketio. The
# bots' guest accounts are created first, so neither run pays for creating
# them. The section puts the steady-state judged-whack p50 and p99 and the
# RSS per idle socket side by side with the ratio socketio / ws against
# SOCKETIO_TARGET (1.2).
scenario_socketio() {
  log "scenario socketio: $GAMES games and $IDLE_SOCKETS idle sockets, over ws then socketio"
  stop_server # an earlier scenario (idle) may have left none running
  start_server
  timeout 120 taskset -c "$CLIENT_CPU" "$WORK/idle" -addr "127.0.0.1:$PORT" -sockets "$GAMES" \
    -device-prefix loadgen-bot- -tokens-out "$WORK/socketio-bots.txt" -timeout 110s >/dev/null \
    2>"$WORK/socketio-bots.log" || log "bot sign-ins failed (see $WORK/socketio-bots.log)"
  rm -f "$WORK/socketio-bots.txt"
  local gateway
  for gateway in ws socketio; do
    stop_server
    start_server
    play_games "socketio-games-$gateway" "$gateway" "socketio-$gateway-"
  done
  for gateway in ws socketio; do
    idle_sockets "socketio-idle-$gateway" "$gateway" "socketio-$gateway-"
  done
  socketio_report >"$WORK/socketio.md"
}

socketio_report() { # the markdown section of scenario_socketio
  local ws sio ws_p50 ws_p99 sio_p50 sio_p99
  read -r ws_p50 ws_p99 <<<"$(steady_judged "$WORK/socketio-games-ws.md")"
  read -r sio_p50 sio_p99 <<<"$(steady_judged "$WORK/socketio-games-socketio.md")"
  ws=$(idle_per_socket "$WORK/socketio-idle-ws.md")
  sio=$(idle_per_socket "$WORK/socketio-idle-socketio.md")
  printf 'Same server build; a fresh server process for each measurement. Round trip: %s concurrent classic games,\n' "$GAMES"
  printf 'steady-state judged whack (`game:whack` to its `game:hit`/`game:miss`, measured the same way on both).\n'
  printf 'Memory: RSS per idle authenticated socket, %s sockets, fresh process. Target (#13): Socket.IO ≤ %s× /ws.\n\n' \
    "$IDLE_SOCKETS" "$SOCKETIO_TARGET"
  printf '| metric | /ws | Socket.IO | Socket.IO ÷ /ws | ≤ %s× |\n|---|---|---|---|---|\n' "$SOCKETIO_TARGET"
  ratio_row "judged whack p50" ms "$ws_p50" "$sio_p50"
  ratio_row "judged whack p99" ms "$ws_p99" "$sio_p99"
  ratio_row "RSS per idle socket" KiB "$ws" "$sio"
  local f
  for f in socketio-games-ws socketio-games-socketio socketio-idle-ws socketio-idle-socketio; do
    printf '\n'
    if [[ -s "$WORK/$f.md" ]]; then cat "$WORK/$f.md"; else printf '_%s: no result; see %s.log._\n' "$f" "$f"; fi
  done
}

steady_judged() { # steady_judged REPORT: "p50 p99" in ms of a loadgen report's steady state ("- -" without)
  [[ -s "$1" ]] || { echo "- -"; return 0; }
  awk -F'|' '/^\| steady-state judged round trip p50/ {
      split($3, a, "/"); p50 = a[1]; p99 = a[3]; gsub(/[ ms]/, "", p50); gsub(/[ ms]/, "", p99)
    } END {printf "%s %s\n", (p50 == "" ? "-" : p50), (p99 == "" ? "-" : p99)}' "$1"
}

idle_per_socket() { # idle_per_socket REPORT: KiB per idle socket of an idle report ("-" without)
  [[ -s "$1" ]] || { echo "-"; return 0; }
  awk -F'|' '/^\| RSS per idle socket/ {v = $3; gsub(/[ KiB]/, "", v)} END {print (v == "" ? "-" : v)}' "$1"
}

ratio_row() { # ratio_row METRIC UNIT WS SOCKETIO: one row of the comparison, with its verdict
  awk -v m="$1" -v u="$2" -v a="$3" -v b="$4" -v t="$SOCKETIO_TARGET" 'BEGIN {
    if (a == "-" || b == "-" || a + 0 <= 0) {
      printf "| %s | %s | %s | - | NO DATA |\n", m, (a == "-" ? a : a " " u), (b == "-" ? b : b " " u); exit
    }
    r = b / a
    printf "| %s | %s %s | %s %s | %.2f× | %s |\n", m, a, u, b, u, r, (r <= t + 0 ? "MET" : "MISSED")
  }'
}

# scenario_fanout: one broadcast to FANOUT_SUBSCRIBERS sockets (fresh server).
# Self-contained: builds its own program; the broadcasts are published on
# the server's own event bus channel (REDIS_PREFIX + "events:leaderboard:daily").
scenario_fanout() {
  log "scenario 4: fan-out to ${FANOUT_SUBSCRIBERS:-1000,5000} sockets (fresh server)"
  go build -o "$WORK/fanout" ./bench/fanout
  stop_server
  start_server
  timeout 240 taskset -c "$CLIENT_CPU" "$WORK/fanout" -addr "127.0.0.1:$PORT" -redis-prefix "$REDIS_PREFIX" \
    -subscribers "${FANOUT_SUBSCRIBERS:-1000,5000}" -broadcasts "${FANOUT_BROADCASTS:-40}" -timeout 200s \
    -out "$WORK/fanout.md" >/dev/null 2>"$WORK/fanout.log" || log "fan-out benchmark failed (see $WORK/fanout.log)"
  stop_server
}

# scenario_matchmaking: issue #15's matchmaking benchmark (fresh server).
# MATCHMAKING_PLAYERS guests sign in, get seeded ratings in
# MATCHMAKING_MODE, open a socket each and join the queue evenly over
# MATCHMAKING_DURATION; each is timed to its matchmaking:matched and then
# leaves. The report adds the rating spread inside the matches, matches
# per second and the server's CPU per ticket. Then the matchmaker's Go
# benchmarks (one grain in process, and queue.Form) with the server
# stopped. Self-contained: builds its own program.
scenario_matchmaking() {
  log "scenario matchmaking: $MATCHMAKING_PLAYERS players over $MATCHMAKING_DURATION, ${MATCHMAKING_SIZE}-player $MATCHMAKING_MODE"
  go build -o "$WORK/matchmaking" ./bench/matchmaking
  stop_server
  start_server
  : >"$WORK/matchmaking.log"
  # Profile the joins (at most 20 s, starting 2 s in): they start after the
  # sign-ins and the sockets' idle hold, which the program logs ("joining").
  if [[ "$PROFILE" == 1 ]]; then
    local secs; secs=$(seconds_of "$MATCHMAKING_DURATION"); secs=${secs:-23}
    secs=$((secs > 23 ? 20 : (secs > 4 ? secs - 3 : 1)))
    (for _ in $(seq 1 600); do grep -q "joining" "$WORK/matchmaking.log" && break; sleep 0.5; done
      sleep 2; curl -sf -o "$WORK/matchmaking-cpu.pb.gz" "http://${BENCH_PPROF_ADDR:-127.0.0.1:6060}/debug/pprof/profile?seconds=$secs" &&
      log "saved $WORK/matchmaking-cpu.pb.gz") &
  fi
  timeout 600 taskset -c "$CLIENT_CPU" "$WORK/matchmaking" -addr "127.0.0.1:$PORT" -pid "$SERVER_PID" \
    -db "$PG/$DB_NAME" -players "$MATCHMAKING_PLAYERS" -duration "$MATCHMAKING_DURATION" \
    -size "$MATCHMAKING_SIZE" -mode "$MATCHMAKING_MODE" -timeout 580s \
    -out "$WORK/matchmaking.md" >/dev/null 2>"$WORK/matchmaking.log" ||
    log "matchmaking benchmark failed (see $WORK/matchmaking.log)"
  stop_server
  {
    printf 'One grain in process (`BenchmarkGrain_Joins`: 20,000 joins at each rate on a simulated clock) and\n'
    printf 'queue.Form over a waiting queue (`BenchmarkForm`); the server is stopped.\n\n```\n'
    timeout 300 go test -run='^$' -bench='Grain_Joins' -benchtime=20000x -count=1 ./actors/matchmaker/ 2>&1 |
      grep -E '^(Benchmark|ok|FAIL|---|cpu)' || true
    timeout 300 go test -run='^$' -bench='Form' -benchmem -count=1 ./actors/matchmaker/queue/ 2>&1 |
      grep -E '^(Benchmark|ok|FAIL|---)' || true
    printf '```\n'
  } >"$WORK/matchmaking-go.md"
}

# Scenario detector: the consistency detector (actors/session/detector) over
# games simulated through the pure rules, no server: false flags over
# DETECTOR_GAMES games of the load generator's own bots and as many of a
# wider human model, and after how many games it catches DETECTOR_BOTS bots
# of each cheating kind. The program exits 1 when a target is missed.
scenario_detector() {
  log "scenario detector: $DETECTOR_GAMES games per human population, $DETECTOR_BOTS bots per kind"
  go build -o "$WORK/detector" ./bench/detector
  timeout 300 taskset -c "$CLIENT_CPU" "$WORK/detector" -games "$DETECTOR_GAMES" -bots "$DETECTOR_BOTS" \
    -out "$WORK/detector.md" >/dev/null 2>"$WORK/detector.log" ||
    log "detector: a target was missed or the run failed (see $WORK/detector.md, $WORK/detector.log)"
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
    [[ -z "$SERVER_REF" ]] || printf -- '- server built from `%s` (`%s`); load programs from the commit above\n' \
      "$SERVER_REF" "$(git rev-parse --short "$SERVER_REF")"
    printf -- '- machine: %s CPUs (%s), %s, Go %s\n' "$(nproc)" \
      "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')" "$(uname -sr)" "$(go env GOVERSION)"
    printf -- '- pinning: server on CPU %s, load generators on CPU %s; server GOGC=%s, LOG_LEVEL=warn %s\n' \
      "$SERVER_CPU" "$CLIENT_CPU" "$SERVER_GOGC" "$SERVER_ENV"
    printf -- '- load average at start: %s\n' "$LOAD_AT_START"
    printf -- '- PostgreSQL on port %s: %s\n' "$BENCH_PG_PORT" "$(psql "$PG/postgres" -qtAc "SELECT
      split_part(version(), ' ', 2) || ', autovacuum ' || current_setting('autovacuum') || ', synchronous_commit ' ||
      current_setting('synchronous_commit') || ', shared_buffers ' || current_setting('shared_buffers')" 2>/dev/null)"
    ran games && section "1,000 concurrent games" "$WORK/games.md"
    ran throughput && section "Durable results (throughput)" "$WORK/throughput.md"
    ran rest && section "REST reads" "$WORK/rest.md"
    ran idle && section "Idle sockets" "$WORK/idle.md"
    ran fanout && section "Fan-out" "$WORK/fanout.md"
    ran overload && section "Overload" "$WORK/overload.md"
    ran socketio && section "Socket.IO vs /ws" "$WORK/socketio.md"
    ran matchmaking && section "Matchmaking" "$WORK/matchmaking.md"
    ran matchmaking && section "Matchmaker Go benchmarks" "$WORK/matchmaking-go.md"
    ran detector && section "Consistency detector" "$WORK/detector.md"
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
