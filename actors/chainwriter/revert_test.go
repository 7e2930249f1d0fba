package chainwriter_test

import (
	"context"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/chainwriter"
	"github.com/proofstell/proofstell/chain/chaintest"
	"github.com/proofstell/proofstell/chain/relay"
	"github.com/proofstell/proofstell/persistence"
)

func TestWriter_Reverts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		players    int
		premint    bool // the players' tokens already exist (minted outside the writer)
		txFault    chaintest.TxFault
		wantStatus persistence.MintStatus
		wantReason string
	}{
		{name: "revert fails every request with the reason", players: 2, txFault: chaintest.TxFaultRevert,
			wantStatus: persistence.MintFailed, wantReason: chaintest.RevertInjected},
		{name: "one mint already minted to owner counts as accepted", players: 1, premint: true,
			wantStatus: persistence.MintAccepted},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, tt.players)
			if tt.premint {
				premint(t, f)
			}
			w := f.start(t, f.lease(t, "node-a"), nil)
			w.wait("loaded")
			f.node.SetTxFault(tt.txFault)
			w.tick("sent", "recorded")
			w.tick("finished")
			for _, p := range f.players {
				ms, err := f.store.PlayerMints(context.Background(), p.ID)
				require.NoError(t, err)
				require.Equal(t, tt.wantStatus, ms[0].Status)
				require.Contains(t, ms[0].Reason, tt.wantReason)
			}
		})
	}
}

// premint mints every player's token directly, outside the writer.
func premint(t *testing.T, f *fixture) {
	t.Helper()
	ctx := context.Background()
	for i, p := range f.players {
		nonce, err := f.minter.Nonce(ctx)
		require.NoError(t, err)
		mint := relay.Mint{To: f.addrs[i], TokenID: persistence.MintTokenID(firstBadge(t, f, p.ID), p.ID)}
		tx, err := f.minter.Prepare(ctx, nonce, relay.Work{Mints: []relay.Mint{mint}}, 1)
		require.NoError(t, err)
		require.NoError(t, f.minter.Send(ctx, tx))
	}
}

func TestWriter_Metrics(t *testing.T) {
	// Not parallel: it reads process-wide counters.
	f := newFixture(t, 1)
	w := f.start(t, f.lease(t, "node-a"), nil)
	w.wait("loaded")
	errs := txErrorsOf("nonce", "unavailable")
	f.node.SetFault(chaintest.FaultDown)
	w.tick("error")
	w.tick("error")
	require.InDelta(t, 2, txErrorsOf("nonce", "unavailable")-errs, 0.1)
	f.node.SetFault(chaintest.FaultNone)
	sends := testutil.ToFloat64(metricTxTotal.WithLabelValues("send", "ok"))
	w.tick("sent", "recorded")
	require.InDelta(t, 1, testutil.ToFloat64(metricTxTotal.WithLabelValues("send", "ok"))-sends, 0.1)
	require.Positive(t, testutil.CollectAndCount(metricDuration))
	require.InDelta(t, 1, testutil.ToFloat64(chainwriter.MetricQueue.WithLabelValues("starknet")), 0.1, "one pending request at the batch")
	require.InDelta(t, (2 * leaseTTL).Seconds(), testutil.ToFloat64(chainwriter.MetricQueueAge.WithLabelValues("starknet")), 0.1,
		"the request waited since the award, two lease lengths ago on the test clock")
	w.tick("finished")
	w.tick("idle")
	require.Zero(t, testutil.ToFloat64(chainwriter.MetricQueueAge.WithLabelValues("starknet")), "an empty queue has no age")
}
