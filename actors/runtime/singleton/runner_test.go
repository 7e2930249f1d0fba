package singleton_test

import (
	"context"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/runtime/singleton"
	"github.com/proofstell/proofstell/persistence"
)

// TestRunner_OneLeaderTakeoverAndFencing runs two nodes on one database and
// one clock through a leader's death, a fenced late write and a graceful
// handover.
func TestRunner_OneLeaderTakeoverAndFencing(t *testing.T) {
	t.Parallel()
	store, clk := newStore(t)
	a, b := newMember(t, store, clk, "node-a"), newMember(t, store, clk, "node-b")
	ctx := context.Background()

	first := a.start()
	require.NoError(t, first.Err)
	require.True(t, first.Leading)
	require.EqualValues(t, 1, first.Lease.Epoch)
	require.Equal(t, jobEvent{lease: first.Lease, started: true}, a.nextJob())
	second := b.start()
	require.ErrorIs(t, second.Err, persistence.ErrConflict)
	require.False(t, second.Leading, "exactly one node leads")

	clk.Advance(time.Second)
	renewed := a.tick()
	require.NoError(t, renewed.Err)
	require.Equal(t, first.Lease.Epoch, renewed.Lease.Epoch, "renewal keeps the epoch")
	require.False(t, b.tick().Leading)
	a.noJobEvent()
	require.Equal(t, []float64{1, 0}, []float64{a.leader(), b.leader()})

	// Node A dies: it stops renewing (and releases nothing). Its lease
	// expires TTL after the last renewal and B takes over with epoch+1.
	clk.Advance(ttl - time.Millisecond)
	require.False(t, b.tick().Leading, "no takeover before expiry")
	clk.Advance(time.Millisecond)
	took := b.tick()
	require.NoError(t, took.Err)
	require.True(t, took.Leading)
	require.Equal(t, first.Lease.Epoch+1, took.Lease.Epoch)
	require.Equal(t, jobEvent{lease: took.Lease, started: true}, b.nextJob())
	require.Equal(t, 1.0, b.takeovers())

	// A's job, still running, writes late with its old epoch: fenced.
	at := clk.Now()
	_, err := store.ClosePeriod(ctx, persistence.BoardKey{Mode: "classic", Board: "daily", Period: "2026-11-24"}, "node-a", first.Lease.Epoch, at)
	require.ErrorIs(t, err, persistence.ErrStaleEpoch)
	closed, err := store.ClosePeriod(ctx, persistence.BoardKey{Mode: "classic", Board: "daily", Period: "2026-11-24"}, "node-b", took.Lease.Epoch, at)
	require.NoError(t, err)
	require.True(t, closed, "the stale write left nothing behind: the new leader's close is the first")

	// A wakes up: its renewal is refused and its job stops at once.
	lost := a.tick()
	require.ErrorIs(t, lost.Err, persistence.ErrStaleEpoch)
	require.False(t, lost.Leading)
	require.Equal(t, jobEvent{lease: first.Lease}, a.nextJob())
	require.Zero(t, a.leader())
	require.ErrorIs(t, a.tick().Err, persistence.ErrConflict)

	// B stops gracefully: its job stops, the lease is released and A takes
	// over on its next attempt without waiting for the TTL.
	require.NoError(t, b.runner.Stop(ctx))
	require.Equal(t, jobEvent{lease: took.Lease}, b.nextJob())
	require.Zero(t, b.leader())
	back := a.tick()
	require.NoError(t, back.Err)
	require.True(t, back.Leading)
	require.Equal(t, took.Lease.Epoch+1, back.Lease.Epoch)
	require.Equal(t, jobEvent{lease: back.Lease, started: true}, a.nextJob())
	require.Equal(t, []float64{1, 2}, []float64{a.leader(), a.takeovers()})
}

// TestRunner_LateRenewalKeepsTheLeaseUntilItMayExpire shows that a failed
// renewal while the lease is still live is counted as late and keeps the
// job; the leader steps down only when the next attempt would come too
// close to expiry, and resumes under the same epoch if the lease turns out
// to be still its own.
func TestRunner_LateRenewalKeepsTheLeaseUntilItMayExpire(t *testing.T) {
	t.Parallel()
	pg, clk := newStore(t)
	store := &flakyStore{LeaseStore: pg}
	a := newMember(t, store, clk, "node-a")
	first := a.start()
	require.True(t, first.Leading)
	require.True(t, a.nextJob().started)

	store.failRenew.Store(true)
	clk.Advance(time.Second)
	late := a.tick()
	require.ErrorIs(t, late.Err, errHiccup)
	require.True(t, late.Leading, "2 s of the lease are left: one failure is only late")
	a.noJobEvent()
	require.Equal(t, []float64{1, 1, 0}, []float64{a.leader(), a.late(), a.lost()})

	clk.Advance(time.Second)
	failed := a.tick()
	require.ErrorIs(t, failed.Err, errHiccup)
	require.False(t, failed.Leading, "the next attempt would come after the step-down margin")
	require.Equal(t, jobEvent{lease: first.Lease}, a.nextJob(), "the job stops before the lease may expire")
	require.Equal(t, []float64{0, 1, 1}, []float64{a.leader(), a.late(), a.lost()})

	store.failRenew.Store(false)
	back := a.tick()
	require.True(t, back.Leading)
	require.Equal(t, first.Lease.Epoch, back.Lease.Epoch, "the live lease was still ours")
	require.Equal(t, jobEvent{lease: back.Lease, started: true}, a.nextJob())
	require.Equal(t, 1.0, a.takeovers(), "resuming the same epoch is no takeover")
}

// TestRunner_RestartsAJobThatStopped keeps the singleton running when its
// job stops by itself while the lease is held.
func TestRunner_RestartsAJobThatStopped(t *testing.T) {
	t.Parallel()
	store, clk := newStore(t)
	a := newMember(t, store, clk, "node-a")
	require.True(t, a.start().Leading)
	require.True(t, a.nextJob().started)

	pid := a.lastJob.Load()
	require.NoError(t, a.system.Root.StopFuture(pid).Wait())
	require.False(t, a.nextJob().started)
	clk.Advance(time.Second)
	renewed := a.tick()
	require.True(t, renewed.Leading)
	require.Equal(t, jobEvent{lease: renewed.Lease, started: true}, a.nextJob(), "restarted under the same epoch")
	require.EqualValues(t, 1, renewed.Lease.Epoch)
}

func TestRunner_StopAndRunAreSafe(t *testing.T) {
	t.Parallel()
	store, clk := newStore(t)
	a := newMember(t, store, clk, "node-a")
	require.NoError(t, a.runner.Stop(context.Background()), "stop before run returns at once")
	require.NoError(t, a.runner.Stop(context.Background()), "stop is idempotent")
	require.NoError(t, a.runner.Run(context.Background()), "run after stop returns without leading")
	require.Error(t, a.runner.Run(context.Background()), "run twice")
	a.noJobEvent()
	_, err := store.AcquireLease(context.Background(), lease, "node-b", ttl)
	require.NoError(t, err, "a stopped runner never took the lease")
}

func TestNewRunner_Options(t *testing.T) {
	t.Parallel()
	store, _ := newStore(t)
	job := func(persistence.Lease) *actor.Props { return nil }
	tests := []struct {
		name    string
		opts    singleton.Options
		wantErr string
	}{
		{name: "defaults", opts: singleton.Options{Name: "x", Holder: "h", Job: job}},
		{name: "no name", opts: singleton.Options{Holder: "h", Job: job}, wantErr: "required"},
		{name: "no holder", opts: singleton.Options{Name: "x", Job: job}, wantErr: "required"},
		{name: "no job", opts: singleton.Options{Name: "x", Holder: "h"}, wantErr: "required"},
		{name: "renew not below ttl", opts: singleton.Options{Name: "x", Holder: "h", Job: job, TTL: time.Second,
			RenewEvery: time.Second}, wantErr: "shorter"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := singleton.NewRunner(store, nil, tc.opts)
			if tc.wantErr == "" {
				require.NoError(t, err)
				return
			}
			require.ErrorContains(t, err, tc.wantErr)
		})
	}
}
