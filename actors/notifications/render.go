package notifications

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/proofstell/proofstell/persistence"
)

// Alert is the payload of notification:alert.
type Alert struct {
	ID        string          `json:"id"`
	Kind      string          `json:"kind"`
	Title     string          `json:"title"`
	Body      string          `json:"body"`
	Data      json.RawMessage `json:"data"`
	CreatedAt time.Time       `json:"createdAt"`
}

// NewAlert renders a stored notification as its alert.
func NewAlert(n persistence.Notification) Alert {
	data := n.Data
	if len(data) == 0 {
		data = json.RawMessage("{}")
	}
	return Alert{ID: n.ID, Kind: n.Kind, Title: n.Title, Body: n.Body, Data: data, CreatedAt: n.CreatedAt.UTC()}
}

// badgeNotification renders a new award.
func badgeNotification(ev persistence.NotifyBadgeEvent) persistence.Notification {
	data, _ := json.Marshal(map[string]string{"badgeId": ev.BadgeID, "name": ev.Name, "rarity": ev.Rarity})
	return persistence.Notification{PlayerID: ev.PlayerID, Kind: persistence.KindBadgeAwarded,
		SourceKey: "badge:" + ev.BadgeID, Title: "Badge earned: " + ev.Name,
		Body: fmt.Sprintf("You earned the %s badge %s.", ev.Rarity, ev.Name), Data: data}
}

// challengeEndedNotifications renders one notification per standing.
func challengeEndedNotifications(ev persistence.NotifyChallengeEndedEvent) []persistence.Notification {
	out := make([]persistence.Notification, 0, len(ev.Standings))
	for _, st := range ev.Standings {
		data, _ := json.Marshal(struct {
			ChallengeID string `json:"challengeId"`
			Mode        string `json:"mode"`
			Rank        int    `json:"rank"`
			Score       int64  `json:"score"`
			Won         bool   `json:"won"`
		}{ev.ChallengeID, ev.Mode, st.Rank, st.Score, st.Won})
		body := fmt.Sprintf("You finished #%d with %d points.", st.Rank, st.Score)
		if st.Won {
			body = fmt.Sprintf("You won with %d points!", st.Score)
		}
		out = append(out, persistence.Notification{PlayerID: st.PlayerID, Kind: persistence.KindChallengeEnded,
			SourceKey: "challenge.ended:" + ev.ChallengeID, Title: "Challenge over", Body: body, Data: data})
	}
	return out
}
