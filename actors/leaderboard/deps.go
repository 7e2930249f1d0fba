package leaderboard

import (
	"context"
	"log/slog"
	"time"

	"github.com/proofstell/proofstell/actors/protos"
	"github.com/proofstell/proofstell/actors/runtime/fanout"
	"github.com/proofstell/proofstell/config"
	"github.com/proofstell/proofstell/persistence"
)

// Defaults applied to zero Deps fields.
const (
	// DefaultStashLimit bounds messages held while the index rebuilds.
	DefaultStashLimit = 10_000
	// DefaultRebuildTimeout bounds one rebuild from Postgres.
	DefaultRebuildTimeout = 30 * time.Second
	// DefaultRetryBackoff is the first wait after a failed rebuild.
	DefaultRetryBackoff = 500 * time.Millisecond
	// MaxRetryBackoff caps the doubling wait between rebuild attempts.
	MaxRetryBackoff = 30 * time.Second
)

// Deps is what a leaderboard grain needs from the node.
type Deps struct {
	// Standings is the rebuild and catch-up source (Postgres in production).
	Standings persistence.StandingChanges
	// Publisher sends the coalesced leaderboard:update events (nil: dropped).
	Publisher fanout.Publisher
	Now       func() time.Time
	Config    config.Leaderboard
	Logger    *slog.Logger
	// Base is the node's base context (required); rebuild goroutines derive
	// from it so shutdown cancels them.
	Base           context.Context
	RebuildTimeout time.Duration
	// StashLimit bounds the messages held during a rebuild (overflow: queries
	// are answered QueryFailed, applies dropped and counted). 0: default.
	StashLimit int
	// RetryBackoff is the first wait before retrying a failed rebuild; it
	// doubles up to MaxRetryBackoff. 0: default.
	RetryBackoff time.Duration
	// Metrics receives the grain's metrics; nil: unregistered metrics.
	Metrics *Metrics
	// Views is the node's registry where serving grains publish their read
	// view for this node's Clients (the same Views passed to NewClient);
	// nil: every read is a request.
	Views *Views
}

// withDefaults fills zero fields so the grain never checks for nil.
func (d Deps) withDefaults() Deps {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	if d.RebuildTimeout <= 0 {
		d.RebuildTimeout = DefaultRebuildTimeout
	}
	if d.StashLimit <= 0 {
		d.StashLimit = DefaultStashLimit
	}
	if d.RetryBackoff <= 0 {
		d.RetryBackoff = DefaultRetryBackoff
	}
	if d.Metrics == nil {
		d.Metrics, _ = NewMetrics(nil)
	}
	if d.Publisher == nil {
		d.Publisher = discardPublisher{}
	}
	return d
}

// discardPublisher stands in when no Publisher is wired (tools, tests).
type discardPublisher struct{}

// Publish drops the event.
func (discardPublisher) Publish(string, *protos.ClientEvent) {}
