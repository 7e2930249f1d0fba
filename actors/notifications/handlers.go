package notifications

import (
	"context"
	"fmt"

	"github.com/proofstell/proofstell/persistence"
)

// The handlers of the drained topics, one per topic: each decodes its row
// and stores what it announces (worker.go's store and broadcast).

func (w *Worker) onBadge(ctx context.Context, it persistence.OutboxItem) error {
	var ev persistence.NotifyBadgeEvent
	if !w.decode(it, &ev) {
		return nil
	}
	return w.store(ctx, it.Topic, []persistence.Notification{badgeNotification(ev)})
}

func (w *Worker) onChallengeEnded(ctx context.Context, it persistence.OutboxItem) error {
	var ev persistence.NotifyChallengeEndedEvent
	if !w.decode(it, &ev) {
		return nil
	}
	return w.store(ctx, it.Topic, challengeEndedNotifications(ev))
}

func (w *Worker) onBroadcast(ctx context.Context, it persistence.OutboxItem) error {
	var b persistence.Broadcast
	if !w.decode(it, &b) {
		return nil
	}
	return w.broadcast(ctx, it.Topic, b)
}

func (w *Worker) onMint(ctx context.Context, it persistence.OutboxItem) error {
	var ev persistence.NotifyMintEvent
	if !w.decode(it, &ev) {
		return nil
	}
	return w.store(ctx, it.Topic, []persistence.Notification{mintNotification(ev)})
}

func (w *Worker) onMatchFound(ctx context.Context, it persistence.OutboxItem) error {
	var ev persistence.NotifyMatchFoundEvent
	if !w.decode(it, &ev) {
		return nil
	}
	return w.store(ctx, it.Topic, matchFoundNotifications(ev))
}

func (w *Worker) onReferralRewarded(ctx context.Context, it persistence.OutboxItem) error {
	var ev persistence.ReferralRewardedEvent
	if !w.decode(it, &ev) {
		return nil
	}
	return w.store(ctx, it.Topic, referralNotifications(ev))
}

// onChallengeStarted tells the players active within ActiveWindow: a start
// concerns everyone, but storing it for every account ever made would
// fill dormant inboxes with offers that expire before they are read.
// Everyone online also hears challenge:started live from the scheduler.
func (w *Worker) onChallengeStarted(ctx context.Context, it persistence.OutboxItem) error {
	var ev persistence.NotifyChallengeStartedEvent
	if !w.decode(it, &ev) {
		return nil
	}
	return w.broadcast(ctx, it.Topic, challengeStartedBroadcast(ev, ev.StartedAt.Add(-w.deps.ActiveWindow)))
}

// onPeriodClosed tells each player with a standing on the frozen period
// their final rank, Batch ranks per statement; a challenge's board is
// skipped, its challenge.ended notification says the rank.
func (w *Worker) onPeriodClosed(ctx context.Context, it persistence.OutboxItem) error {
	var ev persistence.PeriodFrozen
	if !w.decode(it, &ev) {
		return nil
	}
	if ev.Board == persistence.ChallengeBoard {
		processed.WithLabelValues(it.Topic, "skipped").Inc()
		return nil
	}
	key := persistence.BoardKey{Mode: ev.Mode, Board: ev.Board, Period: ev.Period}
	for after := 0; ; {
		batch, err := w.deps.Store.PeriodRankBatch(ctx, key, after, w.deps.Batch)
		if err != nil {
			return fmt.Errorf("period %s: %w", key, err)
		}
		if len(batch) == 0 {
			processed.WithLabelValues(it.Topic, "stored").Inc()
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
