package persistence

import (
	"context"
	"encoding/json"
	"time"
)

// Outbox topics the notification worker (actors/notifications) drains.
// Each is written in the transaction of the event it announces, so a
// notification exists exactly when its event committed.
const (
	// TopicNotifyBadge is written by BadgeStore.AwardBadge for each new
	// award, key "<playerId>:<badgeId>", payload NotifyBadgeEvent.
	TopicNotifyBadge = "notify.badge.awarded"
	// TopicNotifyChallengeEnded is written by ChallengeJobs.MarkEnded next
	// to TopicChallengeEnded, key the challenge id, payload
	// NotifyChallengeEndedEvent.
	TopicNotifyChallengeEnded = "notify.challenge.ended"
	// TopicNotifyBroadcast is written by NotificationStore.QueueBroadcast,
	// key the broadcast id, payload Broadcast.
	TopicNotifyBroadcast = "notify.broadcast"
	// TopicNotifyMint is written where a mint request reaches a final
	// status (ChainWriterStore marks and settles: accepted or failed), key
	// "mint:<requestId>:<status>", payload NotifyMintEvent.
	TopicNotifyMint = "notify.mint.status"
	// TopicNotifyChallengeStarted is written by ChallengeJobs.MarkStarted
	// the one time it records the start, key the challenge id, payload
	// NotifyChallengeStartedEvent.
	TopicNotifyChallengeStarted = "notify.challenge.started"
	// TopicNotifyPeriodClosed is written by PeriodStore.SavePeriodRoot next
	// to TopicPeriodFrozen, key the board key, payload PeriodFrozen: every
	// player with a frozen standing learns their final rank.
	TopicNotifyPeriodClosed = "notify.period.closed"
	// TopicNotifyMatchFound is written by SessionStore.CreateSession for a
	// session the matchmaker formed (Session.MatchedPlayers), key the
	// session id, payload NotifyMatchFoundEvent.
	TopicNotifyMatchFound = "notify.match.found"
)

// Notification kinds. Referral rewards come from the referrals feature's
// TopicReferralRewarded row, which the notification worker consumes.
const (
	KindBadgeAwarded   = "badge.awarded"
	KindMintStatus     = "mint.status"
	KindChallengeStart = "challenge.started"
	KindChallengeEnded = "challenge.ended"
	KindFinalRank      = "rank.final"
	KindReferralReward = "referral.reward"
	KindMatchFound     = "match.found"
	KindAdminBroadcast = "admin.broadcast"
)

// NotificationKinds lists every kind, in the order preferences are shown.
func NotificationKinds() []string {
	return []string{KindBadgeAwarded, KindMintStatus, KindChallengeStart, KindChallengeEnded, KindFinalRank,
		KindReferralReward, KindMatchFound, KindAdminBroadcast}
}

// NotificationPreference is a player's delivery choice for one kind:
// in-app (inbox and live alert) and email.
type NotificationPreference struct {
	Kind  string
	InApp bool
	Email bool
}

// NotifyBadgeEvent is the payload of a TopicNotifyBadge row.
type NotifyBadgeEvent struct {
	PlayerID string `json:"playerId"`
	BadgeID  string `json:"badgeId"`
	// Slug keys the badge's translated name ("badges" namespace).
	Slug   string `json:"slug,omitempty"`
	Name   string `json:"name"`
	Rarity string `json:"rarity"`
}

// NotifyChallengeEndedEvent is the payload of a TopicNotifyChallengeEnded
// row: the final standings, best rank first.
type NotifyChallengeEndedEvent struct {
	ChallengeID string           `json:"challengeId"`
	Mode        string           `json:"mode"`
	Standings   []NotifyStanding `json:"standings"`
}

// NotifyMintEvent is the payload of a TopicNotifyMint row: a mint request
// that reached a final status.
type NotifyMintEvent struct {
	MintID   string     `json:"mintId"`
	PlayerID string     `json:"playerId"`
	BadgeID  string     `json:"badgeId"`
	Chain    Chain      `json:"chain"`
	Status   MintStatus `json:"status"`
	TxHash   string     `json:"txHash,omitempty"`
}

// NotifyChallengeStartedEvent is the payload of a
// TopicNotifyChallengeStarted row.
type NotifyChallengeStartedEvent struct {
	ChallengeID string    `json:"challengeId"`
	Title       string    `json:"title"`
	Mode        string    `json:"mode"`
	StartedAt   time.Time `json:"startedAt"`
	EndsAt      time.Time `json:"endsAt"`
}

// NotifyMatchFoundEvent is the payload of a TopicNotifyMatchFound row.
type NotifyMatchFoundEvent struct {
	SessionID string   `json:"sessionId"`
	Mode      string   `json:"mode"`
	Players   []string `json:"players"`
}

// NotifyStanding is one player's final place in a NotifyChallengeEndedEvent.
type NotifyStanding struct {
	PlayerID string `json:"playerId"`
	Rank     int    `json:"rank"`
	Score    int64  `json:"score"`
	Won      bool   `json:"won"`
}

// Notification is one inbox entry of a player. SourceKey is the producing
// event's idempotency key: a player holds at most one notification per key.
type Notification struct {
	ID        string
	PlayerID  string
	Kind      string
	SourceKey string
	Title     string
	Body      string
	// Data is a JSON object (nil stores {}).
	Data      json.RawMessage
	CreatedAt time.Time
	// ReadAt is zero while unread.
	ReadAt time.Time
}

// NotificationPage is one page of an inbox, newest first.
type NotificationPage struct {
	Items []Notification
	// Next is the cursor of the following page, "" on the last one.
	Next string
	// Unread counts the player's unread notifications (all pages).
	Unread int
}

// Segment selects the players a broadcast reaches; the zero Segment is
// everyone.
type Segment struct {
	// Role, when set, keeps players of that role.
	Role Role `json:"role,omitempty"`
	// ActiveSince, when set, keeps players who signed in or refreshed a
	// session since (a refresh token issued at or after it).
	ActiveSince time.Time `json:"activeSince,omitzero"`
}

// Broadcast is one message to a segment of players: an admin's (Kind
// "", meaning KindAdminBroadcast, which no preference mutes), or an
// announcement the notification worker sends to many players (a challenge
// start), which honours the players' in-app choice for its Kind.
type Broadcast struct {
	ID      string  `json:"id"`
	Title   string  `json:"title"`
	Body    string  `json:"body"`
	Segment Segment `json:"segment"`
	// Kind is the notifications' kind; "" is KindAdminBroadcast.
	Kind string `json:"kind,omitempty"`
	// SourceKey is the notifications' source key; "" is "broadcast:<ID>".
	SourceKey string `json:"sourceKey,omitempty"`
	// Data is the notifications' data; nil is {"broadcastId": ID}.
	Data json.RawMessage `json:"data,omitempty"`
}

// NotificationStore keeps the players' inboxes.
type NotificationStore interface {
	// AddNotifications stores each notification whose (player, source key)
	// is new and whose kind the player has not turned off in-app, with a fresh id and the store's clock as CreatedAt, and
	// returns only those it stored, in input order. A notification for a
	// player that no longer exists is skipped. Atomic: all or none.
	AddNotifications(ctx context.Context, ns []Notification) ([]Notification, error)
	// Notifications returns up to limit of the player's notifications,
	// newest first, after cursor ("" starts at the newest), only unread
	// ones when unreadOnly. A cursor that does not decode is ErrBadCursor.
	Notifications(ctx context.Context, playerID string, unreadOnly bool, cursor string, limit int) (NotificationPage, error)
	// MarkNotificationRead marks one of the player's notifications read
	// (again is harmless); another player's or an unknown id is ErrNotFound.
	MarkNotificationRead(ctx context.Context, playerID, id string) error
	// MarkAllNotificationsRead marks every unread notification of the
	// player read and returns how many it marked.
	MarkAllNotificationsRead(ctx context.Context, playerID string) (int, error)
	// DeleteNotification removes one of the player's notifications;
	// another player's or an unknown id is ErrNotFound.
	DeleteNotification(ctx context.Context, playerID, id string) error
	// QueueBroadcast writes b (with a fresh id, returned) as a
	// TopicNotifyBroadcast outbox row; the worker fans it out.
	// Audited (ActionNotificationBroadcast) in the same transaction.
	QueueBroadcast(ctx context.Context, by AuditActor, b Broadcast) (string, error)
	// BroadcastBatch stores b's notification for up to limit players of
	// its segment whose id sorts after after ("" starts at the first), and
	// returns the notifications it stored and the last player id it
	// considered ("" when the segment had no player left). Idempotent per
	// (player, broadcast).
	BroadcastBatch(ctx context.Context, b Broadcast, after string, limit int) ([]Notification, string, error)
	// NotificationPreferences returns the player's choice for every kind of
	// NotificationKinds, in that order; a kind never set has the defaults
	// (in-app on, email off).
	NotificationPreferences(ctx context.Context, playerID string) ([]NotificationPreference, error)
	// SetNotificationPreferences stores the given kinds' choices (others
	// stay) atomically. Callers validate the kinds.
	SetNotificationPreferences(ctx context.Context, playerID string, prefs []NotificationPreference) error
	// PeriodRankBatch returns up to limit standings of the frozen period
	// key whose rank is above afterRank, best first (empty past the last).
	PeriodRankBatch(ctx context.Context, key BoardKey, afterRank, limit int) ([]PeriodStanding, error)
	// TakeUnalerted returns up to limit of the player's unread
	// notifications no socket was sent (never marked alerted), oldest first, and
	// marks them alerted in the same statement, so two nodes never both
	// send one.
	TakeUnalerted(ctx context.Context, playerID string, limit int) ([]Notification, error)
	// MarkAlerted records that notification:alert of the ids reached a
	// socket of their players (ids already marked, or unknown, are skipped).
	MarkAlerted(ctx context.Context, ids []string) error
	// SetPlayerLanguage records the language the player's mails are
	// written in (a canonical code the API speaks); unknown players and ""
	// change nothing.
	SetPlayerLanguage(ctx context.Context, playerID, language string) error
	// EmailRecipients returns, among playerIDs, the players with a verified
	// email address who opted into email for kind.
	EmailRecipients(ctx context.Context, playerIDs []string, kind string) ([]EmailRecipient, error)
}

// EmailRecipient is a player a notification may be mailed to.
type EmailRecipient struct {
	PlayerID string
	Email    string
	Username string
	// Language is the language the player's mails are written in (their
	// last sign-in's), "" for the default.
	Language string
}
