package rest

import (
	"context"
	"sync"
	"time"

	"github.com/proofstell/proofstell/actors/leaderboard"
	"github.com/proofstell/proofstell/actors/leaderboard/standings"
)

// memBoards is a test Leaderboards over standings.Index, enough to check the
// handlers' shapes and parameters. fail, when set, is returned by every call;
// panics makes every call panic (to test recovery).
type memBoards struct {
	mu     sync.Mutex
	boards map[string]*standings.Index
	fail   error
	panics bool
	calls  []string // "<series>/period" of every call (standings.Key.Series), to check defaults
}

var (
	_ Leaderboards = (*memBoards)(nil)
	_ Leaderboards = (*leaderboard.Client)(nil)
)

func newMemBoards() *memBoards { return &memBoards{boards: map[string]*standings.Index{}} }

// offer records e on classic's board/period.
func (m *memBoards) offer(board, period string, e standings.Entry) {
	m.offerTo(standings.Key{Mode: standings.DefaultMode, Board: standings.Board(board), Period: period}, e)
}

// offerTo records e on the key's board period.
func (m *memBoards) offerTo(k standings.Key, e standings.Entry) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.index(k).Offer(e)
}

// index returns the board's index; callers hold mu.
func (m *memBoards) index(k standings.Key) *standings.Index {
	key := k.Series() + "/" + k.Period
	m.calls = append(m.calls, key)
	ix, ok := m.boards[key]
	if !ok {
		ix = standings.NewIndex(1)
		m.boards[key] = ix
	}
	return ix
}

// enter is the common prologue of every query.
func (m *memBoards) enter() error {
	if m.panics {
		panic("leaderboard exploded")
	}
	return m.fail
}

func (m *memBoards) Top(_ context.Context, k standings.Key, limit int, after *standings.Entry) (leaderboard.Page, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.enter(); err != nil {
		return leaderboard.Page{}, err
	}
	ix := m.index(k)
	entries := ix.Top(limit)
	if after != nil {
		entries = ix.After(*after, limit)
	}
	page := leaderboard.Page{Entries: entries, Total: ix.Len()}
	if n := len(entries); n == limit && entries[n-1].Rank < ix.Len() {
		page.NextCursor = standings.EncodeCursor(entries[n-1].Entry)
	}
	return page, nil
}

func (m *memBoards) Rank(_ context.Context, k standings.Key, playerID string) (standings.Ranked, int, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.enter(); err != nil {
		return standings.Ranked{}, 0, false, err
	}
	ix := m.index(k)
	rank, e, ok := ix.Rank(playerID)
	return standings.Ranked{Rank: rank, Entry: e}, ix.Len(), ok, nil
}

func (m *memBoards) Around(_ context.Context, k standings.Key, playerID string, radius int) ([]standings.Ranked, int, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.enter(); err != nil {
		return nil, 0, false, err
	}
	ix := m.index(k)
	entries := ix.Around(playerID, radius)
	return entries, ix.Len(), entries != nil, nil
}

// Rename renames the player in place on every board's current period, as
// leaderboard.Client does on the live grains.
func (m *memBoards) Rename(_ context.Context, modes []string, playerID, username string, now time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.enter(); err != nil {
		return err
	}
	for _, mode := range modes {
		for _, b := range standings.Boards() {
			ix := m.index(standings.CurrentKey(mode, b, now))
			if _, e, ok := ix.Rank(playerID); ok {
				e.Username = username
				ix.Offer(e)
			}
		}
	}
	return nil
}

// lastCall returns the board/period of the latest call.
func (m *memBoards) lastCall() string {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.calls) == 0 {
		return ""
	}
	return m.calls[len(m.calls)-1]
}
