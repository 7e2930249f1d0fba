package persistence

import (
	"context"
	"time"
)

// TopicReferralRewarded is the outbox topic a completed referral writes in
// the transaction that rewards it, keyed by the referral id (so it exists
// once), payload ReferralRewardedEvent. The notification worker turns it
// into one notification per player.
const TopicReferralRewarded = "referral.rewarded"

// ReferralBadgeSlug is the slug of the badge a completed referral gives
// both players (seeded by migration 024; data an admin may edit or retire).
const ReferralBadgeSlug = "referral"

// ReferralStatus is where a referral stands.
type ReferralStatus string

// Referral statuses.
const (
	// ReferralPending counts the referred player's ranked games.
	ReferralPending ReferralStatus = "pending"
	// ReferralRewarded has paid both players (once, ever).
	ReferralRewarded ReferralStatus = "rewarded"
	// ReferralRefused was refused at sign-up (see RefusalReason); the
	// sign-up itself succeeded.
	ReferralRefused ReferralStatus = "refused"
)

// RefusalReason says why a sign-up's referral was refused.
type RefusalReason string

// Refusal reasons (the referrals.reason column).
const (
	RefusedSelf       RefusalReason = "self"
	RefusedSameDevice RefusalReason = "same_device"
	RefusedSameIP     RefusalReason = "same_ip"
	RefusedSameWallet RefusalReason = "same_wallet"
	RefusedDailyCap   RefusalReason = "daily_cap"
)

// FingerprintKind is what a sign-up fingerprint hashes.
type FingerprintKind string

// Fingerprint kinds.
const (
	FingerprintDevice FingerprintKind = "device"
	FingerprintIP     FingerprintKind = "ip"
	FingerprintWallet FingerprintKind = "wallet"
)

// Fingerprint is one hashed trait of a sign-in (64 hex characters, see
// gateway/rest referrals.go): the raw device id, IP or address is never
// stored.
type Fingerprint struct {
	Kind FingerprintKind
	Hash string
}

// ReferralPolicy is the anti-farming configuration of a sign-up.
type ReferralPolicy struct {
	// IPWindow is how recently the referrer must have signed in from the
	// same IP for the referral to be refused.
	IPWindow time.Duration
	// DailyCap is the most referrals (of any status but refused) a
	// referrer gets per rolling 24 hours; 0 means no cap.
	DailyCap int
}

// Signup is one sign-in's facts: its fingerprints, and for a new player
// the referral code it named ("" for none).
type Signup struct {
	PlayerID     string
	Fingerprints []Fingerprint
	// ReferralCode is honoured only with New: an existing player signing
	// in again is never referred.
	ReferralCode string
	New          bool
}

// Referral is one referral as its referrer sees it.
type Referral struct {
	ID           string
	ReferrerID   string
	ReferredID   string
	ReferredName string
	// ReferrerName is filled by Referrals only.
	ReferrerName string
	Status       ReferralStatus
	Reason       RefusalReason
	GamesCounted int
	CreatedAt    time.Time
	RewardedAt   *time.Time
}

// ReferralRewardedEvent is the payload of a referral.rewarded outbox row.
// BadgeID is "" when no active reward badge existed at the time; the
// award flags say whether each player newly got the badge (a referrer
// holds it once however many referrals pay).
type ReferralRewardedEvent struct {
	ReferralID      string    `json:"referralId"`
	ReferrerID      string    `json:"referrerId"`
	ReferredID      string    `json:"referredId"`
	BadgeID         string    `json:"badgeId,omitempty"`
	BadgeName       string    `json:"badgeName,omitempty"`
	BadgeRarity     string    `json:"badgeRarity,omitempty"`
	ReferrerAwarded bool      `json:"referrerAwarded"`
	ReferredAwarded bool      `json:"referredAwarded"`
	RewardedAt      time.Time `json:"rewardedAt"`
}

// ReferralStore keeps referral codes, sign-up fingerprints and referrals.
// Every method is atomic on its own.
type ReferralStore interface {
	// ReferralCode returns the player's code; ErrNotFound for an unknown
	// player.
	ReferralCode(ctx context.Context, playerID string) (string, error)
	// ReferrerByCode returns the id of the code's owner (codes are
	// matched case-insensitively); ErrNotFound for an unknown code.
	ReferrerByCode(ctx context.Context, code string) (string, error)
	// RecordSignup stores s's fingerprints (refreshing seen_at) and, for a
	// new player naming a code, the referral, refused with a reason when
	// the policy says so (the referrer shares a device or wallet
	// fingerprint with the player, or an IP one seen within IPWindow, or
	// is over DailyCap, or is the player). The checks run before the new
	// fingerprints are stored, under a lock on the referrer, so
	// concurrent sign-ups cannot both slip under the cap. It returns the
	// referral (nil when none was asked or the player already has one);
	// an unknown code is ErrNotFound and nothing is stored.
	RecordSignup(ctx context.Context, s Signup, policy ReferralPolicy) (*Referral, error)
	// CountReferralGame counts the game sessionID (a finished, unflagged
	// game of mode) for each listed player with a pending referral, once
	// per player and game, when mode is ranked. A referral reaching target
	// games is rewarded in the same transaction, exactly once: status
	// rewarded, the active ReferralBadgeSlug badge awarded to both (a
	// mintable one queues its mints, as AwardBadge does) and a
	// TopicReferralRewarded outbox row. It returns the referrals rewarded
	// by this call.
	CountReferralGame(ctx context.Context, sessionID, mode string, players []string, target int) ([]ReferralRewardedEvent, error)
	// PlayerReferrals lists the referrals the player made, newest first.
	PlayerReferrals(ctx context.Context, playerID string) ([]Referral, error)
	// Referrals lists every player's referrals of status ("" for all),
	// newest first, up to limit after cursor ("" starts at the newest);
	// Next is "" on the last page. A cursor that does not decode is
	// ErrBadCursor. For support: refused ones say why.
	Referrals(ctx context.Context, status ReferralStatus, cursor string, limit int) (ReferralPage, error)
}

// ReferralPage is one page of Referrals.
type ReferralPage struct {
	Items []Referral
	Next  string
}
