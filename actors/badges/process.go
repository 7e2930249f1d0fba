package badges

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"

	"github.com/proofstell/proofstell/actors/badges/award"
	"github.com/proofstell/proofstell/actors/events"
	"github.com/proofstell/proofstell/actors/player"
	"github.com/proofstell/proofstell/actors/protos"
	"github.com/proofstell/proofstell/persistence"
)

// TypeBadgeAwarded is the server frame that announces a new badge.
const TypeBadgeAwarded = events.TypeBadgeAwarded

// BadgeAwarded is the payload of badge:awarded.
type BadgeAwarded struct {
	BadgeID string `json:"badgeId"`
	Name    string `json:"name"`
	Rarity  string `json:"rarity"`
}

// FinishedGame is the game.finished payload the worker reads (and hands
// its Followers).
type FinishedGame = persistence.GameFinishedEvent

// processBatch handles each claimed row of topic with handle and completes
// those handled. A row that failed stays claimed until its lease ends, then
// comes back.
func (w *Worker) processBatch(ctx context.Context, topic string, handle handler, items []persistence.OutboxItem) (int, error) {
	done := make([]int64, 0, len(items))
	var errs []error
	for _, it := range items {
		if err := handle(ctx, it); err != nil {
			processed.WithLabelValues(topic, "error").Inc()
			errs = append(errs, fmt.Errorf("outbox row %d (%s): %w", it.ID, it.Key, err))
			continue
		}
		done = append(done, it.ID)
	}
	if err := w.deps.Store.CompleteOutbox(ctx, done); err != nil {
		return 0, errors.Join(append(errs, fmt.Errorf("complete %d rows: %w", len(done), err))...)
	}
	return len(done), errors.Join(errs...)
}

// handler handles one claimed outbox row; an error leaves it for redelivery.
type handler func(ctx context.Context, it persistence.OutboxItem) error

// process evaluates one finished game and announces its new awards.
func (w *Worker) process(ctx context.Context, it persistence.OutboxItem) error {
	var g FinishedGame
	if err := json.Unmarshal(it.Payload, &g); err != nil {
		w.deps.Logger.Error("badge worker: malformed game.finished", slog.Int64("row", it.ID), slog.Any("error", err))
		processed.WithLabelValues(Topic, "malformed").Inc()
		return nil
	}
	w.observeLag(g.EndedAt)
	if g.State != string(persistence.StateFinished) || g.Flagged {
		processed.WithLabelValues(Topic, "skipped").Inc()
		return nil
	}
	ids := make([]string, 0, len(g.Players))
	for _, p := range g.Players {
		ids = append(ids, p.PlayerID)
	}
	errs := []error{w.evaluate(ctx, Topic, ids, nil)}
	for _, f := range w.deps.Followers {
		errs = append(errs, f.FollowGame(ctx, g))
	}
	return errors.Join(errs...)
}

// GameFollower is more follow-up work of a finished game's counting players that
// rides on the worker's claim of game.finished: an outbox row is claimed by
// one consumer, so a second drainer of the topic would take rows from this
// one. An error from any follower (or from badge evaluation) leaves the row
// for redelivery to all of them, so FollowGame must be idempotent.
type GameFollower interface {
	FollowGame(ctx context.Context, g FinishedGame) error
}

// evaluate awards players what they newly meet (ranks per player and board
// at a period close, else nil) and announces every new award, even when a
// later player failed; it counts the row evaluated under topic.
func (w *Worker) evaluate(ctx context.Context, topic string, players []string, ranks map[string]map[string]int64) error {
	awards, err := award.EvaluatePlayers(ctx, w.deps.Store, players, ranks)
	w.announce(awards)
	if err != nil {
		return err
	}
	processed.WithLabelValues(topic, "evaluated").Inc()
	return nil
}

// announce publishes badge:awarded to each new award's player.
func (w *Worker) announce(awards []award.Award) {
	for _, a := range awards {
		awardsTotal.Inc()
		w.deps.Events.Publish(player.Topic(a.PlayerID), &protos.ClientEvent{
			Type: TypeBadgeAwarded,
			Data: events.Encode(BadgeAwarded{BadgeID: a.Badge.ID, Name: a.Badge.Name, Rarity: string(a.Badge.Rarity)}),
		})
	}
}
