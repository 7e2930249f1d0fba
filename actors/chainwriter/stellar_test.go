package chainwriter_test

import (
	"context"
	"testing"

	"github.com/stellar/go-stellar-sdk/keypair"
	"github.com/stellar/go-stellar-sdk/network"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/chainwriter"
	"github.com/proofstell/proofstell/chain/chaintest"
	"github.com/proofstell/proofstell/chain/stellar"
	"github.com/proofstell/proofstell/persistence"
)

// stellarFixture is a fixture whose players hold Stellar wallets, drained
// by a writer over a real stellar.Relayer against the fake Soroban node.
type stellarFixture struct {
	*fixture
	soroban *chaintest.SorobanNode
	relayer *stellar.Relayer
}

func newStellarFixture(t *testing.T, n int) stellarFixture {
	t.Helper()
	f := newStoreFixture(t)
	node := chaintest.NewSorobanNode(t, network.TestNetworkPassphrase)
	account := keypair.MustRandom()
	node.FundAccount(account.Address())
	node.SetSorobanMinter(account.Address())
	r, err := stellar.NewRelayer(stellar.RelayerConfig{URL: node.URL, NetworkPassphrase: network.TestNetworkPassphrase,
		SecretKey: account.Seed(), Contract: chaintest.SorobanBadgeContract})
	require.NoError(t, err)
	t.Cleanup(func() { _ = r.Close() })
	for range n {
		f.award(t, persistence.ChainStellar, keypair.MustRandom().Address())
	}
	return stellarFixture{fixture: f, soroban: node, relayer: r}
}

// start runs a Stellar writer for lease.
func (sf stellarFixture) start(t *testing.T, l persistence.Lease) *writer {
	t.Helper()
	return sf.startWith(t, l, sf.relayer, func(d *chainwriter.Deps) {
		d.Queue = persistence.ChainStellar
		d.MaxFeeBumps = -1 // Soroban has no same-sequence replacement
	})
}

// requireMinted checks every request is accepted through a tx that minted
// the player's token to their G address on the fake node.
func (sf stellarFixture) requireMinted(t *testing.T) {
	t.Helper()
	st, hashes := sf.statuses(t)
	for i, p := range sf.players {
		require.Equal(t, persistence.MintAccepted, st[i])
		require.NotEmpty(t, hashes[i])
		owner, ok := sf.soroban.OwnerOf(persistence.MintTokenID(firstBadge(t, sf.fixture, p.ID), p.ID))
		require.True(t, ok, "token of %s not minted", p.ID)
		require.Equal(t, sf.addrs[i], owner)
	}
}

func TestWriter_Stellar_MintsEachRequestOnce(t *testing.T) {
	t.Parallel()
	sf := newStellarFixture(t, 2)
	ctx := context.Background()
	starknetQueue, err := sf.store.MintQueueStats(ctx, persistence.ChainStarknet)
	require.NoError(t, err)
	require.Zero(t, starknetQueue.Depth, "Stellar wallets queue Stellar mints")

	w := sf.start(t, sf.lease(t, "node-a"))
	w.wait("loaded")
	for range 2 { // one mint per Soroban transaction
		w.tick("sent", "recorded")
		w.tick("finished", "receipt")
	}
	w.tick("idle")
	sf.requireMinted(t)
	require.Len(t, sf.soroban.Txs(), 2)
	require.Equal(t, 2, sf.soroban.Minted())
}

func TestWriter_Stellar_NodeDownThenKilledBetweenSendAndReceipt(t *testing.T) {
	t.Parallel()
	sf := newStellarFixture(t, 1)
	a := sf.start(t, sf.lease(t, "node-a"))
	a.wait("loaded")
	sf.soroban.SetFault(chaintest.FaultDown)
	a.tick("error")
	a.tick("error")
	st, _ := sf.statuses(t)
	require.Equal(t, persistence.MintPending, st[0], "the queue waits")
	sf.soroban.SetFault(chaintest.FaultNone)
	sf.soroban.SetReceiptPolls(5) // not in a ledger yet when A dies
	rec := a.tick("recorded")
	a.wait("sent")
	a.stop()

	b := sf.start(t, sf.lease(t, "node-b"))
	b.wait("loaded")
	// Soroban RPC answers NOT_FOUND until the tx is in a ledger: B resends
	// the same bytes (the node answers DUPLICATE) until it lands.
	for i := 0; ; i++ {
		require.Less(t, i, 10, "A's tx never settled")
		b.f.system.Root.Send(b.pid, &chainwriter.Tick{})
		s := <-b.steps
		if s.Kind == "finished" {
			require.Equal(t, rec.Hash, s.Hash, "B settled A's tx, signed nothing new")
			break
		}
		require.Equal(t, "receipt_failed", s.Kind)
		require.Equal(t, rec.Hash, b.wait("sent").Hash)
	}
	sf.requireMinted(t)
	require.Len(t, sf.soroban.Txs(), 1, "one transaction reached the node")
}

func TestWriter_Stellar_TransactionFaults(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		fault chaintest.SorobanTxFault
		// steps drives the writer from the first tick with the fault on;
		// lift clears the fault.
		steps      func(w *writer, lift func())
		wantStatus persistence.MintStatus
		wantReason string
	}{
		{name: "stale sequence: requeued, signed again", fault: chaintest.SorobanTxFaultStaleSequence,
			steps: func(w *writer, lift func()) {
				w.tick("dropped", "recorded", "send_failed")
				lift()
				w.tick("sent", "recorded")
				w.tick("finished")
			}, wantStatus: persistence.MintAccepted},
		{name: "dropped: the same bytes again", fault: chaintest.SorobanTxFaultDrop,
			steps: func(w *writer, lift func()) {
				w.tick("sent", "recorded")
				lift()
				w.tick("sent", "receipt_failed")
				w.tick("finished")
			}, wantStatus: persistence.MintAccepted},
		{name: "queue full: sent later", fault: chaintest.SorobanTxFaultTryAgainLater,
			steps: func(w *writer, lift func()) {
				w.tick("send_failed", "recorded")
				lift()
				w.tick("sent", "receipt_failed")
				w.tick("finished")
			}, wantStatus: persistence.MintAccepted},
		{name: "reverted: failed with the reason", fault: chaintest.SorobanTxFaultRevert,
			steps: func(w *writer, lift func()) {
				w.tick("sent", "recorded")
				lift()
				w.tick("finished")
			}, wantStatus: persistence.MintFailed, wantReason: "Budget"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			sf := newStellarFixture(t, 1)
			w := sf.start(t, sf.lease(t, "node-a"))
			w.wait("loaded")
			sf.soroban.SetTxFault(tt.fault)
			tt.steps(w, func() { sf.soroban.SetTxFault(chaintest.SorobanTxFaultNone) })
			ms, err := sf.store.PlayerMints(context.Background(), sf.players[0].ID)
			require.NoError(t, err)
			require.Equal(t, tt.wantStatus, ms[0].Status)
			require.Contains(t, ms[0].Reason, tt.wantReason)
			held := 0
			for _, tx := range sf.soroban.Txs() {
				if !tx.Dropped {
					held++
				}
			}
			require.Equal(t, 1, held, "the node executed exactly one transaction")
			if tt.wantStatus == persistence.MintAccepted {
				sf.requireMinted(t)
				require.Equal(t, 1, sf.soroban.Minted())
			}
			w.tick("idle")
		})
	}
}
