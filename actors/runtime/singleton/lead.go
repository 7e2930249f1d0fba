package singleton

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/proofstell/proofstell/persistence"
)

// attempt renews the lease while leading, or tries to take it otherwise, and
// starts or stops the job to match.
func (r *Runner) attempt(ctx context.Context) {
	start := r.opts.Now()
	timeout := r.opts.CallTimeout
	if left := r.stepDownAt().Sub(start); r.leading && left > 0 {
		// A renewal does not outlive the moment the leader must step down.
		// One that starts later (this goroutine itself ran late) asks the
		// store anyway: its answer, refused or not, decides.
		timeout = min(timeout, left)
	}
	call, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var err error
	if r.leading {
		err = r.renew(ctx, call, start)
	} else {
		err = r.acquire(call, start)
	}
	if r.opts.Observe != nil {
		a := Attempt{Leading: r.leading, Err: err}
		if r.leading {
			a.Lease = r.lease
		}
		r.opts.Observe(a)
	}
}

// stepDownAt is the last moment the job may run without a renewal: a
// margin of half a renewal period before the lease's earliest expiry, for
// the clocks of the nodes that judge it.
func (r *Runner) stepDownAt() time.Time {
	return r.validUntil.Add(-r.opts.RenewEvery / 2)
}

// renew extends the lease. A refusal (ErrStaleEpoch: a peer took it) stops
// the job at once. A failure (a timeout, a lost connection) while the lease
// is still ours only counts a late renewal, as long as the next attempt
// still comes before stepDownAt; otherwise the leader must assume a peer is
// about to take the lease and steps down. If the lease was in fact still
// ours, the next acquire resumes it under the same epoch. A renewal cut
// short by shutdown is left to resign, which also releases.
func (r *Runner) renew(run, ctx context.Context, start time.Time) error {
	l, err := r.store.RenewLease(ctx, r.opts.Name, r.opts.Holder, r.lease.Epoch, r.opts.TTL)
	switch {
	case err == nil:
		r.lease, r.validUntil = l, start.Add(r.opts.TTL)
		return r.ensureJob()
	case r.stopping(run):
	case errors.Is(err, persistence.ErrStaleEpoch) || !r.opts.Now().Add(r.opts.RenewEvery).Before(r.stepDownAt()):
		r.stepDown(ctx, err)
	default:
		r.late.Inc()
		r.opts.Logger.Warn("singleton renewal late", append(r.logAttrs(),
			slog.Duration("left", r.stepDownAt().Sub(r.opts.Now())), slog.Any("error", err))...)
	}
	return fmt.Errorf("renew singleton %s: %w", r.opts.Name, err)
}

// acquire takes the lease if it is free or expired. ErrConflict (a live peer
// leads) is the normal answer on every node but one.
func (r *Runner) acquire(ctx context.Context, start time.Time) error {
	l, err := r.store.AcquireLease(ctx, r.opts.Name, r.opts.Holder, r.opts.TTL)
	if err != nil {
		return fmt.Errorf("acquire singleton %s: %w", r.opts.Name, err)
	}
	r.lease, r.leading, r.validUntil = l, true, start.Add(r.opts.TTL)
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
	r.lost.Inc()
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
