package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/proofstell/proofstell/persistence"
)

var _ persistence.ReferralStore = (*Store)(nil)

// ReferralCode implements persistence.ReferralStore.
func (s *Store) ReferralCode(ctx context.Context, playerID string) (string, error) {
	defer observe("referral_code", time.Now())
	if !validID(playerID) {
		return "", fmt.Errorf("referral code of %q: %w", playerID, persistence.ErrNotFound)
	}
	var code string
	err := s.pool.QueryRow(ctx, `SELECT referral_code FROM players WHERE id = $1`, playerID).Scan(&code)
	return code, mapErr("referral code of "+playerID, err)
}

// ReferrerByCode implements persistence.ReferralStore.
func (s *Store) ReferrerByCode(ctx context.Context, code string) (string, error) {
	defer observe("referrer_by_code", time.Now())
	var id string
	err := s.pool.QueryRow(ctx, `SELECT id::text FROM players WHERE referral_code = $1`,
		strings.ToUpper(code)).Scan(&id)
	return id, mapErr("referrer of code", err)
}

// RecordSignup implements persistence.ReferralStore.
func (s *Store) RecordSignup(ctx context.Context, su persistence.Signup, policy persistence.ReferralPolicy) (*persistence.Referral, error) {
	defer observe("record_signup", time.Now())
	if !validID(su.PlayerID) {
		return nil, fmt.Errorf("record sign-up of %q: %w", su.PlayerID, persistence.ErrNotFound)
	}
	now := s.stamp()
	var ref *persistence.Referral
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if su.New && su.ReferralCode != "" {
			r, err := refer(ctx, tx, su, policy, now)
			if err != nil {
				return err
			}
			ref = r
		}
		return storeFingerprints(ctx, tx, su, now)
	})
	if err != nil {
		return nil, mapErr("record sign-up of "+su.PlayerID, err)
	}
	return ref, nil
}

// storeFingerprints upserts the sign-in's fingerprints.
func storeFingerprints(ctx context.Context, tx pgx.Tx, su persistence.Signup, now time.Time) error {
	for _, f := range su.Fingerprints {
		if _, err := tx.Exec(ctx, `INSERT INTO player_fingerprints (player_id, kind, hash, seen_at)
			VALUES ($1, $2, $3, $4) ON CONFLICT (player_id, kind, hash) DO UPDATE SET seen_at = EXCLUDED.seen_at`,
			su.PlayerID, string(f.Kind), f.Hash, now); err != nil {
			return fmt.Errorf("store %s fingerprint: %w", f.Kind, err)
		}
	}
	return nil
}

// refer stores the referral of a new player, refused when the policy says.
// The referrer's row is locked first, so the cap holds under concurrency.
func refer(ctx context.Context, tx pgx.Tx, su persistence.Signup, policy persistence.ReferralPolicy, now time.Time) (*persistence.Referral, error) {
	var referrer string
	err := tx.QueryRow(ctx, `SELECT id::text FROM players WHERE referral_code = $1 FOR UPDATE`,
		strings.ToUpper(su.ReferralCode)).Scan(&referrer)
	if err != nil {
		return nil, fmt.Errorf("referral code: %w", err)
	}
	reason, err := refusal(ctx, tx, referrer, su, policy, now)
	if err != nil {
		return nil, err
	}
	r := persistence.Referral{ReferrerID: referrer, ReferredID: su.PlayerID, Status: persistence.ReferralPending,
		Reason: reason, CreatedAt: now}
	if reason != "" {
		r.Status = persistence.ReferralRefused
	}
	err = tx.QueryRow(ctx, `INSERT INTO referrals (referrer_id, referred_id, status, reason, created_at)
		VALUES ($1, $2, $3, NULLIF($4, ''), $5) ON CONFLICT (referred_id) DO NOTHING RETURNING id::text`,
		referrer, su.PlayerID, string(r.Status), string(reason), now).Scan(&r.ID)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil // already referred: the first referral stands
	}
	if err != nil {
		return nil, fmt.Errorf("insert referral: %w", err)
	}
	return &r, nil
}

// refusal says why the referral of su by referrer is refused ("" when it is
// not), checking the cheapest and most telling reasons first.
func refusal(ctx context.Context, tx pgx.Tx, referrer string, su persistence.Signup, policy persistence.ReferralPolicy, now time.Time) (persistence.RefusalReason, error) {
	if referrer == su.PlayerID {
		return persistence.RefusedSelf, nil
	}
	kinds := map[persistence.FingerprintKind]persistence.RefusalReason{
		persistence.FingerprintDevice: persistence.RefusedSameDevice,
		persistence.FingerprintWallet: persistence.RefusedSameWallet,
		persistence.FingerprintIP:     persistence.RefusedSameIP,
	}
	for _, f := range su.Fingerprints {
		since := time.Time{} // devices and wallets match at any age
		if f.Kind == persistence.FingerprintIP {
			since = now.Add(-policy.IPWindow)
		}
		var shared bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM player_fingerprints
			WHERE player_id = $1 AND kind = $2 AND hash = $3 AND seen_at >= $4)`,
			referrer, string(f.Kind), f.Hash, since).Scan(&shared); err != nil {
			return "", fmt.Errorf("check %s fingerprint: %w", f.Kind, err)
		}
		if shared {
			return kinds[f.Kind], nil
		}
	}
	if policy.DailyCap <= 0 {
		return "", nil
	}
	var today int
	if err := tx.QueryRow(ctx, `SELECT count(*) FROM referrals
		WHERE referrer_id = $1 AND status <> 'refused' AND created_at > $2`,
		referrer, now.Add(-24*time.Hour)).Scan(&today); err != nil {
		return "", fmt.Errorf("count referrals today: %w", err)
	}
	if today >= policy.DailyCap {
		return persistence.RefusedDailyCap, nil
	}
	return "", nil
}

// PlayerReferrals implements persistence.ReferralStore.
func (s *Store) PlayerReferrals(ctx context.Context, playerID string) ([]persistence.Referral, error) {
	defer observe("player_referrals", time.Now())
	out := []persistence.Referral{}
	if !validID(playerID) {
		return out, nil
	}
	rows, err := s.pool.Query(ctx, `SELECT r.id::text, r.referrer_id::text, r.referred_id::text, p.username,
			r.status, coalesce(r.reason, ''), r.games_counted, r.created_at, r.rewarded_at
		FROM referrals r JOIN players p ON p.id = r.referred_id
		WHERE r.referrer_id = $1 ORDER BY r.created_at DESC, r.id`, playerID)
	if err != nil {
		return nil, mapErr("referrals of "+playerID, err)
	}
	out, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (persistence.Referral, error) {
		var r persistence.Referral
		var status, reason string
		err := row.Scan(&r.ID, &r.ReferrerID, &r.ReferredID, &r.ReferredName, &status, &reason,
			&r.GamesCounted, &r.CreatedAt, &r.RewardedAt)
		r.Status, r.Reason = persistence.ReferralStatus(status), persistence.RefusalReason(reason)
		return r, err
	})
	if err != nil {
		return nil, mapErr("referrals of "+playerID, err)
	}
	return out, nil
}
