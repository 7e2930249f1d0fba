package leaderboard

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/proofstell/proofstell/actors/leaderboard/standings"
	"github.com/proofstell/proofstell/actors/protos"
	"github.com/proofstell/proofstell/actors/runtime/grains"
	"github.com/proofstell/proofstell/config"
	"github.com/proofstell/proofstell/persistence"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// now is the fixed test clock: the live daily period is 2026-11-24.
var now = time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)

const (
	today     = "classic/daily/2026-11-24"
	yesterday = "classic/daily/2026-11-23"
	// challengeBoard is a challenge's board: its period is the challenge id.
	challengeBoard = "classic/challenge/weekend"
)

var errStoreDown = errors.New("store down")

// key names a classic board period.
func key(board, period string) standings.Key {
	return standings.Key{Mode: standings.DefaultMode, Board: standings.Board(board), Period: period}
}

// sliceStore is a StandingChanges over in-memory rows, each stamped with the
// write that stored it (marks are write numbers). It stands in for the
// Postgres store, whose own contract tests run elsewhere. gate, when set,
// holds every call until closed (a slow rebuild); failures makes the first
// calls fail; sinces records the mark each call read from.
type sliceStore struct {
	mu       sync.Mutex
	rows     map[string][]persistence.Standing
	written  map[string][]persistence.StandingMark
	writes   persistence.StandingMark
	failures int
	gate     chan struct{}
	calls    atomic.Int32
	sinces   []persistence.StandingMark
}

func (s *sliceStore) StandingsSince(ctx context.Context, key persistence.BoardKey, since persistence.StandingMark,
	fn func(persistence.Standing) error,
) (persistence.StandingMark, error) {
	s.calls.Add(1)
	if gate := s.gateNow(); gate != nil {
		select {
		case <-gate:
		case <-ctx.Done():
			return 0, fmt.Errorf("standings since: %w", ctx.Err())
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sinces = append(s.sinces, since)
	if s.failures > 0 {
		s.failures--
		return 0, fmt.Errorf("standings since: %w", errStoreDown)
	}
	id := key.String()
	for i, r := range s.rows[id] {
		if since != 0 && s.written[id][i] < since {
			continue
		}
		if err := fn(r); err != nil {
			return 0, fmt.Errorf("standings since: %w", err)
		}
	}
	return s.writes + 1, nil
}

func (s *sliceStore) gateNow() chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.gate
}

// put stores a player's row as a commit would, bypassing every grain.
func (s *sliceStore) put(identity string, st persistence.Standing) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.writes++
	if s.written == nil {
		s.written = map[string][]persistence.StandingMark{}
	}
	for len(s.written[identity]) < len(s.rows[identity]) {
		s.written[identity] = append(s.written[identity], 0)
	}
	for i, r := range s.rows[identity] {
		if r.PlayerID == st.PlayerID {
			s.rows[identity][i], s.written[identity][i] = st, s.writes
			return
		}
	}
	s.rows[identity] = append(s.rows[identity], st)
	s.written[identity] = append(s.written[identity], s.writes)
}

// sincesNow copies the marks the calls read from.
func (s *sliceStore) sincesNow() []persistence.StandingMark {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]persistence.StandingMark(nil), s.sinces...)
}

// recorder is a Publisher that remembers what was published.
type recorder struct {
	mu     sync.Mutex
	topics []string
	events []*protos.ClientEvent
}

func (r *recorder) Publish(topic string, ev *protos.ClientEvent) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.topics = append(r.topics, topic)
	r.events = append(r.events, ev)
}

func (r *recorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.events)
}

// harness is one actor system serving leaderboard grains locally.
type harness struct {
	system  *actor.ActorSystem
	root    *actor.RootContext
	dir     *grains.LocalDirectory
	client  *Client
	store   *sliceStore
	pub     *recorder
	metrics *Metrics
}

func newHarness(t testing.TB, store *sliceStore, tweak func(*Deps)) *harness {
	t.Helper()
	metrics, err := NewMetrics(nil)
	require.NoError(t, err)
	quiet := actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger { return slog.New(slog.DiscardHandler) })
	h := &harness{system: actor.NewActorSystem(quiet), store: store, pub: &recorder{}, metrics: metrics}
	ctx, cancel := context.WithCancel(context.Background())
	deps := Deps{
		Standings:      store,
		Publisher:      h.pub,
		Now:            func() time.Time { return now },
		Config:         config.Leaderboard{PublishInterval: time.Hour, TopN: 3, IdleTimeout: time.Hour},
		Base:           ctx,
		RebuildTimeout: 10 * time.Second,
		RetryBackoff:   time.Hour, // tests send RetryTick themselves
		Metrics:        metrics,
	}
	if tweak != nil {
		tweak(&deps)
	}
	h.root = h.system.Root
	h.dir = grains.NewLocalDirectory(h.root, map[string]*actor.Props{grains.KindLeaderboard: Props(deps)})
	h.client = NewClient(h.root, h.dir, deps.Views)
	t.Cleanup(func() {
		cancel()
		h.system.Shutdown()
	})
	return h
}

// pid activates (or finds) the grain of identity.
func (h *harness) pid(t testing.TB, identity string) *actor.PID {
	t.Helper()
	pid, err := h.dir.PID(context.Background(), grains.KindLeaderboard, identity)
	require.NoError(t, err)
	return pid
}

// ask sends a query straight to the grain and waits for the reply.
func (h *harness) ask(t testing.TB, pid *actor.PID, q any) any {
	t.Helper()
	reply, err := h.root.RequestFuture(pid, q, 5*time.Second).Result()
	require.NoError(t, err)
	return reply
}

func testCtx(t testing.TB) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// standing builds a stored row achieved sec seconds into the test day.
func standing(player string, score int64, sec int) persistence.Standing {
	return persistence.Standing{
		PlayerID:   player,
		Username:   "u-" + player,
		Score:      score,
		AchievedAt: now.Add(-time.Hour + time.Duration(sec)*time.Second),
	}
}

func entryOf(s persistence.Standing) standings.Entry { return entryFromStanding(s) }

func storeWith(identity string, rows ...persistence.Standing) *sliceStore {
	return &sliceStore{rows: map[string][]persistence.Standing{identity: rows}}
}

func ids(rs []standings.Ranked) []string {
	out := make([]string, 0, len(rs))
	for _, r := range rs {
		out = append(out, fmt.Sprintf("%d:%s", r.Rank, r.PlayerID))
	}
	return out
}

func rankedIDs(rs []*protos.RankedEntry) []string {
	return ids(rankedFromProto(rs))
}
