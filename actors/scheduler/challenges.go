package scheduler

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/proofstell/proofstell/actors/events"
	"github.com/proofstell/proofstell/actors/player"
	"github.com/proofstell/proofstell/actors/protos"
	"github.com/proofstell/proofstell/actors/scheduler/daily"
	"github.com/proofstell/proofstell/persistence"
)

// Client events the challenge jobs publish to every online player.
const (
	TypeChallengeStarted = events.TypeChallengeStarted
	TypeChallengeEnded   = events.TypeChallengeEnded
)

// ChallengeStarted is the payload of a challenge:started event.
type ChallengeStarted struct {
	ChallengeID string    `json:"challengeId"`
	Title       string    `json:"title"`
	Mode        string    `json:"mode"`
	StartsAt    time.Time `json:"startsAt"`
	EndsAt      time.Time `json:"endsAt"`
	MaxAttempts int       `json:"maxAttempts"`
}

// ChallengeEnded is the payload of a challenge:ended event.
type ChallengeEnded struct {
	ChallengeID string `json:"challengeId"`
	Mode        string `json:"mode"`
	// Winners are the final standings ranked within the challenge's reward
	// places, best first (empty when nobody played).
	Winners []ChallengeWinner `json:"winners"`
}

// ChallengeWinner is one winner of an ended challenge.
type ChallengeWinner struct {
	PlayerID string `json:"playerId"`
	Username string `json:"username,omitempty"`
	Rank     int    `json:"rank"`
	Score    int64  `json:"score"`
}

// The challenge jobs, the values of the challenge metric's "job" label.
const (
	jobDaily = "daily"
	jobStart = "start"
	jobEnd   = "end"
)

// Challenge job outcomes, the values of the metric's "outcome" label
// (besides outcomeStale and outcomeError).
const (
	outcomeCreated        = "created"
	outcomeExists         = "exists"
	outcomeStarted        = "started"
	outcomeStartedLate    = "started_late" // recorded after its end or long after its start: not announced
	outcomeAlreadyStarted = "already_started"
	outcomeEnded          = "ended"
	outcomeEndedLate      = "ended_late" // recorded long after its end: not announced
	outcomeAlreadyEnded   = "already_ended"
)

// AnnounceWindow is how late a start or end may be recorded and still be
// announced. Live events are news: a node starting mid-day records the
// day's start (00:00) without telling the sockets that connect to it
// meanwhile, and a leader back after an outage does not replay the
// challenges that came and went; the REST listing has them.
const AnnounceWindow = 5 * time.Minute

func newChallengeMetric() *prometheus.CounterVec {
	return prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "proofstell_scheduler_challenge_jobs_total",
		Help: "Challenge job steps settled by the scheduler singleton, by job (daily, start, end) and outcome.",
	}, []string{"job", "outcome"})
}

func newChallengeRunsMetric() *prometheus.CounterVec {
	return prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "proofstell_scheduler_challenge_job_runs_total",
		Help: "Runs of each challenge job (daily, start, end) settled by the scheduler singleton, by job and result (ok, error).",
	}, []string{"job", "result"})
}

// challengeJobs is the actor's view of its challenge jobs: at most one run
// of each job is in flight, and the daily is generated once per day of a
// leadership (the store makes it once cluster-wide).
type challengeJobs struct {
	// daily is the id of the daily challenge this leadership has ensured.
	daily string
	busy  map[string]bool
}

// challengeRun is the verdict of one run of a job, mailed back by its
// goroutine: the outcome of each step, the events to publish, and the
// first error (a stale epoch fences the scheduler).
type challengeRun struct {
	job      string
	daily    string
	outcomes []string
	announce []*protos.ClientEvent
	err      error
}

// runChallengeJobs starts, off the mailbox, each challenge job not already
// running: today's daily unless this leadership made sure of it, the
// starts and the ends that are due.
func (a *Actor) runChallengeJobs(ctx actor.Context, now time.Time) {
	d, lease := a.deps, a.lease
	if d.Challenges == nil {
		return
	}
	if a.challenges.busy == nil {
		a.challenges.busy = map[string]bool{}
	}
	if d.Modes != nil && a.challenges.daily != persistence.DailyChallengeID(now) {
		a.spawnJob(ctx, jobDaily, func(io context.Context) challengeRun { return ensureDaily(io, d, lease, now) })
	}
	a.spawnJob(ctx, jobStart, func(io context.Context) challengeRun { return startDue(io, d, lease, now) })
	if d.freezing() {
		a.spawnJob(ctx, jobEnd, func(io context.Context) challengeRun { return endDue(io, d, lease, now) })
	}
}

// spawnJob runs job in a goroutine under a timeout from the node's base
// context (the end job's freezes get the freeze timeout) and mails its
// verdict back.
func (a *Actor) spawnJob(ctx actor.Context, job string, run func(context.Context) challengeRun) {
	if a.challenges.busy[job] {
		return
	}
	a.challenges.busy[job] = true
	self, root, base, timeout := ctx.Self(), ctx.ActorSystem().Root, a.deps.Base, a.deps.IOTimeout
	if job == jobEnd {
		timeout = a.deps.FreezeTimeout
	}
	go func() {
		io, cancel := context.WithTimeout(base, timeout)
		defer cancel()
		m := run(io)
		m.job = job
		root.Send(self, &m)
	}()
}

// onChallengeRun counts and publishes a run's verdict. A failed run is
// simply run again at the next tick: every step is idempotent.
func (a *Actor) onChallengeRun(ctx actor.Context, m *challengeRun) {
	a.challenges.busy[m.job] = false
	for _, o := range m.outcomes {
		a.deps.Metrics.Challenges.WithLabelValues(m.job, o).Inc()
	}
	for _, ev := range m.announce {
		a.deps.Publisher.Publish(player.EveryoneTopic, ev)
	}
	switch {
	case errors.Is(m.err, persistence.ErrStaleEpoch):
		a.fenced(ctx)
	case m.err != nil:
		a.deps.Logger.Warn("challenge job", slog.String("job", m.job), slog.Int64("epoch", a.lease.Epoch),
			slog.Any("error", m.err))
	case m.daily != "":
		a.challenges.daily = m.daily
	}
	// Counted last: tests that wait for a run to settle then see its events.
	result := "ok"
	if m.err != nil {
		result = outcomeError
	}
	a.deps.Metrics.ChallengeRuns.WithLabelValues(m.job, result).Inc()
}

// ensureDaily generates today's daily challenge and stores it unless it
// exists.
func ensureDaily(ctx context.Context, d Deps, lease persistence.Lease, now time.Time) challengeRun {
	modes, err := d.Modes.AllModes(ctx) // Generate keeps the active ranked ones
	if err != nil {
		return failed(fmt.Errorf("daily challenge: list modes: %w", err))
	}
	c, err := daily.Generate(now, d.ChallengeSecret, modes)
	if err != nil {
		return failed(err)
	}
	created, err := d.Challenges.CreateDaily(ctx, c, lease.Holder, lease.Epoch)
	if err != nil {
		return failed(err)
	}
	outcome := outcomeExists
	if created {
		outcome = outcomeCreated
	}
	return challengeRun{daily: c.ID, outcomes: []string{outcome}}
}

// startDue records the start of every challenge due to start and announces
// those this call recorded, unless they are already over.
func startDue(ctx context.Context, d Deps, lease persistence.Lease, now time.Time) challengeRun {
	due, err := d.Challenges.DueToStart(ctx, now)
	if err != nil {
		return failed(err)
	}
	var run challengeRun
	for _, c := range due {
		first, err := d.Challenges.MarkStarted(ctx, c.ID, lease.Holder, lease.Epoch, now)
		switch {
		case err != nil:
			run.fail(err)
			if errors.Is(err, persistence.ErrStaleEpoch) {
				return run
			}
		case !first:
			run.outcomes = append(run.outcomes, outcomeAlreadyStarted)
		case !now.Before(c.EndsAt) || now.Sub(c.StartsAt) > AnnounceWindow:
			run.outcomes = append(run.outcomes, outcomeStartedLate)
		default:
			run.outcomes = append(run.outcomes, outcomeStarted)
			run.announce = append(run.announce, &protos.ClientEvent{Type: TypeChallengeStarted, Data: events.Encode(
				ChallengeStarted{ChallengeID: c.ID, Title: c.Title, Mode: c.Mode, StartsAt: c.StartsAt,
					EndsAt: c.EndsAt, MaxAttempts: c.MaxAttempts})})
		}
	}
	return run
}

// failed is the verdict of a run that failed before its first step.
func failed(err error) challengeRun {
	return challengeRun{outcomes: []string{outcomeOf(err)}, err: err}
}

// fail records a failed step; the run's error is its first failure.
func (r *challengeRun) fail(err error) {
	r.outcomes = append(r.outcomes, outcomeOf(err))
	if r.err == nil {
		r.err = err
	}
}

func outcomeOf(err error) string {
	if errors.Is(err, persistence.ErrStaleEpoch) {
		return outcomeStale
	}
	return outcomeError
}
