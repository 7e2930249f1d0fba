package singleton

import (
	"fmt"
	"log/slog"

	"github.com/asynkron/protoactor-go/actor"
)

// ensureJob spawns the job unless it is alive. A job that stopped by itself
// while the lease is still ours is started again under the same epoch.
func (r *Runner) ensureJob() error {
	if r.job != nil && r.alive(r.job) {
		return nil
	}
	name := fmt.Sprintf("singleton/%s/%d/%s", r.opts.Name, r.lease.Epoch, r.root.ActorSystem().ProcessRegistry.NextId())
	pid, err := r.root.SpawnNamed(r.opts.Job(r.lease), name)
	if err != nil {
		r.job = nil
		return fmt.Errorf("spawn singleton %s job: %w", r.opts.Name, err)
	}
	r.job = pid
	return nil
}

// stopJob stops the job and waits until it has stopped, so the lease is
// never released (and a peer's job never started) while ours still runs.
func (r *Runner) stopJob() {
	if r.job == nil {
		return
	}
	pid := r.job
	r.job = nil
	if !r.alive(pid) {
		return
	}
	if err := r.root.StopFuture(pid).Wait(); err != nil {
		r.opts.Logger.Warn("stop singleton job", slog.String("singleton", r.opts.Name), slog.Any("error", err))
	}
}

func (r *Runner) alive(pid *actor.PID) bool {
	_, ok := r.root.ActorSystem().ProcessRegistry.GetLocal(pid.Id)
	return ok
}
