package chainwriter

import (
	"context"
	"io"
	"log/slog"
	"time"

	"github.com/proofstell/proofstell/actors/runtime/fanout"
	"github.com/proofstell/proofstell/chain/relay"
	"github.com/proofstell/proofstell/persistence"
)

// Defaults of zero Deps fields.
const (
	DefaultBatchSize = 10
	DefaultIOTimeout = 10 * time.Second
	// DefaultStuckAfter is how long a sent transaction may sit unconfirmed
	// before it is replaced with a higher fee.
	DefaultStuckAfter = 2 * time.Minute
	// DefaultFeeBump scales the fee of each replacement over the previous.
	DefaultFeeBump = 1.5
	// DefaultMaxFeeBumps bounds the replacements of one transaction; the
	// fee cap bounds them too.
	DefaultMaxFeeBumps = 3
	// DefaultNonceTakenChecks is how many consecutive polls must find a
	// transaction unknown with its nonce consumed before it is given up:
	// one look could be a node that has not indexed it yet.
	DefaultNonceTakenChecks = 3
)

// Deps are what the job needs; Store, Chain, Queue, Events and Base are
// required.
type Deps struct {
	Store persistence.ChainWriterStore
	// Chain is the relayer account: chain/starknet.Minter,
	// chain/stellar.Relayer.
	Chain relay.Relayer
	// Queue is the chain whose mint requests this writer drains.
	Queue persistence.Chain
	// Events tells a player's sockets how their mints progress.
	Events fanout.Publisher
	// BatchSize caps mints per transaction (default DefaultBatchSize, at
	// most Chain.MaxBatch()).
	BatchSize int
	// TickInterval is the job's own tick cadence; 0: ticks come only from
	// outside (tests).
	TickInterval time.Duration
	// Base parents every I/O context: the node's base context (cancelling
	// it abandons calls in flight).
	Base context.Context
	// IOTimeout bounds each store or node call (default DefaultIOTimeout).
	IOTimeout time.Duration
	// StuckAfter, FeeBump and MaxFeeBumps govern replacing a stuck
	// transaction (defaults DefaultStuckAfter, DefaultFeeBump,
	// DefaultMaxFeeBumps; a negative MaxFeeBumps never replaces).
	StuckAfter  time.Duration
	FeeBump     float64
	MaxFeeBumps int
	// NonceTakenChecks (default DefaultNonceTakenChecks) consecutive
	// findings that a transaction is unknown while its nonce was consumed
	// drop it and requeue its work.
	NonceTakenChecks int
	// Now is the clock of durations and of the stuck timer (default
	// time.Now).
	Now func() time.Time
	// Probe, when set, sees every step on the actor's goroutine (tests).
	Probe func(Step)
	// Logger reports failures (default: discard).
	Logger *slog.Logger
}

// Step is one thing the job did, reported to Deps.Probe.
type Step struct {
	// Kind: loaded, idle, recorded, sent, send_failed, receipt,
	// receipt_failed, replaced, finished, split, dropped, settled (work
	// whose simulation reverted, settled without a tx), error, fenced.
	Kind string
	Hash string
	Err  error
}

// withDefaults fills zero fields.
func (d Deps) withDefaults() Deps {
	if d.BatchSize <= 0 {
		d.BatchSize = DefaultBatchSize
	}
	if d.Chain != nil {
		d.BatchSize = max(1, min(d.BatchSize, d.Chain.MaxBatch()))
	}
	if d.IOTimeout <= 0 {
		d.IOTimeout = DefaultIOTimeout
	}
	if d.StuckAfter <= 0 {
		d.StuckAfter = DefaultStuckAfter
	}
	if d.FeeBump <= 1 {
		d.FeeBump = DefaultFeeBump
	}
	if d.MaxFeeBumps == 0 {
		d.MaxFeeBumps = DefaultMaxFeeBumps
	}
	if d.NonceTakenChecks <= 0 {
		d.NonceTakenChecks = DefaultNonceTakenChecks
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Logger == nil {
		d.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return d
}
