package chainwriter_test

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/chainwriter"
	"github.com/proofstell/proofstell/chain/chaintest"
	"github.com/proofstell/proofstell/chain/relay"
	"github.com/proofstell/proofstell/chain/starknet"
	"github.com/proofstell/proofstell/persistence"
)

const (
	// benchMints is how many pending requests one drain works through.
	benchMints = 500
	// drainTimeout bounds one drain; reaching it fails the benchmark.
	drainTimeout = 5 * time.Minute
)

// BenchmarkWriter_Drain measures mints per second through one chain writer
// over real Postgres and real HTTP to the fake node (real signatures): each
// op drains benchMints pending requests, ticking the writer after every
// step it reports (a tick while it is busy does nothing), until it finds
// the queue empty. polls is how many receipt queries find a tx still
// pending before it is final.
func BenchmarkWriter_Drain(b *testing.B) {
	for _, polls := range []int{0, 2} {
		for _, size := range []int{1, 10, 50} {
			b.Run(fmt.Sprintf("polls=%d/batch=%d", polls, size), func(b *testing.B) {
				benchDrain(b, size, polls)
			})
		}
	}
}

func benchDrain(b *testing.B, batchSize, polls int) {
	f := newBenchFixture(b, benchMints)
	f.node.SetReceiptPolls(polls)
	l, err := f.store.AcquireLease(context.Background(), persistence.ChainWriterLease, "bench", leaseTTL)
	require.NoError(b, err)
	steps := make(chan chainwriter.Step, 1024)
	spent := &callTimes{d: map[string]time.Duration{}, n: map[string]int{}}
	deps := chainwriter.Deps{Store: timedStore{f.store, spent}, Chain: timedChain{f.minter, spent}, Queue: persistence.ChainStarknet, Events: f.events,
		Base: b.Context(), Now: f.clk.Now, BatchSize: batchSize, Probe: func(s chainwriter.Step) { steps <- s }}
	pid := f.system.Root.Spawn(chainwriter.Props(deps, l))
	awaitStep(b, steps, "loaded")
	b.ResetTimer()
	txs, calls := 0, int64(0)
	for range b.N {
		b.StopTimer()
		spent.reset()
		awarded := awardAll(b, f)
		sentBefore, callsBefore := len(f.node.Txs()), f.node.Calls()
		b.StartTimer()
		drain(b, f.system, pid, steps)
		b.StopTimer()
		txs += len(f.node.Txs()) - sentBefore
		calls += f.node.Calls() - callsBefore
		requireAccepted(b, f, awarded)
	}
	// The breakdown is of the last op only (reset before each).
	opTxs := txs / b.N
	b.ReportMetric(spent.sum("db.")/float64(opTxs), "db-ms/tx")
	b.ReportMetric(spent.sum("node.")/float64(opTxs), "node-ms/tx")
	b.Logf("wall time per tx by call, last op: %s", spent.per(opTxs))
	elapsed := b.Elapsed()
	b.ReportMetric(float64(benchMints*b.N)/elapsed.Seconds(), "mints/s")
	b.ReportMetric(float64(txs)/float64(b.N), "txs/op")
	b.ReportMetric(float64(elapsed.Microseconds())/1e3/float64(txs), "ms/tx")
	b.ReportMetric(float64(calls)/float64(txs), "rpc/tx")
}

// drain ticks the writer after each step until it reports the queue empty
// (idle: nothing pending, nothing in flight).
func drain(b *testing.B, sys *actor.ActorSystem, pid *actor.PID, steps <-chan chainwriter.Step) {
	b.Helper()
	deadline := time.After(drainTimeout)
	sys.Root.Send(pid, &chainwriter.Tick{})
	for {
		select {
		case s := <-steps:
			switch s.Kind {
			case "idle":
				return
			case "fenced", "error", "send_failed", "receipt_failed", "dropped", "split":
				b.Fatalf("unexpected step %+v", s)
			}
			sys.Root.Send(pid, &chainwriter.Tick{})
		case <-deadline:
			b.Fatalf("queue not drained within %s", drainTimeout)
		}
	}
}

// awaitStep waits for a step of kind, skipping none.
func awaitStep(b *testing.B, steps <-chan chainwriter.Step, kind string) {
	b.Helper()
	select {
	case s := <-steps:
		require.Equal(b, kind, s.Kind, "step %+v", s)
	case <-time.After(waitFor):
		b.Fatalf("no step %s", kind)
	}
}

// newBenchFixture is newFixture for a benchmark (which has no *testing.T):
// n wallet players, no requests yet (awardAll queues them).
func newBenchFixture(b *testing.B, n int) *fixture {
	b.Helper()
	f := newStoreFixture(b)
	f.node = chaintest.NewNode(b, chainID)
	relayer := f.node.NewAccount(b, chaintest.KindArgent)
	f.minter, f.account = newMinter(b, f.node, relayer), relayer.Address
	for range n {
		addr := f.node.UndeployedAccount(b).Address
		p, _, err := f.store.SignInWallet(context.Background(), persistence.ChainStarknet, addr)
		require.NoError(b, err)
		f.players, f.addrs = append(f.players, p), append(f.addrs, addr)
	}
	return f
}

// awardAll awards a new mintable badge to every player: one pending mint
// request each, written by AwardBadge itself. It returns the badge's id.
func awardAll(b *testing.B, f *fixture) string {
	b.Helper()
	ctx := context.Background()
	badge, err := f.store.CreateBadge(ctx, persistence.SystemActor("test"), persistence.Badge{Slug: "bench-" + uuid.NewString()[:8], Name: "Minted",
		Description: "d", Icon: "i.svg", Rarity: persistence.RarityRare, Points: 5, Category: "bench", Active: true,
		Mintable: true, Criteria: []byte(`{"kind":"games_played","n":3}`)})
	require.NoError(b, err)
	for _, p := range f.players {
		f.clk.Advance(time.Microsecond) // requests get distinct, ordered creation times
		awarded, err := f.store.AwardBadge(ctx, p.ID, badge.ID, persistence.SourceAdmin)
		require.NoError(b, err)
		require.True(b, awarded)
	}
	return badge.ID
}

// requireAccepted checks that every player's request for badgeID was
// accepted and that the node holds the token in the player's wallet.
func requireAccepted(b *testing.B, f *fixture, badgeID string) {
	b.Helper()
	ctx := context.Background()
	for i, p := range f.players {
		ms, err := f.store.PlayerMints(ctx, p.ID)
		require.NoError(b, err)
		found := false
		for _, m := range ms {
			if m.BadgeID == badgeID {
				found = true
				require.Equal(b, persistence.MintAccepted, m.Status)
			}
		}
		require.True(b, found, "no mint request of %s for %s", badgeID, p.ID)
		owner, ok := f.node.OwnerOf(persistence.MintTokenID(badgeID, p.ID))
		require.True(b, ok, "token of %s not minted", p.ID)
		require.Equal(b, f.addrs[i], owner)
	}
}

// callTimes adds up the wall time the writer's store and node calls take.
type callTimes struct {
	mu sync.Mutex
	d  map[string]time.Duration
	n  map[string]int
}

func (c *callTimes) add(name string, start time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.d[name] += time.Since(start)
	c.n[name]++
}

func (c *callTimes) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	clear(c.d)
	clear(c.n)
}

// sum is the milliseconds spent in calls whose name starts with prefix.
func (c *callTimes) sum(prefix string) float64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	var total time.Duration
	for name, d := range c.d {
		if strings.HasPrefix(name, prefix) {
			total += d
		}
	}
	return float64(total.Microseconds()) / 1e3
}

// per lists each call's milliseconds per tx and its count per tx.
func (c *callTimes) per(txs int) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	names := make([]string, 0, len(c.d))
	for name := range c.d {
		names = append(names, name)
	}
	sort.Strings(names)
	out := make([]string, len(names))
	for i, name := range names {
		out[i] = fmt.Sprintf("%s %.2f ms (%.1f calls)", name, float64(c.d[name].Microseconds())/1e3/float64(txs),
			float64(c.n[name])/float64(txs))
	}
	return strings.Join(out, ", ")
}

// timedStore is the store with the writer's hot calls timed.
type timedStore struct {
	persistence.ChainWriterStore
	t *callTimes
}

func (s timedStore) PendingMints(ctx context.Context, chain persistence.Chain, limit int) ([]persistence.MintRequest, error) {
	defer s.t.add("db.PendingMints", time.Now())
	return s.ChainWriterStore.PendingMints(ctx, chain, limit)
}

func (s timedStore) MintQueueStats(ctx context.Context, chain persistence.Chain) (persistence.QueueStats, error) {
	defer s.t.add("db.MintQueueStats", time.Now())
	return s.ChainWriterStore.MintQueueStats(ctx, chain)
}

func (s timedStore) PendingRoots(ctx context.Context, limit int) ([]persistence.PeriodRoot, error) {
	defer s.t.add("db.PendingRoots", time.Now())
	return s.ChainWriterStore.PendingRoots(ctx, limit)
}

func (s timedStore) RecordSigned(ctx context.Context, l persistence.Lease, tx persistence.MintTx, w persistence.TxWork) error {
	defer s.t.add("db.RecordSigned", time.Now())
	return s.ChainWriterStore.RecordSigned(ctx, l, tx, w)
}

func (s timedStore) MarkMintTxAccepted(ctx context.Context, l persistence.Lease, hash string) ([]persistence.MintRequest, error) {
	defer s.t.add("db.MarkMintTxAccepted", time.Now())
	return s.ChainWriterStore.MarkMintTxAccepted(ctx, l, hash)
}

// timedChain is the minter with its node calls timed. Prepare is one
// starknet_estimateFee round trip plus the tx hash and the signature.
type timedChain struct {
	*starknet.Minter
	t *callTimes
}

func (c timedChain) Nonce(ctx context.Context) (uint64, error) {
	defer c.t.add("node.Nonce", time.Now())
	return c.Minter.Nonce(ctx)
}

func (c timedChain) Prepare(ctx context.Context, nonce uint64, w relay.Work, feeScale float64) (relay.Signed, error) {
	defer c.t.add("node.Prepare", time.Now())
	return c.Minter.Prepare(ctx, nonce, w, feeScale)
}

func (c timedChain) Send(ctx context.Context, tx relay.Signed) error {
	defer c.t.add("node.Send", time.Now())
	return c.Minter.Send(ctx, tx)
}

func (c timedChain) Receipt(ctx context.Context, hash string) (relay.Receipt, error) {
	defer c.t.add("node.Receipt", time.Now())
	return c.Minter.Receipt(ctx, hash)
}
