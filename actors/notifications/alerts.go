package notifications

import (
	"context"
	"encoding/json"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"

	"github.com/proofstell/proofstell/actors/events"
	"github.com/proofstell/proofstell/actors/player"
	"github.com/proofstell/proofstell/actors/protos"
	"github.com/proofstell/proofstell/actors/runtime/fanout"
	"github.com/proofstell/proofstell/persistence"
)

var (
	receiptDrops = promauto.NewCounter(prometheus.CounterOpts{
		Name: "proofstell_notification_receipts_dropped_total",
		Help: "Delivered alerts not recorded because the receipt queue was full (overflow policy: drop; the player may get the alert again on connect).",
	})
	receiptQueueDepth = promauto.NewGauge(prometheus.GaugeOpts{
		Name: "proofstell_notification_receipt_queue_depth",
		Help: "Delivered alerts waiting to be recorded as alerted.",
	})
)

// AlertStore is what alert delivery reads and writes.
type AlertStore interface {
	// TakeUnalerted is persistence.NotificationStore.TakeUnalerted.
	TakeUnalerted(ctx context.Context, playerID string, limit int) ([]persistence.Notification, error)
	// MarkAlerted is persistence.NotificationStore.MarkAlerted.
	MarkAlerted(ctx context.Context, ids []string) error
}

// Receipts records which notifications reached a socket, so a connecting
// player is not sent them again (Pending). The node's hub reports each
// notification:alert it queued on a local socket (Observe, wired with
// fanout.Hub.OnDelivered); Run writes them in batches. The queue is
// bounded (overflow: drop, counted): a lost receipt only means the alert
// may come again, with the same id, on the player's next connect.
type Receipts struct {
	store  AlertStore
	ids    chan string
	batch  int
	logger *slog.Logger
}

// NewReceipts builds receipts with a queue of size ids written at most
// batch at a time.
func NewReceipts(store AlertStore, size, batch int, logger *slog.Logger) *Receipts {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Receipts{store: store, ids: make(chan string, max(size, 1)), batch: max(batch, 1), logger: logger}
}

// Observe queues the notification of b for marking when b is a
// notification:alert some socket took; it never blocks.
func (r *Receipts) Observe(b *fanout.Broadcast, queued int) {
	if queued == 0 || b.Event.GetType() != TypeAlert {
		return
	}
	var a struct {
		ID string `json:"id"`
	}
	if json.Unmarshal(b.Event.GetData(), &a) != nil || a.ID == "" {
		return
	}
	select {
	case r.ids <- a.ID:
		receiptQueueDepth.Inc()
	default:
		receiptDrops.Inc()
	}
}

// Run writes queued receipts until ctx ends.
func (r *Receipts) Run(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case id := <-r.ids:
			receiptQueueDepth.Dec()
			r.write(ctx, id)
		}
	}
}

// Write records what is queued now and returns how many ids it wrote (for
// tests and shutdown; Run calls it as receipts arrive).
func (r *Receipts) Write(ctx context.Context) int {
	select {
	case id := <-r.ids:
		receiptQueueDepth.Dec()
		return r.write(ctx, id)
	default:
		return 0
	}
}

// write records first and whatever else is queued, up to batch.
func (r *Receipts) write(ctx context.Context, first string) int {
	ids := []string{first}
collect:
	for len(ids) < r.batch {
		select {
		case id := <-r.ids:
			receiptQueueDepth.Dec()
			ids = append(ids, id)
		default:
			break collect
		}
	}
	mark, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := r.store.MarkAlerted(mark, ids); err != nil {
		r.logger.Warn("notification receipts", slog.Int("ids", len(ids)), slog.Any("error", err))
	}
	return len(ids)
}

// Pending hands a connecting player the notifications stored while no
// socket of theirs got the alert (player.Alerts): at most Limit, oldest
// first, each taken once across the cluster.
type Pending struct {
	Store AlertStore
	// Limit bounds the alerts one connect sends (0 means 50); the inbox
	// (REST) has the rest.
	Limit int
}

var _ player.Alerts = Pending{}

// Take implements player.Alerts.
func (p Pending) Take(ctx context.Context, playerID string) ([]*protos.ClientEvent, error) {
	limit := p.Limit
	if limit <= 0 {
		limit = 50
	}
	ns, err := p.Store.TakeUnalerted(ctx, playerID, limit)
	if err != nil {
		return nil, err
	}
	out := make([]*protos.ClientEvent, 0, len(ns))
	for _, n := range ns {
		out = append(out, &protos.ClientEvent{Type: TypeAlert, Data: events.Encode(NewAlert(n))})
	}
	return out, nil
}
