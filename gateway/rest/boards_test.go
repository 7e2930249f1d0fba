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
	calls  []string // "board/period" of every call, to check defaults
}

var (
	_ Leaderboards = (*memBoards)(nil)
	_ Leaderboards = (*leaderboard.Client)(nil)
)

func newMemBoards() *memBoards { return &memBoards{boards: map[string]*standings.Index{}} }

// offer records e on board/period.
func (m *memBoards) offer(board, period string, e standings.Entry) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.index(board, period).Offer(e)
}

// index returns the board's index; callers hold mu.
func (m *memBoards) index(board, period string) *standings.Index {
	key := board + "/" + period
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

func (m *memBoards) Top(_ context.Context, board, period string, limit int, after *standings.Entry) (leaderboard.Page, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.enter(); err != nil {
		return leaderboard.Page{}, err
	}
	ix := m.index(board, period)
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

func (m *memBoards) Rank(_ context.Context, board, period, playerID string) (standings.Ranked, int, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.enter(); err != nil {
		return standings.Ranked{}, 0, false, err
	}
	ix := m.index(board, period)
	rank, e, ok := ix.Rank(playerID)
	return standings.Ranked{Rank: rank, Entry: e}, ix.Len(), ok, nil
}

func (m *memBoards) Around(_ context.Context, board, period, playerID string, radius int) ([]standings.Ranked, int, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.enter(); err != nil {
		return nil, 0, false, err
	}
	ix := m.index(board, period)
	entries := ix.Around(playerID, radius)
	return entries, ix.Len(), entries != nil, nil
}

// Rename renames the player in place on every board's current period, as
// leaderboard.Client does on the live grains.
func (m *memBoards) Rename(_ context.Context, playerID, username string, now time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.enter(); err != nil {
		return err
	}
	for _, b := range standings.Boards() {
		ix := m.index(string(b), b.PeriodKey(now))
		if _, e, ok := ix.Rank(playerID); ok {
			e.Username = username
			ix.Offer(e)
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
