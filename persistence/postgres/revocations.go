package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/proofstell/proofstell/persistence"
)

var _ persistence.RevocationLedger = (*Store)(nil)

// RecordDenied implements persistence.RevocationLedger. A token id that is
// not a UUID cannot have been issued by us and is not recorded.
func (s *Store) RecordDenied(ctx context.Context, t persistence.DeniedToken) error {
	defer observe("record_denied", time.Now())
	if !validID(t.TokenID) || !validID(t.PlayerID) {
		return nil
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO revoked_access_tokens (jti, player_id, expires_at, revoked_at)
		VALUES ($1, $2, $3, $4) ON CONFLICT (jti) DO NOTHING`, t.TokenID, t.PlayerID, t.ExpiresAt.UTC(), s.stamp())
	return mapErr("record denied token "+t.TokenID, err)
}

// RecordNotBefore implements persistence.RevocationLedger.
func (s *Store) RecordNotBefore(ctx context.Context, w persistence.Watermark) error {
	defer observe("record_not_before", time.Now())
	if !validID(w.PlayerID) {
		return nil
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO player_token_watermarks (player_id, not_before) VALUES ($1, $2)
		ON CONFLICT (player_id) DO UPDATE SET not_before = greatest(player_token_watermarks.not_before, excluded.not_before)`,
		w.PlayerID, w.At.UTC())
	return mapErr("record watermark of "+w.PlayerID, err)
}

// RecordFamilyRevoked implements persistence.RevocationLedger: the family's
// refresh tokens and access tokens are revoked in one transaction. Only the
// player's own family is touched.
func (s *Store) RecordFamilyRevoked(ctx context.Context, f persistence.RevokedFamily) error {
	defer observe("record_family_revoked", time.Now())
	if !validID(f.PlayerID) || !validID(f.FamilyID) {
		return nil // names no stored family: nothing to revoke
	}
	return s.inTx(ctx, func(tx pgx.Tx) error { return revokeFamilyIn(ctx, tx, f) })
}

// revokeFamilyIn revokes f's refresh tokens and records the family as
// revoked, inside tx.
func revokeFamilyIn(ctx context.Context, tx pgx.Tx, f persistence.RevokedFamily) error {
	at := f.RevokedAt.UTC()
	if _, err := tx.Exec(ctx, `UPDATE refresh_tokens SET revoked_at = coalesce(revoked_at, $3)
		WHERE family_id = $1 AND player_id = $2`, f.FamilyID, f.PlayerID, at); err != nil {
		return mapErr("revoke token family "+f.FamilyID, err)
	}
	_, err := tx.Exec(ctx, `INSERT INTO revoked_token_families (family_id, player_id, revoked_at)
		VALUES ($1, $2, $3) ON CONFLICT (family_id) DO NOTHING`, f.FamilyID, f.PlayerID, at)
	return mapErr("record revoked family "+f.FamilyID, err)
}

// Revocation implements persistence.RevocationLedger in one statement.
func (s *Store) Revocation(ctx context.Context, q persistence.RevocationQuery) (persistence.RevocationVerdict, error) {
	defer observe("revocation", time.Now())
	var nbf *time.Time
	v := persistence.RevocationVerdict{Intact: true}
	err := s.pool.QueryRow(ctx, `SELECT
		EXISTS (SELECT 1 FROM revoked_access_tokens WHERE jti = $1),
		(SELECT not_before FROM player_token_watermarks WHERE player_id = $2),
		EXISTS (SELECT 1 FROM revoked_token_families WHERE family_id = $3),
		EXISTS (SELECT 1 FROM players WHERE id = $2 AND banned_at IS NOT NULL)`,
		uuidOrNil(q.TokenID), uuidOrNil(q.PlayerID), uuidOrNil(q.FamilyID)).
		Scan(&v.Denied, &nbf, &v.FamilyRevoked, &v.Banned)
	if err != nil {
		return persistence.RevocationVerdict{}, mapErr("check revocation of "+q.PlayerID, err)
	}
	if nbf != nil {
		v.NotBefore = nbf.UTC()
	}
	return v, nil
}

// uuidOrNil passes a UUID through and anything else as SQL NULL, which
// matches no row.
func uuidOrNil(id string) *string {
	if !validID(id) {
		return nil
	}
	return &id
}

// LiveRevocations implements persistence.RevocationLedger. A ban younger
// than since counts as a watermark at its time.
func (s *Store) LiveRevocations(ctx context.Context, since, now time.Time) (persistence.RevocationState, error) {
	defer observe("live_revocations", time.Now())
	var st persistence.RevocationState
	var err error
	if st.Tokens, err = collect(ctx, s.pool, `SELECT jti::text, player_id::text, expires_at
		FROM revoked_access_tokens WHERE expires_at > $1`, now.UTC(), scanDeniedToken); err != nil {
		return st, fmt.Errorf("live denied tokens: %w", err)
	}
	if st.Watermarks, err = collect(ctx, s.pool, `SELECT player_id::text, max(at) FROM (
			SELECT player_id, not_before AS at FROM player_token_watermarks WHERE not_before > $1
			UNION ALL
			SELECT id, banned_at FROM players WHERE banned_at > $1) w GROUP BY player_id`,
		since.UTC(), scanWatermark); err != nil {
		return st, fmt.Errorf("live watermarks: %w", err)
	}
	if st.Families, err = collect(ctx, s.pool, `SELECT family_id::text, player_id::text, revoked_at
		FROM revoked_token_families WHERE revoked_at > $1`, since.UTC(), scanRevokedFamily); err != nil {
		return st, fmt.Errorf("live revoked families: %w", err)
	}
	return st, nil
}

// PruneRevocations deletes what can no longer refuse any token: denied
// tokens past expiry and watermarks and families older than since. It
// reports how many rows went.
func (s *Store) PruneRevocations(ctx context.Context, since, now time.Time) (int64, error) {
	defer observe("prune_revocations", time.Now())
	var n int64
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		for _, stmt := range []struct {
			sql string
			at  time.Time
		}{
			{`DELETE FROM revoked_access_tokens WHERE expires_at <= $1`, now},
			{`DELETE FROM player_token_watermarks WHERE not_before <= $1`, since},
			{`DELETE FROM revoked_token_families WHERE revoked_at <= $1`, since},
		} {
			tag, err := tx.Exec(ctx, stmt.sql, stmt.at.UTC())
			if err != nil {
				return mapErr("prune revocations", err)
			}
			n += tag.RowsAffected()
		}
		return nil
	})
	return n, err
}

func scanDeniedToken(r pgx.CollectableRow) (persistence.DeniedToken, error) {
	var t persistence.DeniedToken
	err := r.Scan(&t.TokenID, &t.PlayerID, &t.ExpiresAt)
	return t, err
}

func scanWatermark(r pgx.CollectableRow) (persistence.Watermark, error) {
	var w persistence.Watermark
	err := r.Scan(&w.PlayerID, &w.At)
	return w, err
}

func scanRevokedFamily(r pgx.CollectableRow) (persistence.RevokedFamily, error) {
	var f persistence.RevokedFamily
	err := r.Scan(&f.FamilyID, &f.PlayerID, &f.RevokedAt)
	return f, err
}

// collect runs a query with one argument and scans every row.
func collect[T any](ctx context.Context, q dbtx, sql string, arg any, scan pgx.RowToFunc[T]) ([]T, error) {
	rows, err := q.Query(ctx, sql, arg)
	if err != nil {
		return nil, mapErr("query", err)
	}
	out, err := pgx.CollectRows(rows, scan)
	return out, mapErr("scan", err)
}
