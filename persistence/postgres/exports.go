package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/proofstell/proofstell/persistence"
)

// exportPlayersSQL reads players created in [$1, $2) through
// players_created_idx, in its order. No hash or token column is read.
const exportPlayersSQL = `SELECT p.id::text, p.username, p.display_name, p.role, p.created_at, p.banned_at,
	coalesce(c.email, ''), c.email_verified_at IS NOT NULL,
	(SELECT count(*) FROM player_wallets w WHERE w.player_id = p.id),
	coalesce(ps.games_played, 0), coalesce(ps.best_score, 0)
FROM players p
LEFT JOIN account_credentials c ON c.player_id = p.id
LEFT JOIN player_stats ps ON ps.player_id = p.id
WHERE p.created_at >= $1 AND p.created_at < $2
ORDER BY p.created_at, p.id`

// exportResultsSQL reads the results of games finished in [$1, $2)
// through sessions_finished_ended_idx.
const exportResultsSQL = `SELECT s.id::text, s.mode, s.kind, coalesce(s.challenge_id, ''),
	coalesce(s.started_at, s.created_at), s.ended_at, sp.player_id::text, coalesce(p.username, ''),
	sp.score, sp.hits, sp.misses, sp.best_combo, sp.flags, coalesce(f.status, ''), coalesce(sp.voided, '')
FROM sessions s
JOIN session_players sp ON sp.session_id = s.id
LEFT JOIN players p ON p.id = sp.player_id
LEFT JOIN flags f ON f.session_id = sp.session_id AND f.player_id = sp.player_id
WHERE s.state = 'finished' AND s.ended_at >= $1 AND s.ended_at < $2
ORDER BY s.ended_at, s.id, sp.player_id`

// ExportPlayers implements persistence.StatsStore.
func (s *Store) ExportPlayers(ctx context.Context, r persistence.ExportRange, each func(persistence.ExportedPlayer) error) error {
	defer observe("export_players", time.Now())
	return s.stream(ctx, "export players", exportPlayersSQL, r, func(row pgx.Rows) error {
		var (
			p      persistence.ExportedPlayer
			role   string
			banned *time.Time
		)
		if err := row.Scan(&p.ID, &p.Username, &p.DisplayName, &role, &p.CreatedAt, &banned,
			&p.Email, &p.EmailVerified, &p.Wallets, &p.GamesPlayed, &p.BestScore); err != nil {
			return err
		}
		p.Role = persistence.Role(role)
		if banned != nil {
			p.BannedAt = *banned
		}
		if err := each(p); err != nil {
			return eachError{err}
		}
		return nil
	})
}

// ExportResults implements persistence.StatsStore.
func (s *Store) ExportResults(ctx context.Context, r persistence.ExportRange, each func(persistence.ExportedResult) error) error {
	defer observe("export_results", time.Now())
	return s.stream(ctx, "export results", exportResultsSQL, r, func(row pgx.Rows) error {
		var (
			x          persistence.ExportedResult
			kind, flag string
		)
		if err := row.Scan(&x.SessionID, &x.Mode, &kind, &x.ChallengeID, &x.StartedAt, &x.EndedAt, &x.PlayerID,
			&x.Username, &x.Score, &x.Hits, &x.Misses, &x.BestCombo, &x.Flags, &flag, &x.Voided); err != nil {
			return err
		}
		x.Kind, x.FlagStatus = persistence.SessionKind(kind), persistence.FlagStatus(flag)
		if err := each(x); err != nil {
			return eachError{err}
		}
		return nil
	})
}

// stream runs query over r and hands each row to scan as pgx reads it
// off the connection, so memory stays one row whatever the range.
func (s *Store) stream(ctx context.Context, op, query string, r persistence.ExportRange, scan func(pgx.Rows) error) error {
	rows, err := s.pool.Query(ctx, query, r.From, r.To)
	if err != nil {
		return mapErr(op, err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			if e, ok := errors.AsType[eachError](err); ok {
				return fmt.Errorf("%s: %w", op, e.err)
			}
			return mapErr(op, err)
		}
	}
	if err := rows.Err(); err != nil {
		return mapErr(op, err)
	}
	return nil
}

// eachError carries the caller's error out of stream unmapped: a client's
// broken connection must not read as the database being down.
type eachError struct{ err error }

func (e eachError) Error() string { return e.err.Error() }
func (e eachError) Unwrap() error { return e.err }
