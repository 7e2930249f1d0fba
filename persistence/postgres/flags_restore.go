package postgres

import (
	"context"
	"encoding/json"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/proofstell/proofstell/persistence"
)

// A cleared flag restores its result as if it had counted from the start,
// where that can still be true: the board periods still open at the clear
// get the held standings, closed or frozen ones stay as they were (their
// standings and roots are final, docs/ARCHITECTURE.md); the profile score
// counts it; a challenge attempt is scored while its challenge runs; and a
// game.finished row for the player alone brings badges and referral
// progress. Ratings are not moved again: the match was rated among the
// honest players when it was committed.

// heldFlag is what a clear restores, read by decideFlagSQL.
type heldFlag struct {
	sessionID, playerID, mode, challengeID string
	standings                              []byte
}

// unflagPlayerSQL restores the player's flagged bit and returns the stored
// result the restore needs.
const unflagPlayerSQL = `UPDATE session_players SET flagged = false
WHERE session_id = $1 AND player_id = $2
RETURNING score, hits, misses, best_combo`

// unflagSessionSQL keeps sessions.flagged "the game holds a flagged
// result" and returns when it ended.
const unflagSessionSQL = `UPDATE sessions s SET flagged = EXISTS (
	SELECT 1 FROM session_players sp WHERE sp.session_id = s.id AND sp.flagged)
WHERE s.id = $1 RETURNING s.ended_at`

// restoreProfileSQL adds the result to the profile aggregates a flagged
// result left out (the badge facts counted it already, results_facts.go).
const restoreProfileSQL = `UPDATE player_stats SET best_score = greatest(best_score, $2), total_score = total_score + $2
WHERE player_id = $1`

// restoreStandingsSQL offers the held candidates to the periods still open
// at $4: not closed or frozen by the scheduler, and the current period of
// a periodic board (UTC, as actors/leaderboard/standings names them) or
// the board of a challenge that has not ended. The upsert keeps the best,
// as the commit's does (upsertStandingsSQL). A player banned since gets
// none, as a commit would void a banned player's part.
const restoreStandingsSQL = `INSERT INTO leaderboard_records (mode, board, period, player_id, username, score, achieved_at, session_id)
SELECT h.mode, h.board, h.period, p.id, p.username, h.score, h."achievedAt", $1
FROM jsonb_to_recordset($3::jsonb) AS h(mode text, board text, period text, score bigint, "achievedAt" timestamptz)
JOIN players p ON p.id = $2 AND p.banned_at IS NULL
WHERE h.score > 0
  AND NOT EXISTS (SELECT 1 FROM leaderboard_period_closes c WHERE c.mode = h.mode AND c.board = h.board AND c.period = h.period)
  AND NOT EXISTS (SELECT 1 FROM period_roots r WHERE r.mode = h.mode AND r.board = h.board AND r.period = h.period)
  AND CASE h.board
	WHEN 'global' THEN h.period = 'all'
	WHEN 'daily' THEN h.period = to_char($4::timestamptz AT TIME ZONE 'UTC', 'YYYY-MM-DD')
	WHEN 'weekly' THEN h.period = to_char($4::timestamptz AT TIME ZONE 'UTC', 'IYYY-"W"IW')
	WHEN 'monthly' THEN h.period = to_char($4::timestamptz AT TIME ZONE 'UTC', 'YYYY-MM')
	WHEN 'challenge' THEN EXISTS (SELECT 1 FROM challenges ch WHERE ch.id = h.period
		AND ch.ended_at IS NULL AND ch.cancelled_at IS NULL AND ch.ends_at > $4)
	ELSE false END
ORDER BY h.mode, h.board, h.period
ON CONFLICT (mode, board, period, player_id) DO UPDATE SET
	username = excluded.username, score = excluded.score,
	achieved_at = excluded.achieved_at, session_id = excluded.session_id, written_xid = pg_current_xact_id()
WHERE excluded.score > leaderboard_records.score
   OR (excluded.score = leaderboard_records.score AND excluded.achieved_at < leaderboard_records.achieved_at)`

// restoreAttemptSQL scores the cleared challenge attempt while its
// challenge runs.
const restoreAttemptSQL = `UPDATE challenge_attempts a SET score = $2, finished_at = $3
FROM challenges ch
WHERE a.session_id = $1 AND a.finished_at IS NULL AND ch.id = a.challenge_id
  AND ch.ended_at IS NULL AND ch.cancelled_at IS NULL AND ch.ends_at > $4`

const insertClearedOutboxSQL = `INSERT INTO outbox (topic, key, payload, created_at, available_at)
VALUES ($4, $1, $2, $3, $3) ON CONFLICT (topic, key) DO NOTHING`

// storedResult is the player's stored line of the game.
type storedResult struct {
	score                   int64
	hits, misses, bestCombo int
	endedAt                 time.Time
}

// restoreResult restores a cleared flag's result (see the top of the file).
func restoreResult(ctx context.Context, tx pgx.Tx, flagID string, h heldFlag, now time.Time) error {
	var r storedResult
	if err := tx.QueryRow(ctx, unflagPlayerSQL, h.sessionID, h.playerID).Scan(&r.score, &r.hits, &r.misses, &r.bestCombo); err != nil {
		return mapErr("unflag result", err)
	}
	if err := tx.QueryRow(ctx, unflagSessionSQL, h.sessionID).Scan(&r.endedAt); err != nil {
		return mapErr("unflag session", err)
	}
	b := &pgx.Batch{}
	b.Queue(restoreProfileSQL, h.playerID, max(r.score, 0))
	b.Queue(restoreStandingsSQL, h.sessionID, h.playerID, h.standings, now)
	if h.challengeID != "" {
		b.Queue(restoreAttemptSQL, h.sessionID, r.score, r.endedAt, now)
	}
	b.Queue(insertClearedOutboxSQL, h.sessionID+"/cleared/"+h.playerID, clearedPayload(flagID, h, r, now), now,
		persistence.TopicGameFinished)
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return mapErr("restore result", err)
	}
	return nil
}

// clearedPayload is a persistence.GameFinishedEvent listing the cleared
// player alone, so the badge worker and its
// followers handle that result once. endedAt is the clear: when the result
// started to count (the original end is the session's).
func clearedPayload(flagID string, h heldFlag, r storedResult, now time.Time) []byte {
	b, _ := json.Marshal(persistence.GameFinishedEvent{SessionID: h.sessionID, Mode: h.mode, State: "finished",
		EndedAt: now, ClearedFlag: flagID, Players: []persistence.GameFinishedPlayer{{PlayerID: h.playerID,
			Score: r.score, Hits: r.hits, Misses: r.misses, BestCombo: r.bestCombo}}}) // plain fields always marshal
	return b
}
