package singleton

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/proofstell/proofstell/persistence"
)

// attempt renews the lease while leading, or tries to take it otherwise, and
// starts or stops the job to match.
func (r *Runner) attempt(ctx context.Context) {
	call, cancel := context.WithTimeout(ctx, r.opts.CallTimeout)
	defer cancel()
	var err error
	if r.leading {
		err = r.renew(ctx, call)
	} else {
		err = r.acquire(call)
	}
	if r.opts.Observe != nil {
		a := Attempt{Leading: r.leading, Err: err}
		if r.leading {
			a.Lease = r.lease
		}
		r.opts.Observe(a)
	}
}

// renew extends the lease. Any failure stops the job at once: a leader that
// cannot prove its lease must assume a peer is about to take it. If the lease
// is in fact still ours, the next acquire resumes it under the same epoch.
// A renewal cut short by shutdown is left to resign, which also releases.
func (r *Runner) renew(run, ctx context.Context) error {
	l, err := r.store.RenewLease(ctx, r.opts.Name, r.opts.Holder, r.lease.Epoch, r.opts.TTL)
	if err != nil && r.stopping(run) {
		return fmt.Errorf("renew singleton %s: %w", r.opts.Name, err)
	}
	if err != nil {
		r.stepDown(ctx, err)
		return fmt.Errorf("renew singleton %s: %w", r.opts.Name, err)
	}
	r.lease = l
	return r.ensureJob()
}

// acquire takes the lease if it is free or expired. ErrConflict (a live peer
// leads) is the normal answer on every node but one.
func (r *Runner) acquire(ctx context.Context) error {
	l, err := r.store.AcquireLease(ctx, r.opts.Name, r.opts.Holder, r.opts.TTL)
	if err != nil {
		return fmt.Errorf("acquire singleton %s: %w", r.opts.Name, err)
	}
	r.lease, r.leading = l, true
	r.leader.Set(1)
	if l.Epoch != r.lastEpoch {
		r.lastEpoch = l.Epoch
		r.takeovers.Inc()
		r.opts.Logger.Info("singleton leadership taken", r.logAttrs()...)
	}
	return r.ensureJob()
}

// stepDown stops the job and forgets the lease without releasing it: the
// lease is lost or unknown, so there is nothing of ours to release.
func (r *Runner) stepDown(ctx context.Context, cause error) {
	level := slog.LevelWarn
	if errors.Is(cause, persistence.ErrStaleEpoch) {
		level = slog.LevelInfo
	}
	r.opts.Logger.Log(ctx, level, "singleton leadership lost", append(r.logAttrs(), slog.Any("error", cause))...)
	r.stopJob()
	r.leading = false
	r.leader.Set(0)
}

// resign ends a leadership on shutdown: the job stops first, then the lease
// is released so a peer's next attempt takes it.
func (r *Runner) resign(ctx context.Context) {
	if !r.leading {
		return
	}
	r.stopJob()
	r.leading = false
	r.leader.Set(0)
	release, cancel := context.WithTimeout(context.WithoutCancel(ctx), r.opts.CallTimeout)
	defer cancel()
	if err := r.store.ReleaseLease(release, r.opts.Name, r.opts.Holder, r.lease.Epoch); err != nil {
		r.opts.Logger.Warn("release singleton lease", append(r.logAttrs(), slog.Any("error", err))...)
		return
	}
	r.opts.Logger.Info("singleton leadership released", r.logAttrs()...)
}

func (r *Runner) logAttrs() []any {
	return []any{slog.String("singleton", r.opts.Name), slog.String("holder", r.opts.Holder), slog.Int64("epoch", r.lease.Epoch)}
}
