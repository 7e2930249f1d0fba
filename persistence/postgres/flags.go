package postgres

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/proofstell/proofstell/persistence"
)

var _ persistence.FlagStore = (*Store)(nil)

const flagColumns = `f.id::text, f.session_id::text, f.player_id::text, coalesce(p.username, ''), f.mode,
	coalesce(f.challenge_id, ''), f.score, f.evidence, f.status, f.created_at, coalesce(f.decided_by::text, ''),
	f.decided_at, coalesce(f.reason, '')`

// listFlagsSQL pages one status oldest first; the cursor is the last
// (created_at, id) seen (NULL: the first page).
const listFlagsSQL = `SELECT ` + flagColumns + `
FROM flags f LEFT JOIN players p ON p.id = f.player_id
WHERE f.status = $1 AND ($2::timestamptz IS NULL OR (f.created_at, f.id) > ($2, $3::uuid))
ORDER BY f.created_at, f.id LIMIT $4`

const flagByIDSQL = `SELECT ` + flagColumns + ` FROM flags f LEFT JOIN players p ON p.id = f.player_id WHERE f.id = $1`

// decideFlagSQL decides an open flag. Two moderators at once: the second
// UPDATE waits for the first's row lock, then finds the flag decided and
// writes nothing, so a decision (and a clear's restore) happens once.
const decideFlagSQL = `UPDATE flags SET status = $2, decided_by = $3, decided_at = $4, reason = $5
WHERE id = $1 AND status = 'open'
RETURNING session_id::text, player_id::text, mode, coalesce(challenge_id, ''), standings`

// ListFlags implements persistence.FlagStore.
func (s *Store) ListFlags(ctx context.Context, q persistence.FlagQuery) (persistence.FlagPage, error) {
	defer observe("list_flags", time.Now())
	if q.Limit <= 0 {
		q.Limit = 20
	}
	after, afterID, err := decodeFlagCursor(q.Cursor)
	if err != nil {
		return persistence.FlagPage{}, err
	}
	rows, err := s.pool.Query(ctx, listFlagsSQL, string(q.Status), after, afterID, q.Limit+1)
	if err != nil {
		return persistence.FlagPage{}, mapErr("list flags", err)
	}
	flags, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (persistence.Flag, error) { return scanFlag(r) })
	if err != nil {
		return persistence.FlagPage{}, mapErr("list flags", err)
	}
	page := persistence.FlagPage{Flags: flags}
	if len(flags) > q.Limit {
		page.Flags = flags[:q.Limit]
		last := page.Flags[q.Limit-1]
		page.Next = encodeFlagCursor(last.CreatedAt, last.ID)
	}
	return page, nil
}

// ClearFlag implements persistence.FlagStore.
func (s *Store) ClearFlag(ctx context.Context, by persistence.AuditActor, d persistence.FlagDecision) (persistence.Flag, error) {
	defer observe("clear_flag", time.Now())
	return s.decideFlag(ctx, by, d, persistence.FlagCleared)
}

// ConfirmFlag implements persistence.FlagStore.
func (s *Store) ConfirmFlag(ctx context.Context, by persistence.AuditActor, d persistence.FlagDecision) (persistence.Flag, error) {
	defer observe("confirm_flag", time.Now())
	return s.decideFlag(ctx, by, d, persistence.FlagConfirmed)
}

// decideFlag records the decision and, for a clear, restores the result,
// all in one audited transaction.
func (s *Store) decideFlag(ctx context.Context, by persistence.AuditActor, d persistence.FlagDecision,
	status persistence.FlagStatus) (persistence.Flag, error) {
	op := fmt.Sprintf("%s flag %s", status, d.FlagID)
	if !validID(d.FlagID) {
		return persistence.Flag{}, fmt.Errorf("%s: %w", op, persistence.ErrNotFound)
	}
	if !validID(d.By) || strings.TrimSpace(d.Reason) == "" {
		return persistence.Flag{}, fmt.Errorf("%s: a decision needs a moderator and a reason", op)
	}
	action := persistence.ActionFlagConfirm
	if status == persistence.FlagCleared {
		action = persistence.ActionFlagClear
	}
	now := s.stamp()
	var out persistence.Flag
	err := s.audited(ctx, by, func(tx pgx.Tx) ([]auditChange, error) {
		before, err := scanFlag(tx.QueryRow(ctx, flagByIDSQL, d.FlagID))
		if err != nil {
			return nil, mapErr(op, err)
		}
		var held heldFlag
		err = tx.QueryRow(ctx, decideFlagSQL, d.FlagID, string(status), d.By, now, d.Reason).
			Scan(&held.sessionID, &held.playerID, &held.mode, &held.challengeID, &held.standings)
		if err != nil {
			return nil, undecided(ctx, tx, op, d.FlagID, err)
		}
		if status == persistence.FlagCleared {
			if err := restoreResult(ctx, tx, d.FlagID, held, now); err != nil {
				return nil, fmt.Errorf("%s: %w", op, err)
			}
		}
		out, err = scanFlag(tx.QueryRow(ctx, flagByIDSQL, d.FlagID))
		return change(action, "flag", d.FlagID, flagAudit(before), flagAudit(out)), mapErr(op, err)
	})
	if errors.Is(err, persistence.ErrNoActor) {
		return out, fmt.Errorf("%s: %w", op, err)
	}
	return out, err
}

// flagAudit is the part of a flag its review changes (the evidence is
// the flag's own record, not the decision's).
func flagAudit(f persistence.Flag) map[string]any {
	return map[string]any{"status": f.Status, "decidedBy": f.DecidedBy, "reason": f.Reason,
		"sessionId": f.SessionID, "playerId": f.PlayerID}
}

// undecided explains a decision that wrote nothing: an unknown flag, or
// one already decided.
func undecided(ctx context.Context, tx pgx.Tx, op, id string, err error) error {
	if err != pgx.ErrNoRows { //nolint:errorlint // QueryRow.Scan returns it unwrapped
		return mapErr(op, err)
	}
	var exists bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM flags WHERE id = $1)`, id).Scan(&exists); err != nil {
		return mapErr(op, err)
	}
	if exists {
		return fmt.Errorf("%s: already decided: %w", op, persistence.ErrConflict)
	}
	return fmt.Errorf("%s: %w", op, persistence.ErrNotFound)
}

func scanFlag(row pgx.Row) (persistence.Flag, error) {
	var f persistence.Flag
	var evidence []byte
	var status string
	var decidedAt *time.Time
	err := row.Scan(&f.ID, &f.SessionID, &f.PlayerID, &f.Username, &f.Mode, &f.ChallengeID, &f.Score, &evidence,
		&status, &f.CreatedAt, &f.DecidedBy, &decidedAt, &f.Reason)
	if err != nil {
		return f, err
	}
	f.Status = persistence.FlagStatus(status)
	if decidedAt != nil {
		f.DecidedAt = decidedAt.UTC()
	}
	f.CreatedAt = f.CreatedAt.UTC()
	if err := json.Unmarshal(evidence, &f.Evidence); err != nil {
		return f, fmt.Errorf("flag %s evidence: %w", f.ID, err)
	}
	return f, nil
}

// encodeFlagCursor is base64url("<unix micros>_<id>").
func encodeFlagCursor(at time.Time, id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(at.UnixMicro(), 10) + "_" + id))
}

// decodeFlagCursor reverses encodeFlagCursor; "" is the first page (nil).
func decodeFlagCursor(c string) (*time.Time, string, error) {
	if c == "" {
		return nil, "00000000-0000-0000-0000-000000000000", nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(c)
	micros, id, ok := strings.Cut(string(raw), "_")
	n, perr := strconv.ParseInt(micros, 10, 64)
	if err != nil || !ok || perr != nil || !validID(id) {
		return nil, "", fmt.Errorf("flags cursor: %w", persistence.ErrBadCursor)
	}
	at := time.UnixMicro(n).UTC()
	return &at, id, nil
}
