package chainwriter

import (
	"context"
	"io"
	"log/slog"
	"time"

	"github.com/proofstell/proofstell/actors/protos"
	"github.com/proofstell/proofstell/chain/starknet"
	"github.com/proofstell/proofstell/persistence"
)

// Defaults of zero Deps fields.
const (
	DefaultBatchSize = 10
	DefaultIOTimeout = 10 * time.Second
)

// Chain is the relayer side of the node (*starknet.Minter).
type Chain interface {
	Nonce(ctx context.Context) (uint64, error)
	Prepare(ctx context.Context, nonce uint64, mints []starknet.Mint) (starknet.SignedInvoke, error)
	Send(ctx context.Context, tx starknet.SignedInvoke) error
	Receipt(ctx context.Context, hash string) (starknet.Receipt, error)
}

// Publisher delivers events to sockets across the cluster (fanout.Hub).
type Publisher interface {
	Publish(topic string, ev *protos.ClientEvent)
}

// Deps are what the job needs; Store, Chain and Events are required.
type Deps struct {
	Store  persistence.ChainWriterStore
	Chain  Chain
	Events Publisher
	// BatchSize caps mints per multicall (default DefaultBatchSize, at most
	// starknet.MaxMintsPerInvoke).
	BatchSize int
	// TickInterval is the job's own tick cadence; 0: ticks come only from
	// outside (tests).
	TickInterval time.Duration
	// Base parents every I/O context: the node's base context (required,
	// like every actor's; cancelling it abandons calls in flight).
	Base context.Context
	// IOTimeout bounds each store or node call (default DefaultIOTimeout).
	IOTimeout time.Duration
	// Now is the clock of durations (default time.Now).
	Now func() time.Time
	// Probe, when set, sees every step on the actor's goroutine (tests).
	Probe func(Step)
	// Logger reports failures (default: discard).
	Logger *slog.Logger
}

// Step is one thing the job did, reported to Deps.Probe.
type Step struct {
	Kind string // loaded, idle, recorded, sent, send_failed, receipt, receipt_failed, finished, dropped, error, fenced
	Hash string
	Err  error
}

// withDefaults fills zero fields.
func (d Deps) withDefaults() Deps {
	if d.BatchSize <= 0 {
		d.BatchSize = DefaultBatchSize
	}
	d.BatchSize = min(d.BatchSize, starknet.MaxMintsPerInvoke)
	if d.IOTimeout <= 0 {
		d.IOTimeout = DefaultIOTimeout
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Logger == nil {
		d.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return d
}
