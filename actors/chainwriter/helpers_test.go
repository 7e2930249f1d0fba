package chainwriter_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/google/uuid"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/chainwriter"
	"github.com/proofstell/proofstell/actors/protos"
	"github.com/proofstell/proofstell/chain/chaintest"
	"github.com/proofstell/proofstell/chain/relay"
	"github.com/proofstell/proofstell/chain/starknet"
	"github.com/proofstell/proofstell/config"
	"github.com/proofstell/proofstell/internal/testclock"
	"github.com/proofstell/proofstell/persistence"
	"github.com/proofstell/proofstell/persistence/postgres"
	"github.com/proofstell/proofstell/persistence/postgres/pgtest"
)

const (
	chainID  = "SN_SEPOLIA"
	leaseTTL = time.Minute
	waitFor  = 15 * time.Second
)

// recorder is a Publisher that keeps what it is given.
type recorder struct {
	mu     sync.Mutex
	events map[string][]string // topic → event data
}

func (r *recorder) Publish(topic string, ev *protos.ClientEvent) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if ev.Type == chainwriter.TypeMintStatus {
		r.events[topic] = append(r.events[topic], string(ev.Data))
	}
}

func (r *recorder) of(topic string) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.events[topic]...)
}

// fixture is a database, a fake node, a relayer and the players with
// pending mint requests.
type fixture struct {
	store      *postgres.Store
	clk        *testclock.Clock
	node       *chaintest.Node
	minter     *starknet.Minter
	other      *starknet.Minter // another account on the node: mints behind the writer's back
	account    string           // the writer's relayer account
	relayerKey string           // and its private key
	events     *recorder
	system     *actor.ActorSystem
	badge      persistence.Badge
	players    []persistence.Player
	addrs      []string
}

// newFixture awards a mintable badge to n StarkNet wallet players (n
// requests) and runs a fake StarkNet node with the writer's relayer
// account and another one.
func newFixture(t *testing.T, n int) *fixture {
	t.Helper()
	f := newStoreFixture(t)
	f.node = chaintest.NewNode(t, chainID)
	relayer := f.node.NewAccount(t, chaintest.KindArgent)
	f.minter, f.account, f.relayerKey = newMinter(t, f.node, relayer), relayer.Address, relayer.PrivateKey()
	f.other = newMinter(t, f.node, f.node.NewAccount(t, chaintest.KindArgent))
	for range n {
		f.award(t, persistence.ChainStarknet, f.node.UndeployedAccount(t).Address)
	}
	return f
}

// newMinter is a StarkNet relayer of account on node.
func newMinter(t testing.TB, node *chaintest.Node, account *chaintest.Account) *starknet.Minter {
	t.Helper()
	m, err := starknet.NewMinter(starknet.MinterConfig{URL: node.URL, ChainID: chainID, Account: account.Address,
		PrivateKey: account.PrivateKey(), Contract: chaintest.BadgeContract, Leaderboard: chaintest.LeaderboardContract})
	require.NoError(t, err)
	return m
}

// newStoreFixture is a fresh database on a test clock, an actor system and
// a mintable badge; no chain yet.
func newStoreFixture(t testing.TB) *fixture {
	t.Helper()
	ctx := context.Background()
	clk := testclock.New(time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC))
	s, err := postgres.Open(ctx, config.Database{URL: pgtest.NewDatabase(t), MaxConns: 8}, clk.Now)
	require.NoError(t, err)
	t.Cleanup(s.Close)
	f := &fixture{store: s, clk: clk, events: &recorder{events: map[string][]string{}}, system: actor.NewActorSystem()}
	t.Cleanup(f.system.Shutdown)
	f.badge, err = s.CreateBadge(ctx, persistence.SystemActor("test"), persistence.Badge{Slug: "mint-" + uuid.NewString()[:8], Name: "Minted", Description: "d",
		Icon: "i.svg", Rarity: persistence.RarityRare, Points: 5, Category: "test", Active: true, Mintable: true,
		Criteria: []byte(`{"kind":"games_played","n":3}`)})
	require.NoError(t, err)
	return f
}

// award signs in a player with the wallet addr of chain and awards the
// badge: one pending mint request to addr.
func (f *fixture) award(t *testing.T, chain persistence.Chain, addr string) {
	t.Helper()
	ctx := context.Background()
	p, _, err := f.store.SignInWallet(ctx, chain, addr)
	require.NoError(t, err)
	f.clk.Advance(time.Second) // requests get distinct, ordered creation times
	awarded, err := f.store.AwardBadge(ctx, p.ID, f.badge.ID, persistence.SourceAdmin)
	require.NoError(t, err)
	require.True(t, awarded)
	f.players, f.addrs = append(f.players, p), append(f.addrs, addr)
}

// lease takes the chain writer lease for holder, after letting any earlier
// holder's lease expire.
func (f *fixture) lease(t *testing.T, holder string) persistence.Lease {
	t.Helper()
	f.clk.Advance(2 * leaseTTL)
	l, err := f.store.AcquireLease(context.Background(), persistence.ChainWriterLease, holder, leaseTTL)
	require.NoError(t, err)
	return l
}

// writer is one running chain writer job and the steps it reports.
type writer struct {
	t     *testing.T
	f     *fixture
	pid   *actor.PID
	steps chan chainwriter.Step
}

// start spawns a chain writer for lease over chain (nil: the minter).
func (f *fixture) start(t *testing.T, l persistence.Lease, chain relay.Relayer) *writer {
	t.Helper()
	return f.startWith(t, l, chain, nil)
}

// startWith is start with edit applied to the writer's Deps.
func (f *fixture) startWith(t *testing.T, l persistence.Lease, chain relay.Relayer, edit func(*chainwriter.Deps)) *writer {
	t.Helper()
	if chain == nil {
		chain = f.minter
	}
	w := &writer{t: t, f: f, steps: make(chan chainwriter.Step, 256)}
	deps := chainwriter.Deps{Store: f.store, Chain: chain, Queue: persistence.ChainStarknet, Events: f.events,
		Base: t.Context(), Now: f.clk.Now, Probe: func(s chainwriter.Step) { w.steps <- s }}
	if edit != nil {
		edit(&deps)
	}
	w.pid = f.system.Root.Spawn(chainwriter.Props(deps, l))
	return w
}

// tick sends one tick and waits for a step of kind, failing on any other
// kind not listed in pass.
func (w *writer) tick(kind string, pass ...string) chainwriter.Step {
	w.t.Helper()
	w.f.system.Root.Send(w.pid, &chainwriter.Tick{})
	return w.wait(kind, pass...)
}

// wait waits for a step of kind; steps of the kinds in pass are skipped.
func (w *writer) wait(kind string, pass ...string) chainwriter.Step {
	w.t.Helper()
	deadline := time.After(waitFor)
	for {
		select {
		case s := <-w.steps:
			if s.Kind == kind {
				return s
			}
			require.Contains(w.t, pass, s.Kind, "unexpected step %+v while waiting for %s", s, kind)
		case <-deadline:
			require.FailNow(w.t, "no step "+kind)
		}
	}
}

// stop stops the job and waits until it has stopped.
func (w *writer) stop() {
	require.NoError(w.t, w.f.system.Root.StopFuture(w.pid).Wait())
}

// statuses returns each player's mint status and tx hash.
func (f *fixture) statuses(t *testing.T) ([]persistence.MintStatus, []string) {
	t.Helper()
	var st []persistence.MintStatus
	var hashes []string
	for _, p := range f.players {
		ms, err := f.store.PlayerMints(context.Background(), p.ID)
		require.NoError(t, err)
		require.Len(t, ms, 1)
		st, hashes = append(st, ms[0].Status), append(hashes, ms[0].TxHash)
	}
	return st, hashes
}

// requireMinted checks every player's request is accepted and the player
// owns the token on the node. A request settled unsent (its token was
// already minted outside the writer) has no tx hash; every other one names
// the writer's tx that minted it.
func (f *fixture) requireMinted(t *testing.T) {
	t.Helper()
	st, hashes := f.statuses(t)
	ours := map[string]bool{}
	for _, tx := range f.writerTxs() {
		// A single mint reverted as already minted to its owner is done too.
		ours[tx.Hash] = !tx.Dropped && !tx.Replaced && (!tx.Reverted || tx.Reason == chaintest.RevertAlreadyMintedToOwner)
	}
	for i, p := range f.players {
		require.Equal(t, persistence.MintAccepted, st[i])
		if hashes[i] != "" {
			require.True(t, ours[hashes[i]], "request of %s names %s, not a writer tx that executed", p.ID, hashes[i])
		}
		owner, ok := f.node.OwnerOf(persistence.MintTokenID(firstBadge(t, f, p.ID), p.ID))
		require.True(t, ok, "token of %s not minted", p.ID)
		require.Equal(t, f.addrs[i], owner)
	}
}

// firstBadge is the id of the badge of the player's only mint.
func firstBadge(t *testing.T, f *fixture, playerID string) string {
	t.Helper()
	ms, err := f.store.PlayerMints(context.Background(), playerID)
	require.NoError(t, err)
	return ms[0].BadgeID
}

// minterWith is the minter with Send taken from racingChain.
type minterWith struct {
	*starknet.Minter
	race *racingChain
}

func (m minterWith) Send(ctx context.Context, tx relay.Signed) error {
	return m.race.Send(ctx, tx)
}

var (
	metricTxTotal  = chainwriter.MetricTxTotal
	metricDuration = chainwriter.MetricDuration
)

// txErrorsOf reads proofstell_blockchain_transaction_errors_total{method,error_type}.
func txErrorsOf(method, errType string) float64 {
	return testutil.ToFloat64(chainwriter.MetricTxErrors.WithLabelValues(method, errType))
}

// premint mints the tokens of the players at idx directly, from the other
// account, outside the writer: the chain changed behind its back.
func premint(ctx context.Context, t *testing.T, f *fixture, idx ...int) {
	t.Helper()
	for _, i := range idx {
		p := f.players[i]
		nonce, err := f.other.Nonce(ctx)
		require.NoError(t, err)
		mint := relay.Mint{To: f.addrs[i], TokenID: persistence.MintTokenID(firstBadge(t, f, p.ID), p.ID)}
		tx, err := f.other.Prepare(ctx, nonce, relay.Work{Mints: []relay.Mint{mint}}, 1)
		require.NoError(t, err)
		require.NoError(t, f.other.Send(ctx, tx))
	}
}

// premintOnSend is the writer's relayer, except that its first Send
// premints the tokens of the players at idx first: the state changes
// between the writer's estimate and the execution, so the tx reverts on
// chain.
type premintOnSend struct {
	*starknet.Minter
	t    *testing.T
	f    *fixture
	idx  []int
	done bool
}

func (p *premintOnSend) Send(ctx context.Context, tx relay.Signed) error {
	if !p.done {
		p.done = true
		premint(ctx, p.t, p.f, p.idx...)
	}
	return p.Minter.Send(ctx, tx)
}

// writerTxs are the node's txs of the writer's own account, in order.
func (f *fixture) writerTxs() []chaintest.Tx {
	var out []chaintest.Tx
	for _, tx := range f.node.Txs() {
		if tx.Sender == f.account {
			out = append(out, tx)
		}
	}
	return out
}
