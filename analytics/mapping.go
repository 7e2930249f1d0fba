package analytics

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/proofstell/proofstell/persistence"
)

// Outbox topics the analytics workers read, by the names they have here.
const (
	topicBadgeAwarded    = persistence.TopicNotifyBadge
	topicReferralRewards = persistence.TopicReferralRewarded
)

// Topics are the outbox topics Map understands.
func Topics() []string {
	return []string{persistence.TopicSignedUp, persistence.TopicWalletLinked, persistence.TopicGameStarted, persistence.TopicMatchFormed,
		persistence.TopicGameFinished, topicBadgeAwarded, persistence.TopicMintStatus, topicReferralRewards,
		persistence.TopicAnalyticsClient}
}

// Mapper turns outbox rows into catalogue events.
type Mapper struct {
	IDs Identity
}

// Map returns the events of one row, in a fixed order (the order a worker
// sends them and counts its progress through the row in). A row of an
// unknown topic has none; a malformed payload is an error.
func (m Mapper) Map(row persistence.OutboxRow) ([]Event, error) {
	b := builder{m: m, row: row}
	var err error
	switch row.Topic {
	case persistence.TopicSignedUp:
		err = b.signedUp()
	case persistence.TopicWalletLinked:
		err = b.walletLinked()
	case persistence.TopicGameStarted:
		err = b.gameStarted()
	case persistence.TopicMatchFormed:
		err = b.matchFormed()
	case persistence.TopicGameFinished:
		err = b.gameFinished()
	case topicBadgeAwarded:
		err = b.badgeAwarded()
	case persistence.TopicMintStatus:
		err = b.mintStatus()
	case topicReferralRewards:
		err = b.referral()
	case persistence.TopicAnalyticsClient:
		err = b.client()
	}
	if err != nil {
		return nil, fmt.Errorf("map %s %s: %w", row.Topic, row.Key, err)
	}
	return b.out, nil
}

// builder collects the events of one row.
type builder struct {
	m   Mapper
	row persistence.OutboxRow
	out []Event
}

func (b *builder) add(name, player string, at time.Time, props map[string]any) {
	if at.IsZero() {
		at = b.row.CreatedAt
	}
	b.out = append(b.out, Event{
		ID: EventID(b.row.Topic, b.row.Key, name, player), Name: name,
		Player: b.m.IDs.Of(player), Addr: b.m.IDs.Addr(player), Time: at.UTC(), Props: props,
	})
}

func (b *builder) decode(v any) error { return json.Unmarshal(b.row.Payload, v) }

func (b *builder) signedUp() error {
	var e persistence.SignedUpEvent
	if err := b.decode(&e); err != nil {
		return err
	}
	b.add(SignedUp, e.PlayerID, e.At, map[string]any{"method": e.Method})
	return nil
}

func (b *builder) walletLinked() error {
	var e persistence.WalletLinkedEvent
	if err := b.decode(&e); err != nil {
		return err
	}
	b.add(WalletLinked, e.PlayerID, e.At, map[string]any{"chain": e.Chain})
	return nil
}

func (b *builder) mintStatus() error {
	var e persistence.MintStatusEvent
	if err := b.decode(&e); err != nil {
		return err
	}
	b.add(MintStatus, e.PlayerID, e.At, map[string]any{"status": e.Status, "chain": e.Chain})
	return nil
}

func (b *builder) badgeAwarded() error {
	var e struct {
		PlayerID string `json:"playerId"`
		Name     string `json:"name"`
		Rarity   string `json:"rarity"`
	}
	if err := b.decode(&e); err != nil {
		return err
	}
	b.add(BadgeAwarded, e.PlayerID, time.Time{}, map[string]any{"badge": clip(e.Name), "rarity": e.Rarity})
	return nil
}

func (b *builder) referral() error {
	var e persistence.ReferralRewardedEvent
	if err := b.decode(&e); err != nil {
		return err
	}
	b.add(ReferralCompleted, e.ReferrerID, e.RewardedAt, map[string]any{"role": "referrer"})
	b.add(ReferralCompleted, e.ReferredID, e.RewardedAt, map[string]any{"role": "referred"})
	return nil
}

func (b *builder) client() error {
	var e persistence.ClientEvent
	if err := b.decode(&e); err != nil {
		return err
	}
	if err := ValidateClient(e.Name, e.Props); err != nil {
		return err
	}
	props := map[string]any{}
	for k, v := range e.Props {
		if f, ok := v.(float64); ok {
			v = int64(f) // ValidateClient admitted whole numbers only
		}
		props[k] = v
	}
	b.add(e.Name, e.PlayerID, e.At, props)
	return nil
}

// clip bounds a free-text value to what every provider accepts.
func clip(s string) string {
	if len(s) <= MaxStringProp {
		return s
	}
	return s[:MaxStringProp]
}
