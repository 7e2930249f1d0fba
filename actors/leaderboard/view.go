package leaderboard

import (
	"sync"
	"sync/atomic"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/proofstell/proofstell/actors/leaderboard/standings"
	"github.com/proofstell/proofstell/actors/protos"
)

// View is a serving grain's index as the readers of its node see it: the
// Client answers Top, Rank and Around from it in the caller's goroutine,
// without a request, a future or a turn of the grain's mailbox. Under 64
// closed-loop clients on one core, a read that waits for the grain's turn
// waits behind everyone's (bench/README.md), so reads leave the mailbox.
//
// It is the grain's own index, not a copy: the grain stays its only writer
// and writes under mu one Offer at a time; readers hold mu shared for one
// query (tens of microseconds at a million players). A copy-on-write
// snapshot would cost O(players) per change, or a persistent tree that
// doubles the cost of every Offer; the lock costs neither, and a read sees
// every apply the grain has processed, as a request would.
//
// Read-your-apply: a read that starts after a local Client.Apply returned
// sees that apply, as through the mailbox (which is FIFO). Local applies
// are counted in pending until the grain has offered them; while any is
// pending, reads take the request path and queue behind them.
type View struct {
	mu    sync.RWMutex
	index *standings.Index // guarded by mu; written by the grain only
	topN  int

	// grain receives local applies (localApply) directly.
	grain *actor.PID
	// pending counts local applies sent and not yet offered.
	pending atomic.Int64
	// read is set by readers so an idle past period is not passivated while
	// it is read only through the view (reads are not mailbox activity).
	read atomic.Bool
}

func newView(grain *actor.PID, topN int) *View { return &View{grain: grain, topN: topN} }

// replace installs a rebuilt index.
func (v *View) replace(ix *standings.Index) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.index = ix
}

// offer is Index.Offer under the write lock: one entry at a time, so a long
// catch-up never holds readers off for more than one update.
func (v *View) offer(e standings.Entry) bool {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.index.Offer(e)
}

// ready reports whether a read may be served here; false sends it through
// the grain, behind the local applies still in its mailbox.
func (v *View) ready() bool {
	if v.pending.Load() > 0 {
		return false
	}
	if !v.read.Load() { // load first: a store per read would bounce the line
		v.read.Store(true)
	}
	return true
}

// wasRead reports and clears whether the view was read since the last call.
func (v *View) wasRead() bool { return v.read.Swap(false) }

// top answers a TopQuery the way the grain does (onTop).
func (v *View) top(q *protos.TopQuery) (page []standings.Ranked, total int, hasMore bool) {
	v.mu.RLock()
	defer v.mu.RUnlock()
	return topPage(v.index, q, v.topN)
}

// rank answers a RankQuery the way the grain does.
func (v *View) rank(playerID string) (standings.Ranked, int, bool) {
	v.mu.RLock()
	defer v.mu.RUnlock()
	rank, e, ok := v.index.Rank(playerID)
	return standings.Ranked{Rank: rank, Entry: e}, v.index.Len(), ok
}

// around answers an AroundQuery the way the grain does.
func (v *View) around(playerID string, radius int) ([]standings.Ranked, int) {
	v.mu.RLock()
	defer v.mu.RUnlock()
	return aroundOf(v.index, playerID, radius), v.index.Len()
}

// topPage is the top page rule shared by the grain and its view.
func topPage(ix *standings.Index, q *protos.TopQuery, topN int) ([]standings.Ranked, int, bool) {
	limit := int(q.GetLimit())
	if limit <= 0 {
		limit = topN
	}
	limit = min(limit, MaxPageSize)
	var page []standings.Ranked
	if after := q.GetAfter(); after != nil {
		page = ix.After(entryFromProto(after), limit)
	} else {
		page = ix.Top(limit)
	}
	total := ix.Len()
	return page, total, len(page) > 0 && page[len(page)-1].Rank < total
}

// aroundOf is the neighbourhood rule shared by the grain and its view.
func aroundOf(ix *standings.Index, playerID string, radius int) []standings.Ranked {
	return ix.Around(playerID, min(max(radius, 0), MaxRadius))
}

// localApply is ApplyStandings from this node's Client to a grain whose
// view it reads: the grain offers it and then lowers view.pending. It never
// crosses the wire (sent to View.grain, a local PID).
type localApply struct {
	apply *protos.ApplyStandings
	view  *View
}

// Views is the node's registry of serving grains' views, keyed by grain
// identity. A grain publishes its view once its index is loaded and
// withdraws it when it stops (passivation, shutdown, or a topology change
// that moves it to another member: disthash poisons moved grains), so a
// board without a view here is read through a request, wherever its grain
// lives. One Views is shared by the grain props (Deps.Views) and the
// Clients of the node (NewClient).
type Views struct {
	m sync.Map // identity → *View
}

// NewViews returns an empty registry.
func NewViews() *Views { return &Views{} }

// lookup returns the identity's view, nil when its grain is not serving
// here (or vs is nil: no local reads).
func (vs *Views) lookup(identity string) *View {
	if vs == nil {
		return nil
	}
	v, ok := vs.m.Load(identity)
	if !ok {
		return nil
	}
	return v.(*View) //nolint:forcetypeassert // only *View is stored
}

func (vs *Views) publish(identity string, v *View) {
	if vs != nil {
		vs.m.Store(identity, v)
	}
}

// withdraw removes v unless a newer activation already replaced it.
func (vs *Views) withdraw(identity string, v *View) {
	if vs != nil && v != nil {
		vs.m.CompareAndDelete(identity, v)
	}
}
