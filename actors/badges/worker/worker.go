// Package worker drains the "game.finished" outbox into badge awards.
//
// Every committed game writes a "game.finished" outbox row in the result's
// transaction (actors/session finishedPayload). The Worker claims those rows
// in batches under a lease (persistence.OutboxStore: FOR UPDATE SKIP LOCKED,
// so several nodes may run a worker), evaluates the badge catalogue for the
// game's players (badges.EvaluatePlayers), and completes a row only after
// its awards are stored. A crash between award and completion re-evaluates
// the game once the lease ends; awards are idempotent, so nothing is awarded
// twice and only awards the store reports as new are announced, as
// badge:awarded {"badgeId","name","rarity"} on the fan-out topic
// "player:<playerId>" (every socket of that player on any node). An award
// stored just before a crash is therefore announced at most once (possibly
// never): the announcement is a live update, the REST API has the truth.
// Mint requests need nothing here: AwardBadge writes them in the award's
// transaction.
//
// Aborted and flagged games are completed without evaluation (flagged games
// earn no badge until an admin clears them); a payload that does not decode
// is completed and counted, since it never will.
//
// Time is a message: Run drains once per value on Deps.Ticks (a
// time.Ticker's channel in cmd, a plain channel in tests).
package worker

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/proofstell/proofstell/actors/badges"
	"github.com/proofstell/proofstell/actors/protos"
	"github.com/proofstell/proofstell/persistence"
)

// Topic is the outbox topic the worker drains.
const Topic = "game.finished"

// Store is what the worker reads and writes: the outbox and the badges.
type Store interface {
	persistence.OutboxStore
	badges.Awarder
}

// Publisher delivers events to sockets across the cluster (fanout.Hub).
type Publisher interface {
	Publish(topic string, ev *protos.ClientEvent)
}

// Deps are what a Worker needs.
type Deps struct {
	Store  Store
	Events Publisher
	// Ticks triggers a drain per value; Run returns when it is closed.
	Ticks <-chan time.Time
	// Now measures outbox lag (nil means time.Now).
	Now    func() time.Time
	Logger *slog.Logger
	// Batch is the most rows claimed at once (0 means 100); Lease is how
	// long a claimed row stays hidden from other claimers (0 means 1 min).
	Batch int
	Lease time.Duration
}

// Worker evaluates badges after committed games. Run it once; Stop is
// idempotent and safe from any goroutine.
type Worker struct {
	deps Deps

	mu     sync.Mutex
	cancel context.CancelFunc
	done   chan struct{}
}

// New builds a worker, filling defaults.
func New(deps Deps) *Worker {
	if deps.Now == nil {
		deps.Now = time.Now
	}
	if deps.Batch <= 0 {
		deps.Batch = 100
	}
	if deps.Lease <= 0 {
		deps.Lease = time.Minute
	}
	if deps.Logger == nil {
		deps.Logger = slog.New(slog.DiscardHandler)
	}
	return &Worker{deps: deps, done: make(chan struct{})}
}

// Run drains the outbox on every tick until ctx ends, Stop is called or
// Ticks closes. A failed drain is logged and retried on the next tick.
func (w *Worker) Run(ctx context.Context) {
	ctx, cancel := context.WithCancel(ctx)
	w.mu.Lock()
	w.cancel = cancel
	w.mu.Unlock()
	defer close(w.done)
	defer cancel()
	for {
		select {
		case <-ctx.Done():
			return
		case _, ok := <-w.deps.Ticks:
			if !ok {
				return
			}
			if _, err := w.Drain(ctx); err != nil && !errors.Is(err, context.Canceled) {
				w.deps.Logger.Warn("badge worker: drain", slog.Any("error", err))
			}
		}
	}
}

// Stop ends Run and waits for it to return or ctx to end. Calling it
// again, or before Run, is harmless (before Run it waits for nothing).
func (w *Worker) Stop(ctx context.Context) error {
	w.mu.Lock()
	cancel := w.cancel
	w.mu.Unlock()
	if cancel == nil {
		return nil
	}
	cancel()
	select {
	case <-w.done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Drain processes claimed batches until the outbox has no available row
// and returns how many rows it completed. Run calls it per tick.
func (w *Worker) Drain(ctx context.Context) (int, error) {
	total := 0
	for {
		items, err := w.deps.Store.ClaimOutbox(ctx, Topic, w.deps.Batch, w.deps.Lease)
		if err != nil {
			return total, err
		}
		n, err := w.processBatch(ctx, items)
		total += n
		if err != nil || len(items) < w.deps.Batch {
			return total, err
		}
	}
}
