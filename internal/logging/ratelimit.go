// Package logging is the node's one way to log: every library's output is
// routed into the node's slog JSON logger (adapters for go-redis style
// Printf loggers, gRPC's grpclog, zap and the standard log package), and a
// rate-limiting handler keeps a dependency outage from flooding the log:
// at most one line per interval per message kind, then a count of what was
// dropped. The JSON handler and redaction (internal/redact) sit behind it.
package logging

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"
)

// Attribute keys the package reads and writes.
const (
	// KindKey groups records for rate limiting when the message alone is too
	// specific: adapters of Printf-style loggers set it to the format string,
	// whose formatted text differs on every line (addresses, counts).
	KindKey = "kind"
	// SuppressedKey carries how many records of the same kind were dropped
	// since the last one written.
	SuppressedKey = "suppressed"
	// LibKey names the library a routed record came from.
	LibKey = "lib"
	// EventKey marks an audit event (security.refresh_reuse,
	// security.admin_update, …). Records carrying it are never limited:
	// they are the audit trail, not outage noise.
	EventKey = "event"
)

// SuppressedMessage is the summary written for a kind that went quiet with
// records still uncounted.
const SuppressedMessage = "log lines suppressed"

// defaultMaxKinds bounds the kinds tracked at once; beyond it records pass
// unlimited (a log that is too loud beats one that is silent).
const defaultMaxKinds = 1024

// RateOptions configures a RateLimiter.
type RateOptions struct {
	// Interval is the shortest time between two written records of one
	// kind; zero or less disables limiting.
	Interval time.Duration
	// MinLevel is the lowest level limited; quieter records always pass
	// (access and debug lines are not outage noise). Default: warn.
	MinLevel slog.Leveler
	// Now is the limiter's clock; time.Now when nil.
	Now func() time.Time
	// MaxKinds bounds the tracked kinds; defaultMaxKinds when zero.
	MaxKinds int
}

// RateLimiter is a slog.Handler that writes at most one record per Interval
// per kind (the level with the KindKey attribute, else with the message) at
// MinLevel and above; records with an EventKey attribute always pass.
// The next record of a kind after its interval carries SuppressedKey with
// the number dropped meanwhile; kinds that went quiet are summarized in a
// SuppressedMessage record, at most once per interval, on the next record
// handled. Handlers derived with WithAttrs and WithGroup share the limits.
type RateLimiter struct {
	next  slog.Handler
	state *rateState
}

// rateState is shared by a RateLimiter and every handler derived from it.
type rateState struct {
	root      slog.Handler
	interval  time.Duration
	minLevel  slog.Leveler
	now       func() time.Time
	maxKinds  int
	mu        sync.Mutex
	kinds     map[string]*kindState
	lastSweep time.Time
}

type kindState struct {
	last       time.Time
	suppressed int
}

// NewRateLimiter wraps next.
func NewRateLimiter(next slog.Handler, opts RateOptions) *RateLimiter {
	if opts.MinLevel == nil {
		opts.MinLevel = slog.LevelWarn
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.MaxKinds <= 0 {
		opts.MaxKinds = defaultMaxKinds
	}
	return &RateLimiter{next: next, state: &rateState{
		root: next, interval: opts.Interval, minLevel: opts.MinLevel, now: opts.Now,
		maxKinds: opts.MaxKinds, kinds: map[string]*kindState{},
	}}
}

// Enabled defers to the wrapped handler.
func (h *RateLimiter) Enabled(ctx context.Context, level slog.Level) bool {
	return h.next.Enabled(ctx, level)
}

// Handle writes r unless its kind was written less than Interval ago.
func (h *RateLimiter) Handle(ctx context.Context, r slog.Record) error {
	st := h.state
	if st.interval <= 0 || r.Level < st.minLevel.Level() {
		return h.next.Handle(ctx, r)
	}
	kind, audit := kindOf(r)
	if audit {
		return h.next.Handle(ctx, r)
	}
	now := st.now()
	quiet := st.sweep(now, kind)
	n, write := st.admit(kind, now)
	for _, q := range quiet {
		_ = st.root.Handle(ctx, q.record(now))
	}
	if !write {
		return nil
	}
	if n > 0 {
		r = r.Clone()
		r.AddAttrs(slog.Int(SuppressedKey, n))
	}
	return h.next.Handle(ctx, r)
}

// WithAttrs derives a handler sharing the limits.
func (h *RateLimiter) WithAttrs(attrs []slog.Attr) slog.Handler {
	return &RateLimiter{next: h.next.WithAttrs(attrs), state: h.state}
}

// WithGroup derives a handler sharing the limits.
func (h *RateLimiter) WithGroup(name string) slog.Handler {
	return &RateLimiter{next: h.next.WithGroup(name), state: h.state}
}

// kindOf is the record's level with its KindKey attribute, or with its
// message; audit reports an EventKey attribute.
func kindOf(r slog.Record) (kind string, audit bool) {
	kind = r.Message
	r.Attrs(func(a slog.Attr) bool {
		switch a.Key {
		case KindKey:
			kind = a.Value.String()
		case EventKey:
			audit = true
		}
		return true
	})
	return r.Level.String() + " " + kind, audit
}

// admit decides whether a record of kind is written at now, and returns how
// many of its kind were suppressed since the last one written.
func (st *rateState) admit(kind string, now time.Time) (suppressed int, write bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	k, ok := st.kinds[kind]
	if !ok {
		if len(st.kinds) >= st.maxKinds {
			return 0, true
		}
		st.kinds[kind] = &kindState{last: now}
		return 0, true
	}
	if now.Sub(k.last) < st.interval {
		k.suppressed++
		return 0, false
	}
	n := k.suppressed
	k.last, k.suppressed = now, 0
	return n, true
}

// quietKind is a kind whose interval ended with records still uncounted.
type quietKind struct {
	kind       string
	suppressed int
}

func (q quietKind) record(now time.Time) slog.Record {
	level, kind, _ := strings.Cut(q.kind, " ")
	r := slog.NewRecord(now, slog.LevelWarn, SuppressedMessage, 0)
	r.AddAttrs(slog.String(KindKey, kind), slog.String("kind_level", level), slog.Int(SuppressedKey, q.suppressed))
	return r
}

// sweep, at most once per interval, forgets kinds whose interval has ended
// and returns those that still had suppressed records to report. The kind
// being handled is left to admit, which reports its count on the record.
func (st *rateState) sweep(now time.Time, handling string) []quietKind {
	st.mu.Lock()
	defer st.mu.Unlock()
	if now.Sub(st.lastSweep) < st.interval {
		return nil
	}
	st.lastSweep = now
	var quiet []quietKind
	for kind, k := range st.kinds {
		if kind == handling || now.Sub(k.last) < st.interval {
			continue
		}
		if k.suppressed > 0 {
			quiet = append(quiet, quietKind{kind: kind, suppressed: k.suppressed})
		}
		delete(st.kinds, kind)
	}
	slices.SortFunc(quiet, func(a, b quietKind) int { return strings.Compare(a.kind, b.kind) })
	return quiet
}
