package main

import (
	"context"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/proofstell/proofstell/bench/internal/parallel"
	"github.com/proofstell/proofstell/gateway/ws/wsclient"
)

// result is one idle measurement.
type result struct {
	Accounts int
	// Fresh says the guests signed in against an earlier server process:
	// the measured process served nothing but the sockets.
	Fresh      bool
	Opened     int
	StillOpen  int64
	Failed     map[string]int
	RSSBefore  int64
	RSSAfter   int64
	OpenTook   time.Duration
	SettleTook time.Duration
}

// PerSocket is the resident memory each open socket added, in bytes.
func (r result) PerSocket() int64 {
	if r.StillOpen <= 0 {
		return 0
	}
	return (r.RSSAfter - r.RSSBefore) / r.StillOpen
}

// measureIdle runs the benchmark: sign in, read RSS, open, settle, read RSS, close.
func measureIdle(ctx context.Context, cfg config, log io.Writer) (result, error) {
	res := result{Failed: map[string]int{}, Fresh: cfg.TokensIn != ""}
	tokens, err := guests(ctx, cfg, res.Failed)
	if err != nil {
		return result{}, err
	}
	res.Accounts = len(tokens)
	logf(log, "have %d guests' tokens", len(tokens))
	before, _, err := settledRSS(ctx, cfg.PID, 0, cfg.Settle/4)
	if err != nil {
		return result{}, err
	}
	res.RSSBefore = before
	began := time.Now()
	fleet := openSockets(ctx, cfg, tokens, res.Failed)
	defer fleet.close()
	res.OpenTook = time.Since(began)
	res.Opened = len(fleet.clients)
	logf(log, "opened %d sockets in %s; holding them idle", res.Opened, res.OpenTook.Round(time.Millisecond))
	after, took, err := settledRSS(ctx, cfg.PID, cfg.Hold, cfg.Settle)
	if err != nil {
		return result{}, err
	}
	res.RSSAfter, res.SettleTook = after, took
	res.StillOpen = int64(res.Opened) - fleet.closed.Load()
	return res, nil
}

// signIn signs in one guest per socket, cfg.Concurrency at a time; it
// returns the tokens it got and counts failures.
func signIn(ctx context.Context, cfg config, failed map[string]int) []string {
	tokens := make([]string, cfg.Sockets)
	parallel.ForEach(ctx, cfg.Sockets, cfg.Concurrency, func(i int) {
		login, err := wsclient.GuestLogin(ctx, "http://"+cfg.Addr, cfg.deviceID(i))
		if err == nil {
			tokens[i] = login.AccessToken
		}
	})
	out := tokens[:0]
	for _, t := range tokens {
		if t != "" {
			out = append(out, t)
		}
	}
	if n := cfg.Sockets - len(out); n > 0 {
		failed["login"] += n
	}
	return out
}

// fleet is the open idle sockets and their readers.
type fleet struct {
	clients []*wsclient.Client
	readers sync.WaitGroup
	// closed counts sockets the server (or the network) closed while idle.
	closed atomic.Int64
	cancel context.CancelFunc
}

// openSockets dials one socket per token. Each socket gets a reader that
// discards frames: reading is what answers the server's pings.
func openSockets(ctx context.Context, cfg config, tokens []string, failed map[string]int) *fleet {
	readCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	f := &fleet{cancel: cancel}
	clients := make([]*wsclient.Client, len(tokens))
	parallel.ForEach(ctx, len(tokens), cfg.Concurrency, func(i int) {
		c, err := cfg.Gateway.Dial(ctx, "http://"+cfg.Addr, tokens[i])
		if err != nil {
			return
		}
		clients[i] = c
		f.readers.Go(func() { f.drain(readCtx, c) })
	})
	for _, c := range clients {
		if c != nil {
			f.clients = append(f.clients, c)
		}
	}
	if n := len(tokens) - len(f.clients); n > 0 {
		failed["dial"] += n
	}
	return f
}

func (f *fleet) drain(ctx context.Context, c *wsclient.Client) {
	for {
		if _, err := c.Next(ctx); err != nil {
			if ctx.Err() == nil {
				f.closed.Add(1)
			}
			return
		}
	}
}

// close ends every socket and waits for the readers.
func (f *fleet) close() {
	f.cancel()
	for _, c := range f.clients {
		_ = c.Close() // best effort: the run is over
	}
	f.readers.Wait()
}

// settledRSS waits at least hold, then samples the RSS once a second until
// two readings in a row differ by less than 0.5% or settle more has passed.
// It returns the last reading and how long it waited.
func settledRSS(ctx context.Context, pid int, hold, settle time.Duration) (int64, time.Duration, error) {
	began := time.Now()
	if !sleepCtx(ctx, hold) {
		return 0, 0, fmt.Errorf("wait for rss: %w", ctx.Err())
	}
	prev, err := readRSS(pid)
	if err != nil {
		return 0, 0, err
	}
	deadline := time.Now().Add(settle)
	for time.Now().Before(deadline) && sleepCtx(ctx, time.Second) {
		cur, err := readRSS(pid)
		if err != nil {
			return 0, 0, err
		}
		stable := abs(cur-prev)*200 < prev
		prev = cur
		if stable {
			break
		}
	}
	return prev, time.Since(began), nil
}

func abs(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

// sleepCtx waits d unless ctx ends first; it reports whether d passed.
func sleepCtx(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
