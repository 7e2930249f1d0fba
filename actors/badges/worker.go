// Package badges is the badge worker, the actor kind that drains the badge
// outbox topics into badge awards (which ones: actors/badges/award; the
// criteria rules: actors/badges/criteria).
//
// Three outbox topics, each claimed separately, in batches under a lease
// (persistence.OutboxStore: FOR UPDATE SKIP LOCKED, so several nodes may
// run a worker):
//
//   - "game.finished" (Topic): every committed game writes one in the
//     result's transaction (actors/session finishedPayload). The worker
//     evaluates the badge catalogue for the game's players
//     (award.EvaluatePlayers) and hands the game to Deps.Followers
//     (GameFollower: referral progress). The row lists the players whose
//     result counts: a flagged result is left out (no badge, no referral
//     progress) until a moderator clears it, which writes a game.finished
//     row of its own listing that player alone. Aborted games, and rows
//     marked flagged as a whole (every player flagged, or written before
//     results were flagged one by one), are completed without either.
//   - "period.frozen" (TopicPeriodFrozen): the scheduler's
//     PeriodStore.SavePeriodRoot writes one in the transaction that freezes
//     a closed period (any ranked mode's daily, weekly, monthly boards, or
//     a challenge's board), payload {"mode","board","period","leafCount"}
//     (no mode: classic). The worker takes the largest n of the active
//     board_rank criteria of that mode's board (a criterion without a mode
//     names classic's), reads the frozen standings down to that rank
//     (PeriodStore.PeriodTop) and evaluates those players with their rank
//     on that mode's board only. A board no rank badge names, and every
//     challenge board (its rewards follow challenge.ended), is completed as
//     skipped.
//   - "challenge.ended" (TopicChallengeEnded): the scheduler's challenge
//     end job (persistence.ChallengeJobs.MarkEnded) writes one in the
//     transaction that stores a challenge's final standings
//     (challenge_results), payload persistence.ChallengeEndedEvent
//     {"challengeId","mode","rewardBadge","winners","players"}. The worker
//     awards the reward badge, when set and active, to each winner (a
//     mintable one queues its mint like any award), then evaluates the
//     catalogue for every player with a standing, which is where the
//     challenges_completed and challenges_won criteria (counted from
//     challenge_results) are met. A winner whose account is gone is passed
//     over; a retired or deleted reward badge rewards nobody.
//
// A row is completed only after its awards are stored, so evaluation is at
// least once: a crash between award and completion re-evaluates the row
// once the lease ends. Awards are idempotent, so nothing is awarded twice
// and only awards the store reports as new are announced, as badge:awarded
// {"badgeId","name","rarity"} on the fan-out topic "player:<playerId>"
// (every socket of that player on any node). An award stored just before a
// crash is therefore announced at most once (possibly never): the
// announcement is a live update, the REST API has the truth. Mint requests
// need nothing here: AwardBadge writes them in the award's transaction.
//
// A payload that does not decode (for challenge.ended, also one without a
// valid challenge id) is completed and counted as malformed, since it never
// will. proofstell_badge_outbox_processed_total counts rows by topic
// and outcome.
//
// Time is a message: Run drains every topic once per value on Deps.Ticks
// (a time.Ticker's channel in cmd, a plain channel in tests).
package badges

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/proofstell/proofstell/actors/badges/award"
	"github.com/proofstell/proofstell/actors/runtime/drain"
	"github.com/proofstell/proofstell/actors/runtime/fanout"
	"github.com/proofstell/proofstell/persistence"
)

// Topic is the outbox topic of finished games the worker drains.
const Topic = persistence.TopicGameFinished

// Store is what the worker reads and writes: the outbox, the badges and
// the head of frozen periods.
type Store interface {
	persistence.OutboxStore
	award.Awarder
	// PeriodTop is persistence.PeriodStore.PeriodTop.
	PeriodTop(ctx context.Context, key persistence.BoardKey, maxRank int) ([]persistence.PeriodStanding, error)
}

// Deps are what a Worker needs.
type Deps struct {
	Store Store
	// Events announces badge:awarded to the player's sockets.
	Events fanout.Publisher
	// Followers also handle each finished game's counting players
	// (referral progress: actors/referrals); nil means none.
	Followers []GameFollower
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

	loop *drain.Loop
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
	return &Worker{deps: deps, loop: drain.NewLoop("badge worker")}
}

// Run drains the outbox on every tick until ctx ends, Stop is called or
// Ticks closes. A failed drain is logged and retried on the next tick.
func (w *Worker) Run(ctx context.Context) {
	w.loop.Run(ctx, w.deps.Ticks, func(ctx context.Context) error {
		_, err := w.Drain(ctx)
		return err
	}, w.deps.Logger)
}

// Stop ends Run and waits for it to return or ctx to end. Calling it
// again, or before Run, is harmless (before Run it waits for nothing).
func (w *Worker) Stop(ctx context.Context) error {
	return w.loop.Stop(ctx)
}

// Drain processes claimed batches of each topic until it has no available
// row and returns how many rows it completed. Run calls it per tick. A
// topic that fails does not keep the other from being drained.
func (w *Worker) Drain(ctx context.Context) (int, error) {
	total := 0
	var errs []error
	for _, q := range []struct {
		topic  string
		handle handler
	}{{Topic, w.process}, {TopicPeriodFrozen, w.processPeriod}, {TopicChallengeEnded, w.processChallenge}} {
		n, err := w.drainTopic(ctx, q.topic, q.handle)
		total += n
		if err != nil {
			errs = append(errs, err)
		}
	}
	return total, errors.Join(errs...)
}

// drainTopic claims and processes batches of topic until one comes back
// short or fails.
func (w *Worker) drainTopic(ctx context.Context, topic string, handle handler) (int, error) {
	total := 0
	for {
		items, err := w.deps.Store.ClaimOutbox(ctx, topic, w.deps.Batch, w.deps.Lease)
		if err != nil {
			return total, fmt.Errorf("drain %s: %w", topic, err)
		}
		n, err := w.processBatch(ctx, topic, handle, items)
		total += n
		if err != nil {
			return total, fmt.Errorf("drain %s: %w", topic, err)
		}
		if len(items) < w.deps.Batch {
			return total, nil
		}
	}
}
