// Package referrals counts finished games toward pending referrals and
// says what a referral pays.
//
// Every player has a referral code (players.referral_code, migration 024).
// A sign-up (guest, email or wallet) may name one; gateway/rest records it
// through persistence.ReferralStore.RecordSignup, which refuses farming
// (the referrer itself, a shared device or wallet fingerprint, a shared IP
// seen within REFERRAL_IP_WINDOW, more than REFERRAL_DAILY_CAP referrals
// per rolling day) without failing the sign-up: a refused referral is kept
// with its reason, and admins list them (GET /api/v1/admin/referrals).
// Fingerprints are HMAC-SHA256 under REFERRAL_FINGERPRINT_SECRET (shared
// by every node; generated per process outside production), and every
// sign-in and token refresh records its IP too, so "an IP the referrer
// used recently" means any recent session, not only the sign-up.
//
// Counter is a badges.GameFollower: the badge worker, which holds the claim
// of each game.finished outbox row, hands it every finished game with the
// players whose result counts (a flagged result comes later, alone, in the
// row its clearing writes; the topic has one consumer, a second drainer
// would steal rows). Counter
// asks the store to count the game for each of its players with a pending
// referral, when the mode is ranked. The store counts a game once per
// player (referral_games) and, in the transaction where a referral reaches
// REFERRAL_GAMES, marks it rewarded, awards the "referral" badge (data: an
// admin may rename it, make it not mintable, or retire it) to both players
// with their mint requests, and writes a "referral.rewarded" outbox row
// keyed by the referral id (payload persistence.ReferralRewardedEvent) for
// the notification worker, which tells both players (kind
// referral.reward). So a redelivered game.finished row, or two nodes
// racing, rewards nothing twice. A newly awarded reward badge is announced
// as badge:awarded on the player's fan-out topic, at most once, like the
// badge worker's own awards.
//
// The runtime switch features.referrals (Counter.OnlyWhen; gateway/rest
// for sign-ups): while off no game is counted, so no referral is rewarded;
// progress already counted is kept and counting resumes with the next game.
package referrals
