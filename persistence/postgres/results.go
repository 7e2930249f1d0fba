package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/proofstell/proofstell/persistence"
)

// finalizeSQL closes every session whose epoch still matches and that is not
// yet final, returning the input index of each row written and what its
// follow-up writes need of the session row.
const finalizeSQL = `UPDATE sessions s SET state = i.state, started_at = coalesce(i.started_at, s.started_at),
	ended_at = coalesce(i.ended_at, $10), flagged = i.flagged, snapshot = coalesce(i.snapshot, s.snapshot),
	snapshot_at = $10, end_reason = nullif(i.end_reason, '')
FROM unnest($1::int[], $2::uuid[], $3::bigint[], $4::text[], $5::timestamptz[], $6::timestamptz[],
	$7::bool[], $8::bytea[], $9::text[]) AS i(idx, id, epoch, state, started_at, ended_at, flagged, snapshot, end_reason)
WHERE s.id = i.id AND s.epoch = i.epoch AND s.state NOT IN ('finished', 'aborted')
RETURNING i.idx, s.created_at, s.ended_at, s.mode, s.kind`

// explainSQL reads the current state of the sessions the UPDATE skipped.
const explainSQL = `SELECT id::text, state, epoch FROM sessions WHERE id = ANY($1::uuid[])`

const insertSessionPlayersSQL = `INSERT INTO session_players (session_id, player_id, session_created_at, reached_at,
	score, hits, misses, best_combo, flags, voided, median_reaction_ms, flagged, reaction_samples, reaction_in_band)
SELECT u.session_id, u.player_id, u.created_at, u.reached_at, u.score, u.hits, u.misses, u.best_combo, u.flags,
	nullif(u.voided, ''), nullif(u.reaction_ms, 0), u.flagged, nullif(u.samples, -1), nullif(u.in_band, -1)
FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[], $4::timestamptz[], $5::bigint[], $6::int[],
	$7::int[], $8::int[], $9::int[], $10::text[], $11::int[], $12::bool[], $13::int[], $14::int[])
	AS u(session_id, player_id, created_at, reached_at, score, hits, misses, best_combo, flags, voided, reaction_ms, flagged,
		samples, in_band)
ON CONFLICT (session_id, player_id) DO NOTHING`

// insertFlagsSQL opens a review of each flagged result; queued only when
// the call holds one (flagged results are rare), so a clean commit sends
// no statement for it.
const insertFlagsSQL = `INSERT INTO flags (session_id, player_id, mode, challenge_id, score, evidence, standings, created_at)
SELECT u.session_id, u.player_id, u.mode, nullif(u.challenge_id, ''), u.score, u.evidence, u.standings, $8
FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::bigint[], $6::jsonb[], $7::jsonb[])
	AS u(session_id, player_id, mode, challenge_id, score, evidence, standings)
ON CONFLICT (session_id, player_id) DO NOTHING`

// upsertStandingsSQL stamps written_xid itself (an insert through the
// column default), so migration 016's trigger skips these rows.
const upsertStandingsSQL = `INSERT INTO leaderboard_records (mode, board, period, player_id, username, score, achieved_at, session_id)
SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::uuid[], $5::text[], $6::bigint[], $7::timestamptz[], $8::uuid[])
	AS u(mode, board, period, player_id, username, score, achieved_at, session_id)
ORDER BY mode, board, period, player_id
ON CONFLICT (mode, board, period, player_id) DO UPDATE SET
	username = excluded.username, score = excluded.score,
	achieved_at = excluded.achieved_at, session_id = excluded.session_id, written_xid = pg_current_xact_id()
WHERE excluded.score > leaderboard_records.score
   OR (excluded.score = leaderboard_records.score AND excluded.achieved_at < leaderboard_records.achieved_at)`

// recordAttemptsSQL sets the score of each committed challenge attempt
// (challenge_attempts.session_id is unique); only results that carry a
// ChallengeID queue it.
const recordAttemptsSQL = `UPDATE challenge_attempts a SET score = u.score, finished_at = u.finished_at
FROM unnest($1::uuid[], $2::bigint[], $3::timestamptz[]) AS u(session_id, score, finished_at)
WHERE a.session_id = u.session_id AND a.finished_at IS NULL`

const insertReplaysSQL = `INSERT INTO session_replays (session_id, replay, replay_hash, created_at)
SELECT u.session_id, u.replay, u.replay_hash, $4
FROM unnest($1::uuid[], $2::bytea[], $3::bytea[]) AS u(session_id, replay, replay_hash)
ON CONFLICT (session_id) DO NOTHING`

const insertOutboxSQL = `INSERT INTO outbox (topic, key, payload, created_at, available_at)
SELECT u.topic, u.key, u.payload, $4, $4 FROM unnest($1::text[], $2::text[], $3::bytea[]) AS u(topic, key, payload)
ON CONFLICT (topic, key) DO NOTHING`

// CommitResults implements persistence.ResultStore in three round trips
// inside one transaction: the bans of the call's players, a set-based
// guarded UPDATE of every session row, then one pipelined batch of
// set-based inserts for what the committed results write, including the
// badge facts (results_facts.go) and, only when a result is flagged, the
// review it opens (insertFlagsSQL, in the same batch: no extra round trip). A fourth runs only when a game reaches
// back before a player's last stored game day (recomputeStreaksSQL); two more
// only when the call holds rated matches (rateMatches). A malformed
// session id yields Missing; a malformed player id or a non-final state
// fails the call (nothing is written) so the caller sees the bug.
func (s *Store) CommitResults(ctx context.Context, results []persistence.GameResult) ([]persistence.CommitOutcome, error) {
	defer observe("commit_results", time.Now())
	if len(results) == 0 {
		return nil, nil
	}
	if _, _, err := planFinals(results); err != nil {
		return nil, fmt.Errorf("commit results: %w", err)
	}
	now := s.stamp()
	var outcomes []persistence.CommitOutcome
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		outcomes, err = commitInTx(ctx, tx, results, now)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("commit results: %w", err)
	}
	commitBatchSize.Observe(float64(len(results)))
	countOutcomes(outcomes)
	return outcomes, nil
}

// commitInTx voids what bans and aborts take away, then writes the rest.
func commitInTx(ctx context.Context, tx pgx.Tx, results []persistence.GameResult, now time.Time) ([]persistence.CommitOutcome, error) {
	banned, err := bannedPlayers(ctx, tx, results)
	if err != nil {
		return nil, err
	}
	stored, voided := voidResults(results, banned)
	finals, firstOf, err := planFinals(stored)
	if err != nil {
		return nil, err
	}
	verdicts, err := finalize(ctx, tx, finals, stored, now)
	if err != nil {
		return nil, err
	}
	outcomes := resolveOutcomes(verdicts, firstOf)
	committed, sessions := committedOf(outcomes, firstOf, verdicts)
	for i := range outcomes {
		if committed[i] && voided[i] {
			outcomes[i] = persistence.CommittedVoided
		}
	}
	if err := writeFollowUps(ctx, tx, planWrites(stored, committed, sessions), now); err != nil {
		return nil, err
	}
	return outcomes, rateMatches(ctx, tx, planRatedMatches(stored, committed, sessions), now)
}

// verdict is what the guarded UPDATE decided for one result.
type verdict struct {
	outcome persistence.CommitOutcome
	session committedSession // known for written results
}

// finalize runs the guarded UPDATE; only when it skipped rows does a second
// query explain them, so the common all-committed batch is one statement.
func finalize(ctx context.Context, tx pgx.Tx, f sessionFinals, results []persistence.GameResult, now time.Time) ([]verdict, error) {
	verdicts := make([]verdict, len(results))
	if len(f.idx) == 0 {
		return verdicts, nil
	}
	rows, err := tx.Query(ctx, finalizeSQL, f.idx, f.ids, f.epochs, f.states, f.started, f.ended, f.flagged, f.snapshot,
		f.reasons, now)
	if err != nil {
		return nil, mapErr("finalize sessions", err)
	}
	var idx int32
	var cs committedSession
	written := 0
	_, err = pgx.ForEachRow(rows, []any{&idx, &cs.createdAt, &cs.endedAt, &cs.mode, &cs.kind}, func() error {
		verdicts[idx] = verdict{outcome: persistence.Committed, session: cs}
		written++
		return nil
	})
	if err != nil {
		return nil, mapErr("finalize sessions", err)
	}
	if written == len(f.idx) {
		return verdicts, nil
	}
	return verdicts, explainUnwritten(ctx, tx, f, verdicts)
}

func explainUnwritten(ctx context.Context, tx pgx.Tx, f sessionFinals, verdicts []verdict) error {
	var ids []string
	for i, idx := range f.idx {
		if verdicts[idx].outcome != persistence.Committed {
			ids = append(ids, f.ids[i])
		}
	}
	rows, err := tx.Query(ctx, explainSQL, ids)
	if err != nil {
		return mapErr("explain skipped sessions", err)
	}
	stored := make(map[string]storedSession, len(ids))
	var cur storedSession
	var id string
	if _, err := pgx.ForEachRow(rows, []any{&id, &cur.state, &cur.epoch}, func() error {
		stored[id] = cur
		return nil
	}); err != nil {
		return mapErr("explain skipped sessions", err)
	}
	for i, idx := range f.idx {
		if verdicts[idx].outcome != persistence.Committed {
			cur, ok := stored[f.ids[i]]
			verdicts[idx].outcome = classify(ok, cur, f.epochs[i])
		}
	}
	return nil
}

// storedSession is what explains a skipped finalize.
type storedSession struct {
	state string
	epoch int64
}

// classify explains a skipped write from the session's current row. Only
// the activation that owns the current epoch may hear AlreadyCommitted (its
// own earlier commit, retried); any other epoch lost ownership, even when
// the session is finished (a newer activation finished it), so a stale
// activation never announces a result that was not stored. StaleEpoch never
// claims a write happened.
func classify(exists bool, cur storedSession, epoch int64) persistence.CommitOutcome {
	switch {
	case !exists:
		return persistence.Missing
	case cur.epoch != epoch:
		return persistence.StaleEpoch
	case cur.state == string(persistence.StateFinished) || cur.state == string(persistence.StateAborted):
		return persistence.AlreadyCommitted
	default:
		return persistence.StaleEpoch
	}
}

// resolveOutcomes assigns every result its outcome: repeats of a session
// within the call follow the first (a committed first makes them
// AlreadyCommitted), malformed ids are Missing.
func resolveOutcomes(verdicts []verdict, firstOf []int) []persistence.CommitOutcome {
	out := make([]persistence.CommitOutcome, len(firstOf))
	for i, first := range firstOf {
		switch {
		case first < 0:
			out[i] = persistence.Missing
		case first == i:
			out[i] = verdicts[i].outcome
		case verdicts[first].outcome == persistence.Committed:
			out[i] = persistence.AlreadyCommitted
		default:
			out[i] = verdicts[first].outcome
		}
	}
	return out
}

func committedOf(outcomes []persistence.CommitOutcome, firstOf []int, verdicts []verdict) ([]bool, []committedSession) {
	committed := make([]bool, len(outcomes))
	sessions := make([]committedSession, len(outcomes))
	for i, o := range outcomes {
		committed[i] = o == persistence.Committed && firstOf[i] == i
		sessions[i] = verdicts[i].session
	}
	return committed, sessions
}

// writeFollowUps sends the non-empty inserts as one pipelined batch, in
// order: the stats upsert reads the session_players rows inserted before it
// only for players whose streak it must recompute (upsertStatsSQL).
func writeFollowUps(ctx context.Context, tx pgx.Tx, w resultWrites, now time.Time) error {
	b := &pgx.Batch{}
	if p := w.players; len(p.sessionIDs) > 0 {
		b.Queue(insertSessionPlayersSQL, p.sessionIDs, p.playerIDs, p.createdAt, p.reachedAt, p.scores,
			p.hits, p.misses, p.bestCombos, p.flagCount, p.voided, p.reactionMs, p.flagged, p.spreadSamples, p.spreadInBand)
	}
	if f := w.flags; len(f.sessionIDs) > 0 {
		b.Queue(insertFlagsSQL, f.sessionIDs, f.playerIDs, f.modes, f.challengeIDs, f.scores, f.evidence, f.standings, now)
	}
	var reachedBack []string
	if st := w.stats; len(st.playerIDs) > 0 {
		b.Queue(upsertStatsSQL, st.playerIDs, st.games, st.best, st.totals, st.badgeTotals, st.badgeBests, st.perfect,
			st.combos, st.won, dates(st.firstDays), st.headRuns, dates(st.lastDays), st.tailRuns, st.longest).
			Query(func(rows pgx.Rows) error {
				var err error
				reachedBack, err = pgx.CollectRows(rows, pgx.RowTo[string])
				return err
			})
	}
	if m := w.modeBests; len(m.playerIDs) > 0 {
		b.Queue(upsertModeBestsSQL, m.playerIDs, m.modes, m.bests)
	}
	if sr := w.standings; len(sr.boards) > 0 {
		b.Queue(upsertStandingsSQL, sr.modes, sr.boards, sr.periods, sr.playerIDs, sr.usernames, sr.scores, sr.achievedAt, sr.sessionIDs)
	}
	if at := w.attempts; len(at.sessionIDs) > 0 {
		b.Queue(recordAttemptsSQL, at.sessionIDs, at.scores, at.finishedAt)
	}
	if rp := w.replays; len(rp.sessionIDs) > 0 {
		b.Queue(insertReplaysSQL, rp.sessionIDs, rp.replays, rp.hashes, now)
	}
	if o := w.outbox; len(o.topics) > 0 {
		b.Queue(insertOutboxSQL, o.topics, o.keys, o.payloads, now)
	}
	if b.Len() == 0 {
		return nil
	}
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return mapErr("write results", err)
	}
	if len(reachedBack) == 0 {
		return nil
	}
	if _, err := tx.Exec(ctx, recomputeStreaksSQL, reachedBack); err != nil {
		return mapErr("recompute streaks", err)
	}
	return nil
}
