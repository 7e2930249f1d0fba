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
		name    string
		players int
		premint string // "start": the token exists before the writer prepares; "send": it appears before the send
		txFault chaintest.TxFault
		// steps after the tx is recorded and sent ("" when it is settled unsent).
		wantStep   string
		wantStatus persistence.MintStatus
		wantReason string
		wantTxs    int
	}{
		{name: "revert fails every request with the reason", players: 2, txFault: chaintest.TxFaultRevert,
			wantStep: "finished", wantStatus: persistence.MintFailed, wantReason: chaintest.RevertInjected, wantTxs: 1},
		{name: "already minted to owner at estimate: accepted, nothing sent", players: 1, premint: "start",
			wantStatus: persistence.MintAccepted},
		{name: "already minted to owner on chain: accepted", players: 1, premint: "send",
			wantStep: "finished", wantStatus: persistence.MintAccepted, wantTxs: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, tt.players)
			ctx := context.Background()
			var chain relay.Relayer
			switch tt.premint {
			case "start":
				premint(ctx, t, f, 0)
			case "send":
				chain = &premintOnSend{Minter: f.minter, t: t, f: f, idx: []int{0}}
			}
			w := f.start(t, f.lease(t, "node-a"), chain)
			w.wait("loaded")
			f.node.SetTxFault(tt.txFault)
			if tt.wantStep == "" {
				w.tick("settled")
			} else {
				w.tick("sent", "recorded")
				w.tick(tt.wantStep)
			}
			for _, p := range f.players {
				ms, err := f.store.PlayerMints(ctx, p.ID)
				require.NoError(t, err)
				require.Equal(t, tt.wantStatus, ms[0].Status)
				require.Contains(t, ms[0].Reason, tt.wantReason)
			}
			require.Len(t, f.writerTxs(), tt.wantTxs)
			if tt.wantStatus == persistence.MintAccepted {
				f.requireMinted(t)
			}
			w.tick("idle")
		})
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
