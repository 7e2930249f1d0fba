package notifications

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"

	"github.com/proofstell/proofstell/actors/events"
	"github.com/proofstell/proofstell/actors/player"
	"github.com/proofstell/proofstell/actors/protos"
	"github.com/proofstell/proofstell/actors/runtime/drain"
	"github.com/proofstell/proofstell/actors/runtime/fanout"
	"github.com/proofstell/proofstell/persistence"
)

// TypeAlert is the server frame of a new notification.
const TypeAlert = events.TypeNotificationAlert

var (
	processed = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "proofstell_notification_outbox_processed_total",
		Help: "Outbox rows handled by the notification worker, by topic and outcome (stored, skipped, malformed, error).",
	}, []string{"topic", "outcome"})
	outboxLag = promauto.NewGaugeVec(prometheus.GaugeOpts{
		Name: "proofstell_notification_outbox_lag_seconds",
		Help: "Age of the last outbox row of each topic the notification worker handled, when it handled it.",
	}, []string{"topic"})
)

// Store is what the worker reads and writes: the outbox and the inboxes.
type Store interface {
	persistence.OutboxStore
	// AddNotifications is persistence.NotificationStore.AddNotifications.
	AddNotifications(ctx context.Context, ns []persistence.Notification) ([]persistence.Notification, error)
	// BroadcastBatch is persistence.NotificationStore.BroadcastBatch.
	BroadcastBatch(ctx context.Context, b persistence.Broadcast, after string, limit int) ([]persistence.Notification, string, error)
	// PeriodRankBatch is persistence.NotificationStore.PeriodRankBatch.
	PeriodRankBatch(ctx context.Context, key persistence.BoardKey, afterRank, limit int) ([]persistence.PeriodStanding, error)
	// EmailRecipients is persistence.NotificationStore.EmailRecipients.
	EmailRecipients(ctx context.Context, playerIDs []string, kind string) ([]persistence.EmailRecipient, error)
}

// Mailer mails one new notification to a player who opted into email for
// its kind (cmd: a letter with a one-click unsubscribe link, on the
// bounded mail queue). It must not block.
type Mailer interface {
	MailNotification(n persistence.Notification, to persistence.EmailRecipient)
}

// Deps are what a Worker needs.
type Deps struct {
	Store Store
	// Events delivers notification:alert to the player's sockets.
	Events fanout.Publisher
	// Mail, when set, mails new notifications to the players who opted in.
	Mail Mailer
	// MailOn is the runtime switch of Mail (settings
	// features.notificationsEmail): while it reports false no mail is
	// queued, and the notifications are stored and alerted as ever. A
	// notification stored meanwhile is not mailed later. nil is always on.
	MailOn func() bool
	// Ticks triggers a drain per value; Run returns when it is closed.
	Ticks  <-chan time.Time
	Logger *slog.Logger
	// Batch is the most rows claimed at once and the most players a
	// broadcast stores per statement (0 means 100); Lease is how long a
	// claimed row stays hidden from other claimers (0 means 1 min).
	Batch int
	Lease time.Duration
	// ActiveWindow is how recently a player must have signed in or
	// refreshed a session to be told a challenge started (0 means 7 days).
	ActiveWindow time.Duration
	// Now is the clock of the outbox lag (nil: time.Now).
	Now func() time.Time
}

// Worker turns notify.* outbox rows into inbox entries and alerts. Run it
// once; Stop is idempotent and safe from any goroutine.
type Worker struct {
	deps Deps

	loop *drain.Loop
}

// New builds a worker, filling defaults.
func New(deps Deps) *Worker {
	if deps.Batch <= 0 {
		deps.Batch = 100
	}
	if deps.Lease <= 0 {
		deps.Lease = time.Minute
	}
	if deps.ActiveWindow <= 0 {
		deps.ActiveWindow = 7 * 24 * time.Hour
	}
	if deps.Logger == nil {
		deps.Logger = slog.New(slog.DiscardHandler)
	}
	if deps.Now == nil {
		deps.Now = time.Now
	}
	return &Worker{deps: deps, loop: drain.NewLoop("notification worker")}
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
// again, or before Run, is harmless.
func (w *Worker) Stop(ctx context.Context) error {
	return w.loop.Stop(ctx)
}

// handler stores one claimed row's notifications; an error leaves the row
// for redelivery.
type handler func(ctx context.Context, it persistence.OutboxItem) error

// Drain processes claimed batches of each topic until none is left and
// returns how many rows it completed. A failing topic does not keep the
// others from being drained.
func (w *Worker) Drain(ctx context.Context) (int, error) {
	total := 0
	var errs []error
	for _, q := range []struct {
		topic  string
		handle handler
	}{
		{persistence.TopicNotifyBadge, storing(w, one(badgeNotification))},
		{persistence.TopicNotifyChallengeEnded, storing(w, challengeEndedNotifications)},
		{persistence.TopicNotifyBroadcast, decoded(w, w.onBroadcast)},
		{persistence.TopicNotifyMint, storing(w, one(mintNotification))},
		{persistence.TopicNotifyChallengeStarted, decoded(w, w.onChallengeStarted)},
		{persistence.TopicNotifyPeriodClosed, decoded(w, w.onPeriodClosed)},
		{persistence.TopicReferralRewarded, storing(w, referralNotifications)},
		{persistence.TopicNotifyMatchFound, storing(w, matchFoundNotifications)},
	} {
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
		done := make([]int64, 0, len(items))
		var errs []error
		for _, it := range items {
			if !it.CreatedAt.IsZero() {
				outboxLag.WithLabelValues(topic).Set(w.deps.Now().Sub(it.CreatedAt).Seconds())
			}
			if err := handle(ctx, it); err != nil {
				processed.WithLabelValues(topic, "error").Inc()
				errs = append(errs, fmt.Errorf("outbox row %d (%s): %w", it.ID, it.Key, err))
				continue
			}
			done = append(done, it.ID)
		}
		if err := w.deps.Store.CompleteOutbox(ctx, done); err != nil {
			errs = append(errs, fmt.Errorf("complete %d rows: %w", len(done), err))
			return total, fmt.Errorf("drain %s: %w", topic, errors.Join(errs...))
		}
		total += len(done)
		if len(errs) > 0 {
			return total, fmt.Errorf("drain %s: %w", topic, errors.Join(errs...))
		}
		if len(items) < w.deps.Batch {
			return total, nil
		}
	}
}

// decode reads a row's payload; false means malformed (logged, counted,
// and the row is to be completed).
func (w *Worker) decode(it persistence.OutboxItem, v any) bool {
	if err := json.Unmarshal(it.Payload, v); err != nil {
		w.deps.Logger.Error("notification worker: malformed row", slog.String("topic", it.Topic),
			slog.Int64("row", it.ID), slog.Any("error", err))
		processed.WithLabelValues(it.Topic, "malformed").Inc()
		return false
	}
	return true
}

// store adds ns to the inboxes and alerts the players of those that are new.
func (w *Worker) store(ctx context.Context, topic string, ns []persistence.Notification) error {
	stored, err := w.deps.Store.AddNotifications(ctx, ns)
	if err != nil {
		return err
	}
	w.deliver(ctx, stored)
	processed.WithLabelValues(topic, "stored").Inc()
	return nil
}

// deliver sends notification:alert for each new notification and mails
// those whose player opted into email for the kind. Both are at most once:
// a failed recipient lookup is logged, not retried, since the entries are
// stored.
func (w *Worker) deliver(ctx context.Context, ns []persistence.Notification) {
	byKind := map[string][]persistence.Notification{}
	for _, n := range ns {
		w.deps.Events.Publish(player.Topic(n.PlayerID),
			&protos.ClientEvent{Type: TypeAlert, Data: events.Encode(NewAlert(n))})
		byKind[n.Kind] = append(byKind[n.Kind], n)
	}
	if w.deps.Mail == nil || (w.deps.MailOn != nil && !w.deps.MailOn()) {
		return
	}
	for kind, group := range byKind {
		w.mail(ctx, kind, group)
	}
}

// mail mails the group (one kind) to its opted-in players.
func (w *Worker) mail(ctx context.Context, kind string, group []persistence.Notification) {
	ids := make([]string, 0, len(group))
	for _, n := range group {
		ids = append(ids, n.PlayerID)
	}
	to, err := w.deps.Store.EmailRecipients(ctx, ids, kind)
	if err != nil {
		w.deps.Logger.Warn("notification worker: email recipients", slog.String("kind", kind), slog.Any("error", err))
		return
	}
	byPlayer := make(map[string]persistence.EmailRecipient, len(to))
	for _, r := range to {
		byPlayer[r.PlayerID] = r
	}
	for _, n := range group {
		if r, ok := byPlayer[n.PlayerID]; ok {
			w.deps.Mail.MailNotification(n, r)
		}
	}
}
