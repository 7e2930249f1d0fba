package matchmaker_test

import (
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"slices"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/asynkron/protoactor-go/cluster"

	"github.com/proofstell/proofstell/actors/matchmaker"
	"github.com/proofstell/proofstell/actors/protos"
	"github.com/proofstell/proofstell/config"
)

// Skill of the benchmark's players: rating ordinals (mu − 3σ) with the
// mean and spread of the population the end-to-end benchmark seeds
// (bench/internal/population), as in queue's benchmarks.
const (
	benchOrdinalMean = 9.3
	benchOrdinalSD   = 9.7
)

// benchTick is the default MATCHMAKING_TICK_INTERVAL.
const benchTick = 500 * time.Millisecond

// BenchmarkGrain_Joins drives one matchmaker activation in process with
// b.N solo joins arriving at a steady rate on the grain's simulated clock,
// with the default skill window and status interval and a tick every
// 500 ms of that clock: the messages a node's grain handles, without the
// sockets. ns/op is the grain's wall time per join, the ticks and the
// matches they form included (plus one mailbox round trip per tick, the
// benchmark's own); busy_% is the share of one core the grain needs at
// that arrival rate (rate × ns/op): below 100 % it keeps up. p50_wait_s
// and p99_wait_s are the simulated time from join to match of the
// matched tickets, matched_% how many were matched 60 simulated seconds
// after the last join.
func BenchmarkGrain_Joins(b *testing.B) {
	for _, size := range []int{2, 4} {
		for _, rate := range []int{166, 1_000, 5_000} {
			b.Run(fmt.Sprintf("players=%d/joins_per_s=%d", size, rate), func(b *testing.B) {
				newJoinBench(b, size, rate).run(b)
			})
		}
	}
}

// joinBench is one grain, its simulated clock and the stand-in players.
type joinBench struct {
	system *actor.ActorSystem
	grain  *actor.PID
	to     *actor.PID // every player's connection: the sink
	sink   *sink
	clock  atomic.Int64 // unix ns
	start  time.Time
	every  time.Duration
	size   int
	rate   int
}

func newJoinBench(b *testing.B, size, rate int) *joinBench {
	b.Helper()
	j := &joinBench{start: time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC), every: time.Second / time.Duration(rate), size: size, rate: rate}
	j.clock.Store(j.start.UnixNano())
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	j.system = actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger { return quiet }))
	var ids atomic.Int64
	j.grain = j.system.Root.Spawn(matchmaker.Props(matchmaker.Deps{
		Config: config.Matchmaking{TickInterval: time.Hour, StatusInterval: 5 * time.Second,
			WindowStart: 3, WindowPerSecond: 1, WindowMax: 50, MaxTickets: 10_000_000},
		Now: j.now, Logger: quiet,
		NewSessionID: func() string { return fmt.Sprintf("00000000-0000-4000-8000-%012d", ids.Add(1)) },
	}))
	j.system.Root.Send(j.grain, &cluster.ClusterInit{Identity: cluster.NewClusterIdentity("classic", "matchmaker")})
	j.sink = &sink{bench: j}
	j.to = j.system.Root.Spawn(actor.PropsFromProducer(func() actor.Actor { return j.sink }))
	b.Cleanup(func() {
		_ = j.system.Root.StopFuture(j.grain).Wait()
		j.system.Shutdown()
	})
	return j
}

func (j *joinBench) now() time.Time { return time.Unix(0, j.clock.Load()).UTC() }

// joinedAt is when ticket i joined.
func (j *joinBench) joinedAt(i int) time.Time { return j.start.Add(time.Duration(i) * j.every) }

func (j *joinBench) run(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2)) //nolint:gosec // a benchmark's reproducible skills
	next := j.start.Add(benchTick)
	b.ResetTimer()
	for i := range b.N {
		for at := j.joinedAt(i); !at.Before(next); next = next.Add(benchTick) {
			j.tick(b, next)
		}
		j.clock.Store(j.joinedAt(i).UnixNano())
		ref := &protos.PlayerRef{PlayerId: "p" + strconv.Itoa(i), Username: "bench", Address: j.to.Address, Id: j.to.Id}
		j.system.Root.Send(j.grain, &protos.EnqueueTicket{From: ref, RequestId: 1, TicketId: strconv.Itoa(i),
			Players: int32(j.size), EnqueuedAtUnixMicro: j.joinedAt(i).UnixMicro(), //nolint:gosec // 2 or 4
			Members: []*protos.QueueMember{{Player: ref, Skill: benchOrdinalMean + benchOrdinalSD*rng.NormFloat64()}}})
	}
	j.sync(b, j.grain)
	b.StopTimer()
	b.ReportMetric(float64(j.rate)*float64(b.Elapsed().Nanoseconds())/float64(b.N)/1e7, "busy_%")
	for end := next.Add(time.Minute); next.Before(end); next = next.Add(benchTick) {
		j.tick(b, next)
	}
	waits := j.sink.waits
	slices.Sort(waits)
	if len(waits) > 0 {
		b.ReportMetric(waits[len(waits)/2].Seconds(), "p50_wait_s")
		b.ReportMetric(waits[(len(waits)*99+99)/100-1].Seconds(), "p99_wait_s")
	}
	b.ReportMetric(float64(len(waits))/float64(b.N)*100, "matched_%")
}

// tick sends the timer message at its simulated time and waits until the
// grain and the sink handled it: the grain reads the clock as it handles
// a message, so later joins must not move the clock under it.
func (j *joinBench) tick(b *testing.B, at time.Time) {
	j.clock.Store(at.UnixNano())
	j.system.Root.Send(j.grain, &matchmaker.Tick{})
	j.sync(b, j.grain)
	j.sync(b, j.to)
}

// sync waits until pid has handled every message sent to it so far.
func (j *joinBench) sync(b *testing.B, pid *actor.PID) {
	b.Helper()
	if _, err := j.system.Root.RequestFuture(pid, &actor.Touch{}, 10*time.Minute).Result(); err != nil {
		b.Fatal(err)
	}
}

// sink stands in for every player connection: it records each matched
// ticket's wait on the simulated clock (the grain's work ends at the send;
// the player actors' is theirs).
type sink struct {
	bench *joinBench
	waits []time.Duration
}

func (s *sink) Receive(ctx actor.Context) {
	if m, ok := ctx.Message().(*protos.MatchFound); ok {
		if i, err := strconv.Atoi(m.GetTicketId()); err == nil {
			s.waits = append(s.waits, s.bench.now().Sub(s.bench.joinedAt(i)))
		}
	}
}
