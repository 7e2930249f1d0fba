package scheduler_test

import (
	"encoding/json"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/player"
	"github.com/proofstell/proofstell/actors/protos"
	"github.com/proofstell/proofstell/actors/scheduler"
	"github.com/proofstell/proofstell/persistence"
)

var challengeSecret = []byte("a-challenge-secret-of-32-characters")

// published is one event a challenge job published.
type published struct {
	Topic, Type string
	Data        json.RawMessage
}

// eventLog is the fan-out stand-in of the challenge tests: it keeps every
// event as published.
type eventLog struct {
	mu  sync.Mutex
	got []published
}

func (l *eventLog) Publish(topic string, ev *protos.ClientEvent) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.got = append(l.got, published{Topic: topic, Type: ev.GetType(), Data: ev.GetData()})
}

// take returns and forgets the events of type typ published so far.
func (l *eventLog) take(typ string) []published {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out, rest []published
	for _, p := range l.got {
		if p.Type == typ {
			out = append(out, p)
		} else {
			rest = append(rest, p)
		}
	}
	l.got = rest
	return out
}

// chJob is a scheduler running the challenge jobs (and freezing, which the
// end job needs) with an event log as its publisher.
type chJob struct {
	*job
	events *eventLog
}

func (w *world) spawnChallenges(lease persistence.Lease, start time.Time) chJob {
	w.t.Helper()
	log := &eventLog{}
	j := w.spawnWith(lease, start, func(d *scheduler.Deps) {
		d.Publisher, d.Challenges, d.Modes, d.ChallengeSecret = log, w.store, w.store, challengeSecret
		d.Standings, d.Periods = w.store, w.store
	})
	return chJob{job: j, events: log}
}

// tickRuns moves the clock to at, ticks and waits until runs more challenge
// job runs have settled (the period closes of the tick are not waited for).
func (j chJob) tickRuns(at time.Time, runs int) {
	j.w.t.Helper()
	before := j.runs()
	j.clock.Set(at)
	j.w.system.Root.Send(j.pid, &scheduler.Tick{})
	require.Eventually(j.w.t, func() bool { return j.runs() >= before+float64(runs) }, wait, time.Millisecond)
}

func (j chJob) runs() float64 {
	var sum float64
	for _, job := range []string{"daily", "start", "end"} {
		for _, r := range []string{"ok", "error"} {
			sum += testutil.ToFloat64(j.metrics.ChallengeRuns.WithLabelValues(job, r))
		}
	}
	return sum
}

func (j chJob) outcome(job, outcome string) float64 {
	return testutil.ToFloat64(j.metrics.Challenges.WithLabelValues(job, outcome))
}

func challengeIDs(t *testing.T, w *world) []string {
	t.Helper()
	var ids []string
	withConn(t, w, func(conn *pgx.Conn) {
		rows, err := conn.Query(w.ctx, `SELECT id FROM challenges ORDER BY id`)
		require.NoError(t, err)
		ids, err = pgx.CollectRows(rows, pgx.RowTo[string])
		require.NoError(t, err)
	})
	return ids
}

func startedIDs(t *testing.T, events []published) []string {
	t.Helper()
	var ids []string
	for _, e := range events {
		require.Equal(t, player.EveryoneTopic, e.Topic)
		var p scheduler.ChallengeStarted
		require.NoError(t, json.Unmarshal(e.Data, &p))
		ids = append(ids, p.ChallengeID)
	}
	return ids
}

// TestScheduler_DailyChallengeOnceAcrossLeaders: the leader generates each
// UTC day's challenge once, a day rollover on the clock makes the next
// one, a takeover makes none again, and the fenced old leader writes
// nothing.
func TestScheduler_DailyChallengeOnceAcrossLeaders(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	leaseA := w.lead("node-a")
	a := w.spawnChallenges(leaseA, ts("2026-11-24T23:59:58Z"))

	a.tickRuns(ts("2026-11-24T23:59:58Z"), 3) // daily, start, end
	require.Equal(t, []string{"daily-2026-11-24"}, challengeIDs(t, w))
	require.Equal(t, 1.0, a.outcome("daily", "created"))
	a.tickRuns(ts("2026-11-24T23:59:59Z"), 2) // the daily is known: start and end only
	require.Empty(t, a.events.take(scheduler.TypeChallengeStarted), "a start recorded a day late is not news")
	require.Equal(t, 1.0, a.outcome("start", "started_late"))

	// Midnight: the next day's challenge, and the end of the last one.
	a.tickRuns(ts("2026-11-25T00:00:01Z"), 3)
	require.Equal(t, []string{"daily-2026-11-24", "daily-2026-11-25"}, challengeIDs(t, w))
	ended := a.events.take(scheduler.TypeChallengeEnded)
	require.Len(t, ended, 1)
	require.JSONEq(t, `{"challengeId":"daily-2026-11-24","mode":"`+modeOf(t, w, "daily-2026-11-24")+`","winners":[]}`,
		string(ended[0].Data))
	a.tickRuns(ts("2026-11-25T00:00:02Z"), 2)
	require.Equal(t, []string{"daily-2026-11-25"}, startedIDs(t, a.events.take(scheduler.TypeChallengeStarted)))

	// B takes over in the same day: nothing is generated or announced twice.
	leaseB := w.lead("node-b")
	b := w.spawnChallenges(leaseB, ts("2026-11-25T00:00:03Z"))
	b.tickRuns(ts("2026-11-25T00:00:03Z"), 3)
	require.Equal(t, 1.0, b.outcome("daily", "exists"))
	require.Empty(t, b.events.take(scheduler.TypeChallengeStarted))
	require.Empty(t, b.events.take(scheduler.TypeChallengeEnded))

	// A, still running with its old epoch, crosses the next midnight.
	a.clock.Set(ts("2026-11-26T00:00:01Z"))
	w.system.Root.Send(a.pid, &scheduler.Tick{})
	require.Eventually(t, func() bool { return !a.alive() }, wait, time.Millisecond, "a fenced scheduler stops")
	require.Equal(t, []string{"daily-2026-11-24", "daily-2026-11-25"}, challengeIDs(t, w), "the stale leader wrote nothing")
	require.Empty(t, a.events.take(scheduler.TypeChallengeEnded))

	b.tickRuns(ts("2026-11-26T00:00:02Z"), 3)
	require.Equal(t, []string{"daily-2026-11-24", "daily-2026-11-25", "daily-2026-11-26"}, challengeIDs(t, w))
	require.Len(t, b.events.take(scheduler.TypeChallengeEnded), 1, "B ends the 25th")
}

// TestScheduler_ChallengeStartAnnouncedOnce: a scheduled challenge is
// announced once to every online player at its start; a cancelled one, one
// whose start was missed until its end and one recorded more than
// AnnounceWindow late are not.
func TestScheduler_ChallengeStartAnnouncedOnce(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	insertChallenge(t, w, "spring-cup", ts("2026-11-24T18:00:00Z"), ts("2026-11-24T20:00:00Z"), 3)
	insertChallenge(t, w, "cancelled-cup", ts("2026-11-24T18:00:00Z"), ts("2026-11-24T20:00:00Z"), 3)
	insertChallenge(t, w, "missed-cup", ts("2026-11-20T18:00:00Z"), ts("2026-11-20T20:00:00Z"), 3)
	withConn(t, w, func(conn *pgx.Conn) {
		_, err := conn.Exec(w.ctx, `UPDATE challenges SET cancelled_at = now() WHERE id = 'cancelled-cup'`)
		require.NoError(t, err)
	})
	j := w.spawnChallenges(w.lead("node-a"), ts("2026-11-24T17:59:59Z"))
	j.tickRuns(ts("2026-11-24T17:59:59Z"), 3)
	j.tickRuns(ts("2026-11-24T17:59:59.5Z"), 2)
	require.Empty(t, j.events.take(scheduler.TypeChallengeStarted))
	require.Equal(t, 2.0, j.outcome("start", "started_late"),
		"the missed cup and the day's daily (started at midnight) are recorded, not announced")

	j.tickRuns(ts("2026-11-24T18:00:00Z"), 2)
	got := j.events.take(scheduler.TypeChallengeStarted)
	require.Len(t, got, 1)
	require.JSONEq(t, `{"challengeId":"spring-cup","title":"Cup spring-cup","mode":"classic",
		"startsAt":"2026-11-24T18:00:00Z","endsAt":"2026-11-24T20:00:00Z","maxAttempts":3}`, string(got[0].Data))
	j.tickRuns(ts("2026-11-24T18:00:01Z"), 2)
	require.Empty(t, j.events.take(scheduler.TypeChallengeStarted), "announced once")
	require.Equal(t, 1.0, j.outcome("start", "started"))

	// A start recorded more than AnnounceWindow late is not announced.
	insertChallenge(t, w, "late-cup", ts("2026-11-24T18:00:00Z"), ts("2026-11-24T20:00:00Z"), 3)
	j.tickRuns(ts("2026-11-24T18:00:00Z").Add(scheduler.AnnounceWindow+time.Second), 2)
	require.Empty(t, j.events.take(scheduler.TypeChallengeStarted))
	require.Equal(t, 3.0, j.outcome("start", "started_late"))
}

// TestScheduler_ChallengeEndFreezesTheBoardAndRecordsResults: at its end a
// challenge's board is frozen (root and standings), every player's final place is
// recorded with the winners (rank <= reward_top), one challenge.ended
// outbox row is queued and challenge:ended names the winners, once.
func TestScheduler_ChallengeEndFreezesTheBoardAndRecordsResults(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	insertChallenge(t, w, "winter-cup", ts("2026-11-24T10:00:00Z"), ts("2026-11-24T11:00:00Z"), 2)
	p1, p2, p3 := newPlayer(t, w), newPlayer(t, w), newPlayer(t, w)
	at := ts("2026-11-24T10:30:00Z")
	seedChallengeRecord(t, w, "winter-cup", p1, 40, at.Add(time.Minute)) // ties p2's score, later
	seedChallengeRecord(t, w, "winter-cup", p2, 40, at)
	seedChallengeRecord(t, w, "winter-cup", p3, 12, at)
	seedChallengeRecord(t, w, "other-cup", p3, 99, at) // another board
	// Ended while no scheduler ran: ended and rewarded, too late to announce.
	insertChallenge(t, w, "old-cup", ts("2026-11-24T08:00:00Z"), ts("2026-11-24T09:00:00Z"), 1)
	seedChallengeRecord(t, w, "old-cup", p3, 5, ts("2026-11-24T08:30:00Z"))

	// The first end fails after the freeze (no results table): the next
	// tick finds the board frozen and ends the challenge from the stored
	// standings.
	renameTable(t, w, "challenge_results", "challenge_results_away")
	j := w.spawnChallenges(w.lead("node-a"), ts("2026-11-24T11:00:00Z"))
	j.tickRuns(ts("2026-11-24T11:00:00Z"), 3)
	require.Equal(t, 2.0, j.outcome("end", "error"), "both ends failed")
	require.Empty(t, j.events.take(scheduler.TypeChallengeEnded))
	renameTable(t, w, "challenge_results_away", "challenge_results")
	j.tickRuns(ts("2026-11-24T11:00:01Z"), 2)
	ended := j.events.take(scheduler.TypeChallengeEnded)
	require.Len(t, ended, 1)
	require.Equal(t, player.EveryoneTopic, ended[0].Topic)
	var ev scheduler.ChallengeEnded
	require.NoError(t, json.Unmarshal(ended[0].Data, &ev))
	require.Equal(t, scheduler.ChallengeEnded{ChallengeID: "winter-cup", Mode: "classic", Winners: []scheduler.ChallengeWinner{
		{PlayerID: p2.ID, Username: p2.Username, Rank: 1, Score: 40},
		{PlayerID: p1.ID, Username: p1.Username, Rank: 2, Score: 40},
	}}, ev)

	type result struct {
		PlayerID string
		Rank     int
		Score    int64
		Won      bool
	}
	var results []result
	var outbox []string
	var leaves int
	withConn(t, w, func(conn *pgx.Conn) {
		rows, err := conn.Query(w.ctx, `SELECT player_id::text, rank, score, won FROM challenge_results WHERE challenge_id = 'winter-cup' ORDER BY rank`)
		require.NoError(t, err)
		results, err = pgx.CollectRows(rows, pgx.RowToStructByPos[result])
		require.NoError(t, err)
		rows, err = conn.Query(w.ctx, `SELECT key FROM outbox WHERE topic = $1 ORDER BY key`, persistence.TopicChallengeEnded)
		require.NoError(t, err)
		outbox, err = pgx.CollectRows(rows, pgx.RowTo[string])
		require.NoError(t, err)
		require.NoError(t, conn.QueryRow(w.ctx, `SELECT leaf_count FROM period_roots
			WHERE mode = 'classic' AND board = 'challenge' AND period = 'winter-cup'`).Scan(&leaves))
	})
	require.Equal(t, 3, leaves, "the challenge's board is frozen into a root for the chain writer")
	require.Equal(t, []result{{p2.ID, 1, 40, true}, {p1.ID, 2, 40, true}, {p3.ID, 3, 12, false}}, results)
	require.True(t, slices.Contains(outbox, "winter-cup"))
	require.True(t, slices.Contains(outbox, "old-cup"), "a late end still queues its rewards")
	require.Equal(t, 1.0, j.outcome("end", "ended_late"))

	// A later tick (or a takeover) ends nothing twice.
	j.tickRuns(ts("2026-11-24T11:00:02Z"), 2)
	require.Empty(t, j.events.take(scheduler.TypeChallengeEnded))
	require.Equal(t, 1.0, j.outcome("end", "ended"))
}

// TestScheduler_ChallengeJobsRetryAfterAFailure: a run that fails leaves its
// challenges due, and the next tick finishes them.
func TestScheduler_ChallengeJobsRetryAfterAFailure(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	insertChallenge(t, w, "retry-cup", ts("2026-11-24T10:00:00Z"), ts("2026-11-24T11:00:00Z"), 1)
	j := w.spawnChallenges(w.lead("node-a"), ts("2026-11-24T10:00:01Z"))
	withConn(t, w, func(conn *pgx.Conn) {
		_, err := conn.Exec(w.ctx, `ALTER TABLE challenges RENAME TO challenges_away`)
		require.NoError(t, err)
	})
	j.tickRuns(ts("2026-11-24T10:00:01Z"), 3)
	require.Equal(t, 1.0, j.outcome("start", "error"))
	require.Equal(t, 1.0, j.outcome("daily", "error"))
	require.Empty(t, j.events.take(scheduler.TypeChallengeStarted))
	withConn(t, w, func(conn *pgx.Conn) {
		_, err := conn.Exec(w.ctx, `ALTER TABLE challenges_away RENAME TO challenges`)
		require.NoError(t, err)
	})
	j.tickRuns(ts("2026-11-24T10:00:02Z"), 3)
	j.tickRuns(ts("2026-11-24T10:00:03Z"), 2)
	require.Equal(t, []string{"retry-cup"}, startedIDs(t, j.events.take(scheduler.TypeChallengeStarted)),
		"the daily started at midnight: recorded, too late to announce")
}

// insertChallenge adds a scheduled classic challenge as an admin would.
func insertChallenge(t *testing.T, w *world, id string, start, end time.Time, rewardTop int) {
	t.Helper()
	withConn(t, w, func(conn *pgx.Conn) {
		_, err := conn.Exec(w.ctx, `INSERT INTO challenges (id, kind, title, mode, rules, starts_at, ends_at,
			max_attempts, reward_top, created_at, updated_at)
			SELECT $1, 'scheduled', 'Cup ' || $1, 'classic', rules, $2, $3, 3, $4, $2, $2
			FROM game_mode_versions WHERE name = 'classic' ORDER BY version DESC LIMIT 1`, id, start, end, rewardTop)
		require.NoError(t, err)
	})
}

func newPlayer(t *testing.T, w *world) persistence.Player {
	t.Helper()
	p, _, err := w.store.GuestByDevice(w.ctx, "device-"+uuid.NewString())
	require.NoError(t, err)
	return p
}

func seedChallengeRecord(t *testing.T, w *world, id string, p persistence.Player, score int64, at time.Time) {
	t.Helper()
	withConn(t, w, func(conn *pgx.Conn) {
		_, err := conn.Exec(w.ctx, `INSERT INTO leaderboard_records
			(mode, board, period, player_id, username, score, achieved_at, session_id) VALUES ('classic', 'challenge', $1, $2, $3, $4, $5, $6)`,
			id, p.ID, p.Username, score, at, uuid.NewString())
		require.NoError(t, err)
	})
}

func modeOf(t *testing.T, w *world, id string) string {
	t.Helper()
	var mode string
	withConn(t, w, func(conn *pgx.Conn) {
		require.NoError(t, conn.QueryRow(w.ctx, `SELECT mode FROM challenges WHERE id = $1`, id).Scan(&mode))
	})
	return mode
}
