package main

import (
	"context"
	"encoding/json"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/proofstell/proofstell/bench/internal/parallel"
	"github.com/proofstell/proofstell/gateway/ws/wsclient"
)

// joinID is the request id of every socket's matchmaking:join.
const joinID = 1

// seat is one player's socket and what its reader saw. Times are since
// the fleet's base; 0 means not yet.
type seat struct {
	client  *wsclient.Client
	player  player
	sent    atomic.Int64
	acked   atomic.Int64
	matched atomic.Int64
	// errCode is the code of an error frame answering the join.
	errCode atomic.Pointer[string]
}

// formed is one match as its first member to hear of it saw it.
type formed struct {
	At      time.Duration
	Players []string
}

// fleet is the open sockets and what they heard.
type fleet struct {
	seats   []*seat
	readers sync.WaitGroup
	cancel  context.CancelFunc
	base    time.Time
	// left counts players that have their match or their error: the run
	// ends when it reaches len(seats).
	left     atomic.Int64
	done     chan struct{}
	doneOnce sync.Once
	mu       sync.Mutex
	matches  map[string]formed // by session id
	// statuses and requeued count matchmaking:status frames (all, and
	// those with reason requeued); closed counts sockets the server closed.
	statuses, requeued, closed atomic.Int64
}

// openSockets dials one socket per player and starts its reader.
func openSockets(ctx context.Context, cfg config, players []player, failed map[string]int) *fleet {
	readCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	f := &fleet{cancel: cancel, base: time.Now(), done: make(chan struct{}), matches: map[string]formed{}}
	seats := make([]*seat, len(players))
	parallel.ForEach(ctx, len(players), cfg.Concurrency, func(i int) {
		c, err := wsclient.Dial(ctx, "http://"+cfg.Addr, players[i].token)
		if err != nil {
			return
		}
		seats[i] = &seat{client: c, player: players[i]}
	})
	for _, s := range seats {
		if s != nil {
			f.seats = append(f.seats, s)
		}
	}
	if n := len(players) - len(f.seats); n > 0 {
		failed["dial"] += n
	}
	for _, s := range f.seats {
		f.readers.Go(func() { f.read(readCtx, s) })
	}
	return f
}

// since is the time since the fleet's base, as stored in a seat.
func (f *fleet) since() int64 { return int64(time.Since(f.base)) }

// read consumes one socket's frames until its match (then closes it), an
// error answering its join, or the end of the run.
func (f *fleet) read(ctx context.Context, s *seat) {
	for {
		fr, err := s.client.Next(ctx)
		if err != nil {
			if ctx.Err() == nil && s.matched.Load() == 0 {
				f.closed.Add(1)
			}
			return
		}
		at := f.since()
		switch {
		case fr.T == "ack" && fr.ID == joinID:
			s.acked.Store(at)
		case fr.T == "error" && fr.ID == joinID:
			s.errCode.Store(errorCode(fr.D))
			f.leave()
			return
		case fr.T == "matchmaking:status":
			f.status(fr.D)
		case fr.T == "matchmaking:matched":
			s.matched.Store(at)
			f.record(fr.D, time.Duration(at))
			_ = s.client.Close() // the player leaves: it plays no game
			f.leave()
			return
		}
	}
}

// status counts one matchmaking:status frame.
func (f *fleet) status(d json.RawMessage) {
	f.statuses.Add(1)
	var st struct {
		Reason string `json:"reason"`
	}
	if json.Unmarshal(d, &st) == nil && st.Reason == "requeued" {
		f.requeued.Add(1)
	}
}

// record keeps the match a matchmaking:matched frame announces, the first
// time one of its members hears of it.
func (f *fleet) record(d json.RawMessage, at time.Duration) {
	var m struct {
		SessionID string `json:"sessionId"`
		Players   []struct {
			PlayerID string `json:"playerId"`
		} `json:"players"`
	}
	if json.Unmarshal(d, &m) != nil || m.SessionID == "" {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, seen := f.matches[m.SessionID]; seen {
		return
	}
	ids := make([]string, len(m.Players))
	for i, p := range m.Players {
		ids[i] = p.PlayerID
	}
	f.matches[m.SessionID] = formed{At: at, Players: ids}
}

// leave counts a player done with the queue.
func (f *fleet) leave() {
	if int(f.left.Add(1)) == len(f.seats) {
		f.doneOnce.Do(func() { close(f.done) })
	}
}

// join sends every player's matchmaking:join at the arrival rate, in the
// order of the seats (each player's rating is drawn on its own, so the
// arrival order is random in skill), and returns how late each join was
// written against its schedule (if that grows, the load generator, not
// the server, is the limit).
func (f *fleet) join(ctx context.Context, cfg config, log io.Writer) ([]time.Duration, error) {
	start := time.Now()
	lateness := make([]time.Duration, 0, len(f.seats))
	body := map[string]any{"mode": cfg.Mode, "players": cfg.Size}
	for i, s := range f.seats {
		due := start.Add(time.Duration(i) * cfg.every())
		if wait := time.Until(due); wait > 0 {
			if !sleepCtx(ctx, wait) {
				return lateness, ctx.Err()
			}
		}
		lateness = append(lateness, time.Since(due))
		s.sent.Store(f.since())
		if err := s.client.Request(ctx, "matchmaking:join", joinID, body); err != nil {
			s.errCode.Store(ptr("write"))
			f.leave()
		}
		if (i+1)%(len(f.seats)/10+1) == 0 {
			logf(log, "%d joins sent", i+1)
		}
	}
	return lateness, nil
}

// wait blocks until every player is matched or refused, or until max
// passes after the last join, or ctx ends.
func (f *fleet) wait(ctx context.Context, maxWait time.Duration) {
	t := time.NewTimer(maxWait)
	defer t.Stop()
	select {
	case <-f.done:
	case <-t.C:
	case <-ctx.Done():
	}
}

// socketSeconds is how long the sockets were open between from and to
// (times since the fleet's base): a matched player's socket closes at its
// match.
func (f *fleet) socketSeconds(from, to int64) float64 {
	var total time.Duration
	for _, s := range f.seats {
		end := to
		if m := s.matched.Load(); m > 0 {
			end = min(end, m)
		}
		total += time.Duration(max(0, end-from))
	}
	return total.Seconds()
}

// close ends every socket still open and waits for the readers.
func (f *fleet) close() {
	f.cancel()
	for _, s := range f.seats {
		_ = s.client.Close() // best effort: the run is over
	}
	f.readers.Wait()
}

// errorCode extracts {"code"} of an error frame's payload.
func errorCode(d json.RawMessage) *string {
	var e struct {
		Code string `json:"code"`
	}
	_ = json.Unmarshal(d, &e) // an unreadable payload counts as code ""
	return &e.Code
}

func ptr[T any](v T) *T { return &v }

// sleepCtx waits d unless ctx ends first; it reports whether d passed.
func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
