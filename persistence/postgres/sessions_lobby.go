package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/proofstell/proofstell/persistence"
)

// joinSessionSQL adds a player to a waiting session owned by the epoch, with
// room left, unless the player is banned; a member joining again matches
// without changing anything. The join that fills a match writes its
// persistence.TopicMatchFormed outbox row (born processed: only cursor
// readers read it), once per session.
const joinSessionSQL = `WITH joined AS (
	UPDATE sessions s SET player_ids = CASE WHEN $3::uuid = ANY(s.player_ids)
		THEN s.player_ids ELSE array_append(s.player_ids, $3::uuid) END
	WHERE s.id = $1 AND s.epoch = $2 AND s.state = 'waiting'
		AND ($3::uuid = ANY(s.player_ids) OR cardinality(s.player_ids) < s.max_players)
		AND NOT EXISTS (SELECT 1 FROM players p WHERE p.id = $3::uuid AND p.banned_at IS NOT NULL)
	RETURNING s.id, s.mode, s.player_ids, s.max_players
), formed AS (
	INSERT INTO outbox (topic, key, payload, created_at, available_at, processed_at)
	SELECT $5, j.id::text, convert_to(json_build_object('sessionId', j.id::text, 'mode', j.mode,
		'playerIds', j.player_ids::text[], 'at', $4::timestamptz)::text, 'UTF8'), $4, $4, $4
	FROM joined j WHERE $5::text <> '' AND j.max_players > 1 AND cardinality(j.player_ids) = j.max_players
	ON CONFLICT (topic, key) DO NOTHING
)
SELECT count(*) FROM joined`

// JoinSession implements persistence.SessionStore. Only when the guarded
// UPDATE matches nothing do further reads explain why.
func (s *Store) JoinSession(ctx context.Context, j persistence.SessionJoin) error {
	defer observe("join_session", time.Now())
	op := fmt.Sprintf("join session %s as %s", j.SessionID, j.PlayerID)
	if !validID(j.SessionID) || !validID(j.PlayerID) {
		return fmt.Errorf("%s: %w", op, persistence.ErrNotFound)
	}
	var joined int
	formedTopic := persistence.TopicMatchFormed
	if s.skipGameFacts {
		formedTopic = "" // no match.formed row (WriteGameFacts)
	}
	err := s.pool.QueryRow(ctx, joinSessionSQL, j.SessionID, j.Epoch, j.PlayerID, s.stamp(), formedTopic).Scan(&joined)
	if err != nil {
		return mapErr(op, err)
	}
	if joined == 1 {
		return nil
	}
	var banned bool
	err = s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM players WHERE id = $1 AND banned_at IS NOT NULL)`,
		j.PlayerID).Scan(&banned)
	switch {
	case err != nil:
		return mapErr(op, err)
	case banned:
		return fmt.Errorf("%s: %w", op, persistence.ErrPlayerBanned)
	default:
		return s.whyNotWritten(ctx, op, j.SessionID, j.Epoch)
	}
}

// expireLobbiesSQL closes the lobbies left waiting since before $1 and
// records their players as voided, like an abort committed by the session
// itself, so history shows them the same way. The epoch moves on: an
// activation still holding one of them is fenced.
const expireLobbiesSQL = `WITH closed AS (
	UPDATE sessions SET state = 'aborted', end_reason = $3, ended_at = $2, snapshot_at = $2, epoch = epoch + 1
	WHERE state = 'waiting' AND created_at < $1
	RETURNING id, created_at, player_ids),
voided AS (
	INSERT INTO session_players (session_id, player_id, session_created_at, reached_at, score, voided)
	SELECT c.id, u.player_id, c.created_at, $2, 0, $3 FROM closed c, unnest(c.player_ids) AS u(player_id)
	ON CONFLICT (session_id, player_id) DO NOTHING)
SELECT count(*) FROM closed`

// ExpireLobbies implements persistence.SessionStore.
func (s *Store) ExpireLobbies(ctx context.Context, createdBefore, now time.Time) (int, error) {
	defer observe("expire_lobbies", time.Now())
	var n int
	err := s.pool.QueryRow(ctx, expireLobbiesSQL, createdBefore, now, persistence.AbortLobbyExpired).Scan(&n)
	if err != nil {
		return 0, mapErr("expire lobbies", err)
	}
	return n, nil
}
