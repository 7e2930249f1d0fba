package mail

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

// Sender delivers one message; *SMTP is the production Sender.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// ErrQueueFull reports the queue at capacity (overflow policy: reject; the
// caller answers as usual and the player can ask for the mail again).
var ErrQueueFull = errors.New("mail queue full")

var (
	mailSent = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "proofstell_mail_sent_total",
		Help: "Account mails by kind and outcome (sent, failed, rejected).",
	}, []string{"kind", "outcome"})
	mailQueued = promauto.NewGauge(prometheus.GaugeOpts{
		Name: "proofstell_mail_queue_length",
		Help: "Account mails waiting to be sent on this node.",
	})
)

// Queue hands messages from request handlers to one sending goroutine, so
// handlers never wait for SMTP. Bounded; overflow rejects. Mails still
// queued at Stop are sent before Run returns (each bounded by the timeout).
type Queue struct {
	sender  Sender
	timeout time.Duration
	logger  *slog.Logger
	ch      chan Message
	stop    chan struct{}
	done    chan struct{}
	once    sync.Once
}

// NewQueue returns a queue of size messages sent through sender, each
// attempt bounded by timeout.
func NewQueue(sender Sender, size int, timeout time.Duration, logger *slog.Logger) *Queue {
	if logger == nil {
		logger = slog.Default()
	}
	return &Queue{sender: sender, timeout: timeout, logger: logger, ch: make(chan Message, max(size, 1)),
		stop: make(chan struct{}), done: make(chan struct{})}
}

// Enqueue queues m without blocking; ErrQueueFull when at capacity.
func (q *Queue) Enqueue(m Message) error {
	select {
	case q.ch <- m:
		mailQueued.Inc()
		return nil
	default:
		mailSent.WithLabelValues(m.Kind, "rejected").Inc()
		return ErrQueueFull
	}
}

// Run sends queued messages until ctx ends or Stop is called, then drains
// what is left. Call it once.
func (q *Queue) Run(ctx context.Context) {
	defer close(q.done)
	for {
		select {
		case m := <-q.ch:
			q.send(ctx, m)
		case <-ctx.Done():
			q.drain(context.WithoutCancel(ctx))
			return
		case <-q.stop:
			q.drain(ctx)
			return
		}
	}
}

// drain sends what is queued without waiting for more.
func (q *Queue) drain(ctx context.Context) {
	for {
		select {
		case m := <-q.ch:
			q.send(ctx, m)
		default:
			return
		}
	}
}

func (q *Queue) send(ctx context.Context, m Message) {
	mailQueued.Dec()
	ctx, cancel := context.WithTimeout(ctx, q.timeout)
	defer cancel()
	if err := q.sender.Send(ctx, m); err != nil {
		mailSent.WithLabelValues(m.Kind, "failed").Inc()
		q.logger.WarnContext(ctx, "mail not sent", slog.String("kind", m.Kind), slog.Any("error", err))
		return
	}
	mailSent.WithLabelValues(m.Kind, "sent").Inc()
}

// Stop asks Run to drain and return, and waits for it or ctx. Idempotent.
func (q *Queue) Stop(ctx context.Context) error {
	q.once.Do(func() { close(q.stop) })
	select {
	case <-q.done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
