package leaderboard

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/leaderboard/standings"
	"github.com/proofstell/proofstell/actors/protos"
	"github.com/proofstell/proofstell/actors/runtime/grains"
	"github.com/proofstell/proofstell/persistence"
)

// countingDir counts resolutions: every grain request (grains.Request)
// resolves the grain first, so a read that never resolves sent no request.
type countingDir struct {
	grains.Directory
	resolved atomic.Int64
}

func (d *countingDir) PID(ctx context.Context, kind, identity string) (*actor.PID, error) {
	d.resolved.Add(1)
	pid, err := d.Directory.PID(ctx, kind, identity)
	if err != nil {
		return nil, fmt.Errorf("counting: %w", err)
	}
	return pid, nil
}

// withViews gives the harness's grains and client one node registry.
func withViews(d *Deps) { d.Views = NewViews() }

// countingClient is a client of the harness's grains, with its own
// registry views (the grains' own for this node, another for a node where
// they do not run), that counts its grain requests.
func countingClient(h *harness, views *Views) (*Client, *countingDir) {
	dir := &countingDir{Directory: h.dir}
	return NewClient(h.root, dir, views), dir
}

func sevenRows() []persistence.Standing {
	var rows []persistence.Standing
	for i := range 7 {
		rows = append(rows, standing(fmt.Sprintf("p%d", i), int64(100-i), i))
	}
	return rows
}

// readAll reads the board every way a handler does, as comparable text.
func readAll(t *testing.T, c *Client) []string {
	t.Helper()
	ctx := testCtx(t)
	page, err := c.Top(ctx, key("daily", "2026-11-24"), 3, nil)
	require.NoError(t, err)
	r, total, found, err := c.Rank(ctx, key("daily", "2026-11-24"), "p3")
	require.NoError(t, err)
	around, aroundTotal, aroundFound, err := c.Around(ctx, key("daily", "2026-11-24"), "p3", 2)
	require.NoError(t, err)
	_, _, missing, err := c.Around(ctx, key("daily", "2026-11-24"), "nobody", 2)
	require.NoError(t, err)
	return []string{
		fmt.Sprint(ids(page.Entries), page.Total, page.NextCursor),
		fmt.Sprint(r.Rank, r.PlayerID, r.Score, r.Username, total, found),
		fmt.Sprint(ids(around), aroundTotal, aroundFound, missing),
	}
}

func TestClient_ReadsLocalGrainWithoutRequest(t *testing.T) {
	t.Parallel()
	h := newHarness(t, storeWith(today, sevenRows()...), withViews)
	views := h.client.views
	require.NotNil(t, views)
	local, dir := countingClient(h, views)

	first := readAll(t, local)
	require.Positive(t, dir.resolved.Load(), "the first read activates the grain through a request")
	require.NotNil(t, views.lookup(today), "a serving grain publishes its view")

	dir.resolved.Store(0)
	require.Equal(t, first, readAll(t, local))
	require.Zero(t, dir.resolved.Load(), "reads of a grain serving here make no request")

	remote, _ := countingClient(h, nil)
	require.Equal(t, first, readAll(t, remote), "the view answers what the grain answers")
}

func TestClient_GrainOnAnotherNodeAnswersThroughRequest(t *testing.T) {
	t.Parallel()
	h := newHarness(t, storeWith(today, sevenRows()...), withViews)
	// otherNode's registry holds no view: the grain serves on h's "node".
	otherNode, dir := countingClient(h, NewViews())
	ctx := testCtx(t)

	first := readAll(t, otherNode)
	require.NoError(t, otherNode.Apply(ctx, key("daily", "2026-11-24"), []standings.Entry{entryOf(standing("p6", 200, 0))}))
	dir.resolved.Store(0)
	after := readAll(t, otherNode)
	require.Equal(t, int64(4), dir.resolved.Load(), "every read of a grain elsewhere is a request")
	require.NotEqual(t, first, after)
	local, _ := countingClient(h, h.client.views)
	require.Equal(t, after, readAll(t, local), "both paths serve the same standings")
}

// TestView_ReadYourApplyUnderConcurrentReads applies results through the
// client while readers hammer the view (the race detector checks the
// locking): every read after an Apply returned shows it, and the view ends
// equal to what the grain itself answers.
func TestView_ReadYourApplyUnderConcurrentReads(t *testing.T) {
	t.Parallel()
	h := newHarness(t, storeWith(today, sevenRows()...), withViews)
	ctx := testCtx(t)
	readAll(t, h.client) // activate; the view is published once serving

	stop := make(chan struct{})
	var readers sync.WaitGroup
	for r := range 4 {
		readers.Add(1)
		go func() {
			defer readers.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				player := fmt.Sprintf("n%d", (i+r)%50)
				if _, _, _, err := h.client.Around(ctx, key("daily", "2026-11-24"), player, 3); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	for i := range 200 {
		e := entryOf(standing(fmt.Sprintf("n%d", i%50), int64(i), i))
		require.NoError(t, h.client.Apply(ctx, key("daily", "2026-11-24"), []standings.Entry{e}))
		r, _, found, err := h.client.Rank(ctx, key("daily", "2026-11-24"), e.PlayerID)
		require.NoError(t, err)
		require.True(t, found, "a read after Apply returned sees the apply")
		require.Equal(t, e.Score, r.Score, "each n-player's later entry scores higher")
	}
	close(stop)
	readers.Wait()

	pid := h.pid(t, today)
	for i := range 50 {
		player := fmt.Sprintf("n%d", i)
		viewed, total, _, err := h.client.Around(ctx, key("daily", "2026-11-24"), player, 5)
		require.NoError(t, err)
		reply := h.ask(t, pid, &protos.AroundQuery{PlayerId: player, Radius: 5}).(*protos.AroundReply)
		require.Equal(t, rankedIDs(reply.GetEntries()), ids(viewed))
		require.EqualValues(t, reply.GetTotal(), total)
	}
	require.Zero(t, h.client.views.lookup(today).pending.Load())
}

func TestGrain_ViewReadsKeepPastPeriodAlive(t *testing.T) {
	t.Parallel()
	h := newHarness(t, storeWith(yesterday, standing("alice", 1, 0)), withViews)
	views := h.client.views
	ctx := testCtx(t)
	period := yesterday[len("classic/daily/"):]
	rank := func() {
		_, _, found, err := h.client.Rank(ctx, key("daily", period), "alice")
		require.NoError(t, err)
		require.True(t, found)
	}
	rank() // activates through a request; later reads use the view
	pid := h.pid(t, yesterday)
	require.NotNil(t, views.lookup(yesterday))

	rank()
	h.root.Send(pid, &actor.ReceiveTimeout{})
	h.ask(t, pid, &protos.RankQuery{PlayerId: "alice"}) // the timeout was handled, the grain lives
	require.NotNil(t, views.lookup(yesterday), "read through the view since the last timeout: stays")

	h.root.Send(pid, &actor.ReceiveTimeout{})
	require.Eventually(t, func() bool { return !h.alive(pid) }, 5*time.Second, time.Millisecond)
	require.Nil(t, views.lookup(yesterday), "a stopped grain withdraws its view")
	rank() // a request activates it again
}
