package session

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/proofstell/proofstell/actors/session/game"
	"github.com/proofstell/proofstell/persistence"
)

// inPlay reports whether this activation owns a game that is counting down
// or running: the only state worth carrying over to the next activation.
func (a *Actor) inPlay() bool {
	if a.game == nil || a.result != nil || a.lost || a.frozen {
		return false
	}
	p := a.game.Phase()
	return p == game.PhaseCountdown || p == game.PhaseRunning
}

// catchUp decides whether a game restored in countdown or running survived
// its outage: the time since the game's clock is inserted as a pause when it
// is within Config.ResumeWindow; otherwise the game ends as aborted and
// records nothing (it could not have been played fairly). It reports whether
// the game goes on.
func (a *Actor) catchUp(ctx actor.Context) bool {
	now := a.deps.Now()
	gap := now.Sub(a.game.Clock())
	if gap > a.deps.Config.ResumeWindow {
		sessionsResumed.WithLabelValues("aborted").Inc()
		a.deps.Logger.Warn("session unavailable too long, aborted", slog.String("session", a.id),
			slog.Duration("outage", gap), slog.Duration("window", a.deps.Config.ResumeWindow))
		a.abort(ctx, now, persistence.AbortResumeWindow)
		return false
	}
	sessionsResumed.WithLabelValues("resumed").Inc()
	if a.game.Resume(now) > 0 {
		a.resumedAt = now
	}
	return true
}

// judgedAt is when a whack stamped at stampMicros is judged: a whack stamped
// while the game was paused by an outage counts at the instant it resumed,
// which is where the paused timeline continues.
func (a *Actor) judgedAt(stampMicros int64, now time.Time) time.Time {
	at := arrival(stampMicros, now)
	if at.Before(a.resumedAt) {
		return a.resumedAt
	}
	return at
}

// maxStopWait bounds how long a stopping activation waits for its last
// snapshot before it lets go.
const maxStopWait = 2 * time.Second

// snapshotOnStop saves a last snapshot of a game in play when the
// activation stops (the cluster moved it, the node shuts down), so the next
// activation resumes from here rather than from the last periodic snapshot.
// The write runs in a goroutine, after any periodic write still in flight,
// and is tracked by Deps.Flush. It is epoch-guarded like every snapshot: if
// a newer activation already owns the session, it writes nothing.
//
// This is the one place a session waits on I/O in Receive, bounded by
// maxStopWait: the activation is stopping and takes no more messages, and
// its players re-resolve the session the moment they see it terminate. If
// it let go first, the next activation would claim the session before the
// write landed and fence it, and the game would resume from the older
// periodic snapshot.
func (a *Actor) snapshotOnStop() {
	written := a.saveLastSnapshot()
	if written == nil {
		return
	}
	timer := time.NewTimer(min(a.deps.IOTimeout, maxStopWait))
	defer timer.Stop()
	select {
	case <-written:
	case <-timer.C:
	}
}

// saveLastSnapshot starts the last snapshot's write; the channel closes
// once it is done (nil when there is nothing to save).
func (a *Actor) saveLastSnapshot() <-chan struct{} {
	if !a.inPlay() {
		return nil
	}
	snap, err := a.snapshot(a.deps.Now())
	if err != nil {
		a.deps.Logger.Error("encode final snapshot", slog.String("session", a.id), slog.Any("error", err))
		return nil
	}
	deps, prior := a.deps, a.inflight
	deps.Flush.begin()
	written := make(chan struct{})
	go func() {
		defer close(written)
		defer deps.Flush.done()
		if prior != nil {
			<-prior
		}
		// The node's base context may already be cancelled by a shutdown:
		// this is the shutdown's own write, bounded by IOTimeout instead.
		write, cancel := context.WithTimeout(context.WithoutCancel(deps.Base), deps.IOTimeout)
		defer cancel()
		err := saveNow(write, deps, snap)
		finalSnapshots.WithLabelValues(finalOutcome(err)).Inc()
		if err != nil && !errors.Is(err, persistence.ErrStaleEpoch) {
			deps.Logger.Warn("save final snapshot", slog.String("session", snap.SessionID), slog.Any("error", err))
		}
	}()
	return written
}

// saveNow writes a last snapshot through the node's snapshot writer (in
// its next batch) and waits for it, or writes it alone when there is no
// writer or it takes no more (the node is stopping).
func saveNow(ctx context.Context, deps Deps, snap persistence.Snapshot) error {
	if deps.Snapshots == nil {
		return deps.Store.SaveSnapshot(ctx, snap)
	}
	saved := make(chan error, 1)
	if err := deps.Snapshots.Submit(snap, func(err error) { saved <- err }); err != nil {
		return deps.Store.SaveSnapshot(ctx, snap)
	}
	select {
	case err := <-saved:
		return err
	case <-ctx.Done():
		return fmt.Errorf("save final snapshot %s: %w", snap.SessionID, ctx.Err())
	}
}

// finalOutcome labels a final snapshot write.
func finalOutcome(err error) string {
	switch {
	case err == nil:
		return "saved"
	case errors.Is(err, persistence.ErrStaleEpoch):
		return "fenced"
	default:
		return "failed"
	}
}
