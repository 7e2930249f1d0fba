#!/usr/bin/env bash
# bench/cluster/run.sh — build the server once and run the three cluster
# benchmarks (grain request across members, judged-whack round trip on one
# member vs a cluster, failover after kill -9), then write the results to
# bench/results/<date>-cluster.md. Bounded: about 7 minutes here (every step
# has a timeout; worst case ~15 minutes).
#
# Members are pinned to one CPU and the benchmark clients to the other, as
# in bench/run.sh. Environment knobs (with defaults): SERVER_CPU=0
# CLIENT_CPU=1 GRAIN_SEQ=20000 GRAIN_REQUESTS=100000 GRAIN_WORKERS=64
# GAMES=90 NODES=3 ITERATIONS=20
# SCENARIOS="grainreq whackrtt whackrtt_free failover" (whackrtt_free leaves
# the members unpinned),
# FAILOVER_ENV for extra member variables in the failover run (e.g.
# FAILOVER_ENV="ACTOR_IO_TIMEOUT=1s"); RESULTS_FILE overrides the report path.
#
# Each program creates and drops its own databases (proofstell_bench_*_<pid>)
# and Redis prefixes (bench-*_<pid>:), and stops only the members it started.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"

SERVER_CPU=${SERVER_CPU:-0}
CLIENT_CPU=${CLIENT_CPU:-1}
GRAIN_SEQ=${GRAIN_SEQ:-20000}
GRAIN_REQUESTS=${GRAIN_REQUESTS:-100000}
GRAIN_WORKERS=${GRAIN_WORKERS:-64}
GAMES=${GAMES:-90}
NODES=${NODES:-3}
ITERATIONS=${ITERATIONS:-20}
SCENARIOS=${SCENARIOS:-grainreq whackrtt whackrtt_free failover}
FAILOVER_ENV=${FAILOVER_ENV:-}

WORK="$ROOT/bench/results/tmp/cluster-$$"
mkdir -p "$WORK" "$ROOT/bench/results"
OUT=${RESULTS_FILE:-"$ROOT/bench/results/$(date -u +%Y-%m-%d)-cluster.md"}

log() { printf '[cluster %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

ensure_services() {
  pg_isready -q -h 127.0.0.1 -p 5432 || service postgresql start >/dev/null 2>&1 || true
  redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 || service redis-server start >/dev/null 2>&1 || true
  for _ in $(seq 1 40); do
    pg_isready -q -h 127.0.0.1 -p 5432 && redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  log "postgres or redis is not reachable on 127.0.0.1"; exit 1
}

build() {
  log "building the server (no -race) and the three programs"
  go build -o "$WORK/proofstell" ./cmd/proofstell
  for p in grainreq whackrtt failover; do go build -o "$WORK/$p" "./bench/cluster/$p"; done
}

scenario_grainreq() {
  log "grain request: ours vs bare protoactor across two members"
  timeout 300 taskset -c "$CLIENT_CPU" "$WORK/grainreq" -host-cpu "$SERVER_CPU" -seq "$GRAIN_SEQ" \
    -requests "$GRAIN_REQUESTS" -concurrent "$GRAIN_WORKERS" -cpuprofile "$WORK/grainreq-cpu.pb.gz" \
    -out "$WORK/grainreq.md" >/dev/null 2>"$WORK/grainreq.log" || log "grainreq failed (see $WORK/grainreq.log)"
}

scenario_whackrtt() { # members pinned to SERVER_CPU: the same CPU budget for 1 and NODES members
  whackrtt "$SERVER_CPU" whackrtt
}

scenario_whackrtt_free() { # members free on both CPUs: the topology's cost without the time-sharing
  whackrtt -1 whackrtt-free
}

whackrtt() { # whackrtt MEMBER_CPU NAME
  log "judged-whack round trip ($2): 1 member vs $NODES members, $GAMES games each"
  timeout 480 taskset -c "$CLIENT_CPU" "$WORK/whackrtt" -bin "$WORK/proofstell" -work "$WORK/$2-logs" \
    -server-cpu "$1" -games "$GAMES" -nodes "$NODES" -out "$WORK/$2.md" >/dev/null \
    2>"$WORK/$2.log" || log "whackrtt failed (see $WORK/$2.log)"
}

scenario_failover() {
  log "failover: $ITERATIONS kills of a session's host"
  timeout 600 taskset -c "$CLIENT_CPU" "$WORK/failover" -bin "$WORK/proofstell" -work "$WORK/failover-logs" \
    -server-cpu "$SERVER_CPU" -nodes "$NODES" -iterations "$ITERATIONS" -server-env "$FAILOVER_ENV" \
    -out "$WORK/failover.md" >/dev/null 2>"$WORK/failover.log" || log "failover failed (see $WORK/failover.log)"
}

section() { # section TITLE FILE
  printf '\n## %s\n\n' "$1"
  if [[ -s "$2" ]]; then cat "$2"; else printf '_No result: the scenario failed or was skipped; see its log in %s._\n' "${WORK#"$ROOT"/}"; fi
}

write_results() {
  {
    printf '# Cluster benchmark run %s\n\n' "$(date -u +'%Y-%m-%d %H:%M UTC')"
    printf -- '- commit: `%s`%s\n' "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)" \
      "$(git diff --quiet 2>/dev/null || echo ' (with uncommitted changes)')"
    printf -- '- machine: %s CPUs (%s), %s, Go %s\n' "$(nproc)" \
      "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')" "$(uname -sr)" "$(go env GOVERSION)"
    printf -- '- pinning: members on CPU %s, benchmark clients on CPU %s; members NODE_ENV=test, LOG_LEVEL=warn, automanaged provider (probe 250ms, suspect after 2)\n' \
      "$SERVER_CPU" "$CLIENT_CPU"
    printf -- '- load average at start: %s\n' "$LOAD_AT_START"
    section "Grain request across members" "$WORK/grainreq.md"
    section "Judged-whack round trip, members pinned to CPU $SERVER_CPU" "$WORK/whackrtt.md"
    section "Judged-whack round trip, members not pinned" "$WORK/whackrtt-free.md"
    section "Failover" "$WORK/failover.md"
  } >"$OUT"
  log "results written to ${OUT#"$ROOT"/}"
}

LOAD_AT_START=$(cut -d' ' -f1-3 /proc/loadavg)
ensure_services
build
for scenario in $SCENARIOS; do "scenario_$scenario"; done
write_results
