package persistence

import (
	"context"
	"time"
)

// Outbox topics written only for cursor readers (OutboxReader: the
// analytics workers). Each row is written in the transaction of the fact
// it records and is born processed (processed_at set), so the claiming
// consumers' pending index never holds them.
const (
	// TopicGameStarted is written by SessionStore.CreateSession, key the
	// session id, payload GameStartedEvent.
	TopicGameStarted = "game.started"
	// TopicMatchFormed is written by SessionStore.JoinSession when the
	// join fills a match (a matchmaker's or a lobby's), key the session
	// id, payload MatchFormedEvent.
	TopicMatchFormed = "match.formed"
	// TopicSignedUp is written when an account is created (guest, email
	// or wallet sign-up), key the player id, payload SignedUpEvent.
	TopicSignedUp = "account.signed_up"
	// TopicWalletLinked is written when a wallet is linked to a player,
	// key "<playerId>:<chain>:<address hash>", payload WalletLinkedEvent.
	TopicWalletLinked = "wallet.linked"
	// TopicMintStatus is written when a mint request changes status, key
	// "<mintId>:<status>", payload MintStatusEvent.
	TopicMintStatus = "mint.status"
	// TopicAnalyticsClient is written by AnalyticsStore.QueueClientEvents,
	// key "<playerId>:<client key>", payload ClientEvent.
	TopicAnalyticsClient = "analytics.client"
)

// GameStartedEvent is the payload of a game.started outbox row. PlayerIDs
// are the players the session was created with: a matchmaker's match has
// all of them, a lobby only its creator.
type GameStartedEvent struct {
	SessionID   string    `json:"sessionId"`
	Mode        string    `json:"mode"`
	Kind        string    `json:"kind"`
	ChallengeID string    `json:"challengeId,omitempty"`
	PlayerIDs   []string  `json:"playerIds"`
	CreatedAt   time.Time `json:"createdAt"`
}

// MatchFormedEvent is the payload of a match.formed outbox row.
type MatchFormedEvent struct {
	SessionID string    `json:"sessionId"`
	Mode      string    `json:"mode"`
	PlayerIDs []string  `json:"playerIds"`
	At        time.Time `json:"at"`
}

// SignedUpEvent is the payload of an account.signed_up outbox row; Method
// is guest, email or wallet.
type SignedUpEvent struct {
	PlayerID string    `json:"playerId"`
	Method   string    `json:"method"`
	At       time.Time `json:"at"`
}

// WalletLinkedEvent is the payload of a wallet.linked outbox row. It never
// carries the address.
type WalletLinkedEvent struct {
	PlayerID string    `json:"playerId"`
	Chain    string    `json:"chain"`
	At       time.Time `json:"at"`
}

// MintStatusEvent is the payload of a mint.status outbox row.
type MintStatusEvent struct {
	PlayerID string    `json:"playerId"`
	Chain    string    `json:"chain"`
	Status   string    `json:"status"`
	At       time.Time `json:"at"`
}

// ClientEvent is one event a player sent through the analytics endpoint,
// already validated against the catalogue (analytics.ValidateClient).
type ClientEvent struct {
	PlayerID string         `json:"playerId"`
	Key      string         `json:"key"`
	Name     string         `json:"name"`
	Props    map[string]any `json:"props,omitempty"`
	At       time.Time      `json:"at"`
}

// AnalyticsStore queues the events players send (POST /api/v1/analytics/events).
type AnalyticsStore interface {
	// QueueClientEvents writes one TopicAnalyticsClient outbox row per
	// event, all in one statement, keyed "<playerId>:<Key>": an event whose
	// key the player already used is skipped, so a client's retry queues
	// nothing twice. It returns how many rows were new. Events must carry
	// PlayerID and Key; At zero means now.
	QueueClientEvents(ctx context.Context, events []ClientEvent) (int, error)
}
