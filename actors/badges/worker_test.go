package badges_test

import (
	"context"
	"sort"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestWorker_Drain_AwardsAndAnnouncesOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	linked, bare := e.guest(t, true), e.guest(t, false)
	e.play(t, linked, game{score: 31})          // first-game, classic-30 (mintable), perfect-game (mintable)
	e.play(t, bare, game{score: 30, misses: 2}) // first-game, classic-30 (mintable, but no wallet)
	e.play(t, bare, game{score: 10, misses: 1}) // nothing new
	w := e.worker(nil, nil)

	n, err := w.Drain(t.Context())
	require.NoError(t, err)
	require.Equal(t, 3, n, "every row completed, across two batches of 2")
	want := []string{
		"player:" + bare.ID + " badge:awarded First Whack/common",
		"player:" + bare.ID + " badge:awarded Sharp Eye/rare",
		"player:" + linked.ID + " badge:awarded First Whack/common",
		"player:" + linked.ID + " badge:awarded Flawless/legendary",
		"player:" + linked.ID + " badge:awarded Sharp Eye/rare",
	}
	sort.Strings(want)
	require.Equal(t, want, e.pub.names(), "one event per new badge, on the player's topic")
	require.Equal(t, []string{"classic-30", "first-game", "perfect-game"}, e.heldSlugs(t, linked.ID))
	require.Equal(t, []string{"classic-30", "first-game"}, e.heldSlugs(t, bare.ID))
	require.Equal(t, 2, e.mintCount(t, linked.ID), "one pending mint per mintable badge")
	require.Equal(t, 0, e.mintCount(t, bare.ID), "no wallet, no mint request")

	e.clock.Advance(2 * lease)
	n, err = w.Drain(t.Context())
	require.NoError(t, err)
	require.Zero(t, n, "completed rows are not claimed again")
	require.Len(t, e.pub.names(), 5)
}

func TestWorker_Drain_CrashBeforeCompleteRepeatsNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p := e.guest(t, true)
	e.play(t, p, game{score: 31})

	_, err := e.worker(crashingStore{e.store}, nil).Drain(t.Context())
	require.ErrorContains(t, err, "node died")
	require.Len(t, e.pub.names(), 3, "awards stored and announced before the crash")

	w := e.worker(nil, nil)
	n, err := w.Drain(t.Context())
	require.NoError(t, err)
	require.Zero(t, n, "the row stays leased to the dead worker")

	e.clock.Advance(lease + time.Second)
	n, err = w.Drain(t.Context())
	require.NoError(t, err)
	require.Equal(t, 1, n, "the row comes back and is re-evaluated")
	require.Len(t, e.pub.names(), 3, "nothing announced twice")
	require.Equal(t, []string{"classic-30", "first-game", "perfect-game"}, e.heldSlugs(t, p.ID))
	require.Equal(t, 2, e.mintCount(t, p.ID), "nothing queued twice")
}

func TestWorker_Drain_SkipsFlaggedGames(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p := e.guest(t, true)
	e.play(t, p, game{score: 31, flagged: true})

	n, err := e.worker(nil, nil).Drain(t.Context())
	require.NoError(t, err)
	require.Equal(t, 1, n, "the row is done with")
	require.Empty(t, e.pub.names())
	require.Empty(t, e.heldSlugs(t, p.ID), "a flagged game earns no badge")
}

func TestWorker_RunDrainsPerTickAndStops(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p := e.guest(t, false)
	e.play(t, p, game{score: 5, misses: 1})
	ticks := make(chan time.Time) // unbuffered: a send returns once Run is back at select
	w := e.worker(nil, ticks)
	ran := make(chan struct{})
	go func() { defer close(ran); w.Run(context.Background()) }()

	ticks <- e.clock.Now()
	ticks <- e.clock.Now() // accepted only after the first drain finished
	require.Equal(t, []string{"player:" + p.ID + " badge:awarded First Whack/common"}, e.pub.names())

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	require.NoError(t, w.Stop(ctx))
	require.NoError(t, w.Stop(ctx), "stop is idempotent")
	<-ran
}
