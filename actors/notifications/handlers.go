package notifications

import (
	"context"
	"fmt"

	"github.com/proofstell/proofstell/persistence"
)

// The handlers of the drained topics, one per topic: each decodes its row
// (decoded) and stores what it announces (worker.go's store and broadcast).

// decoded makes a handler of a topic whose payload is an E: a payload that
// does not decode is completed and counted as malformed (w.decode), since
// it never will.
func decoded[E any](w *Worker, handle func(ctx context.Context, topic string, ev E) error) handler {
	return func(ctx context.Context, it persistence.OutboxItem) error {
		var ev E
		if !w.decode(it, &ev) {
			return nil
		}
		return handle(ctx, it.Topic, ev)
	}
}

// storing makes a handler that stores the notifications build makes of
// its row.
func storing[E any](w *Worker, build func(E) []persistence.Notification) handler {
	return decoded(w, func(ctx context.Context, topic string, ev E) error {
		return w.store(ctx, topic, build(ev))
	})
}

// one adapts a builder of a single notification to storing.
func one[E any](build func(E) persistence.Notification) func(E) []persistence.Notification {
	return func(ev E) []persistence.Notification { return []persistence.Notification{build(ev)} }
}

func (w *Worker) onBroadcast(ctx context.Context, topic string, b persistence.Broadcast) error {
	return w.broadcast(ctx, topic, b)
}

// onChallengeStarted tells the players active within ActiveWindow: a start
// concerns everyone, but storing it for every account ever made would
// fill dormant inboxes with offers that expire before they are read.
// Everyone online also hears challenge:started live from the scheduler.
func (w *Worker) onChallengeStarted(ctx context.Context, topic string, ev persistence.NotifyChallengeStartedEvent) error {
	return w.broadcast(ctx, topic, challengeStartedBroadcast(ev, ev.StartedAt.Add(-w.deps.ActiveWindow)))
}

// onPeriodClosed tells each player with a standing on the frozen period
// their final rank, Batch ranks per statement; a challenge's board is
// skipped, its challenge.ended notification says the rank.
func (w *Worker) onPeriodClosed(ctx context.Context, topic string, ev persistence.PeriodFrozen) error {
	if ev.Board == persistence.ChallengeBoard {
		processed.WithLabelValues(topic, "skipped").Inc()
		return nil
	}
	key := persistence.BoardKey{Mode: ev.Mode, Board: ev.Board, Period: ev.Period}
	for after := 0; ; {
		batch, err := w.deps.Store.PeriodRankBatch(ctx, key, after, w.deps.Batch)
		if err != nil {
			return fmt.Errorf("period %s: %w", key, err)
		}
		if len(batch) == 0 {
			processed.WithLabelValues(topic, "stored").Inc()
			return nil
		}
		stored, err := w.deps.Store.AddNotifications(ctx, finalRankNotifications(ev, batch))
		if err != nil {
			return fmt.Errorf("period %s: %w", key, err)
		}
		w.deliver(ctx, stored)
		after = batch[len(batch)-1].Rank
	}
}

// broadcast stores b for its segment, Batch players per statement, so one
// broadcast never holds a long transaction; a crash midway replays from the
// first player and skips those served.
func (w *Worker) broadcast(ctx context.Context, topic string, b persistence.Broadcast) error {
	after := ""
	for {
		stored, last, err := w.deps.Store.BroadcastBatch(ctx, b, after, w.deps.Batch)
		if err != nil {
			return fmt.Errorf("broadcast %s: %w", b.ID, err)
		}
		w.deliver(ctx, stored)
		if last == "" {
			processed.WithLabelValues(topic, "stored").Inc()
			return nil
		}
		after = last
	}
}
