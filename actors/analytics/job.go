package analytics

import (
	"context"
	"log/slog"
	"time"

	"github.com/asynkron/protoactor-go/actor"
)

// JobDeps are a provider's worker dependencies without the ticks (the job
// owns its ticker) and the job's own settings.
type JobDeps struct {
	Worker Deps
	// Interval is the drain cadence while this node leads.
	Interval time.Duration
	// Base is the node's worker context: the worker stops with it.
	Base context.Context
	// StopWait bounds how long Stopping waits for the drain in flight
	// (its request is cancelled at once; default 5s).
	StopWait time.Duration
}

// JobProps is the singleton job of one provider (actors/runtime/singleton):
// it runs a Worker while this node holds the provider's lease, so one node
// of the cluster sends to a provider at a time.
func JobProps(deps JobDeps) *actor.Props {
	if deps.StopWait <= 0 {
		deps.StopWait = 5 * time.Second
	}
	return actor.PropsFromProducer(func() actor.Actor { return &job{deps: deps} })
}

// job runs the worker loop on its own goroutine between Started and
// Stopping; the mailbox only starts and stops it.
type job struct {
	deps   JobDeps
	ticker *time.Ticker
	worker *Worker
	cancel context.CancelFunc
	done   chan struct{}
}

// Receive implements actor.Actor.
func (j *job) Receive(ctx actor.Context) {
	switch ctx.Message().(type) {
	case *actor.Started:
		j.onStarted()
	case *actor.Stopping:
		j.onStopping()
	case *actor.Stopped, *actor.Restarting:
	default:
		j.deps.Worker.Logger.Debug("analytics job: unknown message", slog.Any("message", ctx.Message()))
	}
}

func (j *job) onStarted() {
	j.ticker = time.NewTicker(j.deps.Interval)
	d := j.deps.Worker
	d.Ticks = j.ticker.C
	j.worker = New(d)
	run, cancel := context.WithCancel(j.deps.Base)
	j.cancel, j.done = cancel, make(chan struct{})
	go func() {
		defer close(j.done)
		j.worker.Run(run)
	}()
}

// onStopping cancels the drain (its request in flight with it) and waits
// for it, so the runner never releases the lease while this leader may
// still send: a new leader would send the same request again.
func (j *job) onStopping() {
	if j.cancel == nil {
		return
	}
	j.cancel()
	j.ticker.Stop()
	select {
	case <-j.done:
	case <-time.After(j.deps.StopWait):
		j.deps.Worker.Logger.Warn("analytics job: drain still running at stop", slog.String("provider", j.deps.Worker.Sender.Name()))
	}
}
