package postgres

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/proofstell/proofstell/persistence"
)

var _ persistence.ChallengeStore = (*Store)(nil)

// challengeSelect reads challenges with their rules decoded from the same
// JSON shape as game_mode_versions.rules, through the same
// jsonb_populate_record as ModeAt (modeAtSQL), into modeColumns.
const challengeSelect = `SELECT c.id, c.kind, c.title, c.description, c.mode, c.overrides, c.starts_at, c.ends_at,
	c.max_attempts, coalesce(c.reward_badge::text, ''), c.reward_top, coalesce(c.created_by::text, ''), c.created_at,
	c.updated_at, c.cancelled_at, c.started_at, c.ended_at, r.*
FROM challenges c CROSS JOIN LATERAL (SELECT ` + modeColumns + `
	FROM jsonb_populate_record(NULL::game_modes, c.rules)) r`

const insertChallengeSQL = `INSERT INTO challenges (id, kind, title, description, mode, rules, overrides, starts_at,
	ends_at, max_attempts, reward_badge, reward_top, created_by, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, nullif($11, '')::uuid, $12, nullif($13, '')::uuid, $14, $14)
ON CONFLICT (id) DO NOTHING`

const updateChallengeSQL = `UPDATE challenges SET title = $2, description = $3, mode = $4, rules = $5, overrides = $6,
	starts_at = $7, ends_at = $8, max_attempts = $9, reward_badge = nullif($10, '')::uuid, reward_top = $11,
	updated_at = $12
WHERE id = $1`

// CreateChallenge implements persistence.ChallengeStore. The rules are the
// mode's as stored now (read under a share lock, so an edit of the mode
// cannot slip between the read and the insert) with c.Overrides applied;
// c.Rules is ignored.
func (s *Store) CreateChallenge(ctx context.Context, by persistence.AuditActor, c persistence.Challenge) (persistence.Challenge, error) {
	defer observe("create_challenge", time.Now())
	op := "create challenge " + c.ID
	if c.Kind == "" {
		c.Kind = persistence.ChallengeScheduled
	}
	if c.RewardBadge != "" && !validID(c.RewardBadge) {
		return persistence.Challenge{}, fmt.Errorf("%s: reward badge: %w", op, persistence.ErrNotFound)
	}
	c.CreatedAt = s.stamp()
	c.UpdatedAt = c.CreatedAt
	err := s.audited(ctx, by, func(tx pgx.Tx) ([]auditChange, error) {
		var err error
		if c.Rules, err = rulesFor(ctx, tx, c.Mode, c.Overrides); err != nil {
			return nil, err
		}
		inserted, err := insertChallenge(ctx, tx, c)
		if err == nil && !inserted {
			err = fmt.Errorf("%w: %w", persistence.ErrExists, persistence.ErrConflict)
		}
		return change(persistence.ActionChallengeCreate, "challenge", c.ID, nil, c), err
	})
	if err != nil {
		return persistence.Challenge{}, challengeErr(op, err)
	}
	return c, nil
}

// rulesFor reads the mode under a share lock and applies the overrides.
func rulesFor(ctx context.Context, tx pgx.Tx, mode string, overrides persistence.ModeUpdate) (persistence.Mode, error) {
	m, err := scanMode(tx.QueryRow(ctx, `SELECT `+modeColumns+` FROM game_modes WHERE name = $1 FOR SHARE`, mode))
	if err != nil {
		return persistence.Mode{}, fmt.Errorf("mode %s: %w", mode, err)
	}
	return challengeRules(m, overrides)
}

func insertChallenge(ctx context.Context, tx pgx.Tx, c persistence.Challenge) (bool, error) {
	rules, overrides, err := challengeJSON(c)
	if err != nil {
		return false, err
	}
	tag, err := tx.Exec(ctx, insertChallengeSQL, c.ID, string(c.Kind), c.Title, c.Description, c.Mode, rules, overrides,
		c.StartsAt, c.EndsAt, c.MaxAttempts, c.RewardBadge, c.RewardTop, c.CreatedBy, c.CreatedAt)
	if err != nil {
		return false, err
	}
	return tag.RowsAffected() == 1, nil
}

func challengeJSON(c persistence.Challenge) (rules, overrides []byte, err error) {
	if rules, err = rulesJSON(c.Rules); err != nil {
		return nil, nil, err
	}
	if overrides, err = encodeOverrides(c.Overrides); err != nil {
		return nil, nil, err
	}
	return rules, overrides, nil
}

// challengeErr maps a challenge write's raw error once: rule and challenge
// errors pass through, the rest as any store error.
func challengeErr(op string, err error) error {
	var rule *persistence.ModeRuleError
	switch {
	case errors.As(err, &rule), errors.Is(err, persistence.ErrChallengeNotActive), errors.Is(err, persistence.ErrExists),
		errors.Is(err, persistence.ErrNoAttemptsLeft):
		return fmt.Errorf("%s: %w", op, err)
	default:
		return mapErr(op, err)
	}
}

// UpdateChallenge implements persistence.ChallengeStore. The edit runs
// under the row's lock. A change of mode or overrides re-reads the mode's
// current rules and applies the overrides to them; any other edit keeps the
// stored rules.
func (s *Store) UpdateChallenge(ctx context.Context, by persistence.AuditActor, id string, edit func(*persistence.Challenge) error,
	now time.Time) (persistence.Challenge, error) {
	defer observe("update_challenge", time.Now())
	op := "update challenge " + id
	var out persistence.Challenge
	err := s.audited(ctx, by, func(tx pgx.Tx) ([]auditChange, error) {
		cur, err := scanChallenge(tx.QueryRow(ctx, challengeSelect+` WHERE c.id = $1 FOR UPDATE OF c`, id))
		if err != nil {
			return nil, err
		}
		next := cur
		if err := edit(&next); err != nil {
			return nil, err
		}
		if next.RewardBadge != "" && !validID(next.RewardBadge) {
			return nil, fmt.Errorf("reward badge: %w", persistence.ErrNotFound)
		}
		if next, err = s.applyEdit(ctx, tx, cur, next, now); err != nil {
			return nil, err
		}
		out = next
		return change(persistence.ActionChallengeUpdate, "challenge", id, cur, out), nil
	})
	if err != nil {
		return persistence.Challenge{}, challengeErr(op, err)
	}
	return out, nil
}

// applyEdit checks what may change at now and writes next.
func (s *Store) applyEdit(ctx context.Context, tx pgx.Tx, cur, next persistence.Challenge, now time.Time) (persistence.Challenge, error) {
	next.ID, next.Kind, next.CreatedBy, next.CreatedAt = cur.ID, cur.Kind, cur.CreatedBy, cur.CreatedAt
	next.CancelledAt, next.StartedAt, next.EndedAt = cur.CancelledAt, cur.StartedAt, cur.EndedAt
	curOver, err := encodeOverrides(cur.Overrides)
	if err != nil {
		return next, err
	}
	nextOver, err := encodeOverrides(next.Overrides)
	if err != nil {
		return next, err
	}
	rulesChange := next.Mode != cur.Mode || !bytes.Equal(curOver, nextOver)
	playChange := rulesChange || !next.StartsAt.Equal(cur.StartsAt) || !next.EndsAt.Equal(cur.EndsAt) ||
		next.MaxAttempts != cur.MaxAttempts
	status := cur.StatusAt(now)
	switch {
	case status == persistence.ChallengeEnded || status == persistence.ChallengeCancelled:
		return next, fmt.Errorf("challenge is %s: %w", status, persistence.ErrChallengeNotActive)
	case playChange && status != persistence.ChallengeUpcoming:
		return next, fmt.Errorf("challenge has started: %w", persistence.ErrChallengeNotActive)
	}
	next.Rules = cur.Rules
	if rulesChange {
		if next.Rules, err = rulesFor(ctx, tx, next.Mode, next.Overrides); err != nil {
			return next, err
		}
	}
	next.UpdatedAt = s.stamp()
	rules, err := rulesJSON(next.Rules)
	if err != nil {
		return next, err
	}
	_, err = tx.Exec(ctx, updateChallengeSQL, next.ID, next.Title, next.Description, next.Mode, rules, nextOver,
		next.StartsAt, next.EndsAt, next.MaxAttempts, next.RewardBadge, next.RewardTop, next.UpdatedAt)
	return next, err
}

// CancelChallenge implements persistence.ChallengeStore.
func (s *Store) CancelChallenge(ctx context.Context, by persistence.AuditActor, id string, now time.Time) (persistence.Challenge, error) {
	defer observe("cancel_challenge", time.Now())
	op := "cancel challenge " + id
	var out persistence.Challenge
	err := s.audited(ctx, by, func(tx pgx.Tx) ([]auditChange, error) {
		cur, err := scanChallenge(tx.QueryRow(ctx, challengeSelect+` WHERE c.id = $1 FOR UPDATE OF c`, id))
		if err != nil {
			return nil, err
		}
		switch cur.StatusAt(now) {
		case persistence.ChallengeCancelled:
			out = cur
			return nil, nil
		case persistence.ChallengeEnded:
			return nil, fmt.Errorf("challenge has ended: %w", persistence.ErrChallengeNotActive)
		}
		before := cur
		cur.CancelledAt, cur.UpdatedAt = now, s.stamp()
		out = cur
		_, err = tx.Exec(ctx, `UPDATE challenges SET cancelled_at = $2, updated_at = $3 WHERE id = $1`, id, cur.CancelledAt, cur.UpdatedAt)
		return change(persistence.ActionChallengeCancel, "challenge", id, before, out), err
	})
	if err != nil {
		return persistence.Challenge{}, challengeErr(op, err)
	}
	return out, nil
}

// Challenge implements persistence.ChallengeStore.
func (s *Store) Challenge(ctx context.Context, id string) (persistence.Challenge, error) {
	defer observe("challenge", time.Now())
	c, err := scanChallenge(s.pool.QueryRow(ctx, challengeSelect+` WHERE c.id = $1`, id))
	if err != nil {
		return persistence.Challenge{}, mapErr("challenge "+id, err)
	}
	return c, nil
}

// PlayerAttempts implements persistence.ChallengeStore.
func (s *Store) PlayerAttempts(ctx context.Context, challengeID, playerID string) ([]persistence.ChallengeAttempt, error) {
	defer observe("challenge_attempts", time.Now())
	if !validID(playerID) {
		return nil, nil
	}
	rows, err := s.pool.Query(ctx, `SELECT challenge_id, player_id::text, attempt, session_id::text, taken_at, score, finished_at
		FROM challenge_attempts WHERE challenge_id = $1 AND player_id = $2 ORDER BY attempt`, challengeID, playerID)
	if err != nil {
		return nil, mapErr("challenge attempts", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (persistence.ChallengeAttempt, error) {
		var a persistence.ChallengeAttempt
		var score *int64
		var finished *time.Time
		err := r.Scan(&a.ChallengeID, &a.PlayerID, &a.Attempt, &a.SessionID, &a.TakenAt, &score, &finished)
		if score != nil {
			a.Finished, a.Score = true, *score
		}
		a.FinishedAt = timeOrZero(finished)
		return a, err
	})
	if err != nil {
		return nil, mapErr("challenge attempts", err)
	}
	return out, nil
}

func scanChallenge(row pgx.Row) (persistence.Challenge, error) {
	var c persistence.Challenge
	var kind string
	var overrides []byte
	var cancelled, started, ended *time.Time
	var rules modeDest
	dest := append([]any{&c.ID, &kind, &c.Title, &c.Description, &c.Mode, &overrides, &c.StartsAt, &c.EndsAt,
		&c.MaxAttempts, &c.RewardBadge, &c.RewardTop, &c.CreatedBy, &c.CreatedAt, &c.UpdatedAt, &cancelled, &started,
		&ended}, rules.targets()...)
	if err := row.Scan(dest...); err != nil {
		return persistence.Challenge{}, err
	}
	var err error
	if c.Overrides, err = decodeOverrides(overrides); err != nil {
		return persistence.Challenge{}, err
	}
	c.Kind, c.Rules = persistence.ChallengeKind(kind), rules.mode()
	c.CancelledAt, c.StartedAt, c.EndedAt = timeOrZero(cancelled), timeOrZero(started), timeOrZero(ended)
	return c, nil
}
