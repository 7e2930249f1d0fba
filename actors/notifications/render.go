package notifications

import (
	"encoding/json"
	"time"

	"github.com/proofstell/proofstell/internal/placeholders"
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

// TextNamespace is the translations namespace of notification texts.
// Each text has the keys "<text>.title" and "<text>.body" (migration 026
// seeds English and Spanish); their {name} placeholders are the fields of
// the notification's data, whose "text" field names the text. So a reader
// in another language renders a stored notification again (gateway/rest
// does for the inbox) from the same data.
const TextNamespace = "notifications"

// textSource is the English source of a text: what is stored as the
// notification's title and body, and what a language without a
// translation falls back to.
type textSource struct{ title, body string }

// texts are the notification texts by text key.
var texts = map[string]textSource{
	"badge.awarded":       {"Badge earned: {name}", "You earned the {rarity} badge {name}."},
	"challenge.ended":     {"Challenge over: {challengeId}", "You finished #{rank} with {score} points."},
	"challenge.ended.won": {"Challenge over: {challengeId}", "You won with {score} points!"},
	"challenge.started":   {"Challenge started: {title}", "A {mode} challenge is on until {endsAt}. Good luck!"},
	"match.found":         {"Match found", "Your {mode} match is ready: join it now."},
	"mint.accepted":       {"Badge minted", "Your badge is now on {chain}."},
	"mint.failed":         {"Mint failed", "Your badge could not be minted on {chain}; you can retry it."},
	"rank.final":          {"Final rank: #{rank}", "The {mode} {board} board {period} closed: you finished #{rank} with {score} points."},
	"referral.reward":     {"Referral reward", "Your referral played enough ranked games: you both earned a reward."},
}

// Texts returns the English source of every notification text, keyed like
// the translations ("<text>.title", "<text>.body").
func Texts() map[string]string {
	out := make(map[string]string, 2*len(texts))
	for k, t := range texts {
		out[k+".title"], out[k+".body"] = t.title, t.body
	}
	return out
}

// notice builds a notification whose title and body are text filled with
// data's fields; data gains "text" so readers can render it again.
func notice(playerID, kind, sourceKey, text string, data map[string]any) persistence.Notification {
	data["text"] = text
	raw, _ := json.Marshal(data) // scalars only: never fails
	params, src := placeholders.Params(raw), texts[text]
	return persistence.Notification{PlayerID: playerID, Kind: kind, SourceKey: sourceKey,
		Title: placeholders.Fill(src.title, params), Body: placeholders.Fill(src.body, params), Data: raw}
}

// badgeNotification renders a new award.
func badgeNotification(ev persistence.NotifyBadgeEvent) persistence.Notification {
	return notice(ev.PlayerID, persistence.KindBadgeAwarded, "badge:"+ev.BadgeID, "badge.awarded",
		map[string]any{"badgeId": ev.BadgeID, "slug": ev.Slug, "name": ev.Name, "rarity": ev.Rarity})
}

// challengeEndedNotifications renders one notification per standing.
func challengeEndedNotifications(ev persistence.NotifyChallengeEndedEvent) []persistence.Notification {
	out := make([]persistence.Notification, 0, len(ev.Standings))
	for _, st := range ev.Standings {
		text := "challenge.ended"
		if st.Won {
			text = "challenge.ended.won"
		}
		out = append(out, notice(st.PlayerID, persistence.KindChallengeEnded, "challenge.ended:"+ev.ChallengeID, text,
			map[string]any{"challengeId": ev.ChallengeID, "mode": ev.Mode, "rank": st.Rank, "score": st.Score, "won": st.Won}))
	}
	return out
}

// mintNotification renders a mint request's final status.
func mintNotification(ev persistence.NotifyMintEvent) persistence.Notification {
	return notice(ev.PlayerID, persistence.KindMintStatus, "mint:"+ev.MintID+":"+string(ev.Status),
		"mint."+string(ev.Status), map[string]any{"mintId": ev.MintID, "badgeId": ev.BadgeID,
			"chain": string(ev.Chain), "status": string(ev.Status), "txHash": ev.TxHash})
}

// referralNotifications tells both players of a rewarded referral.
func referralNotifications(ev persistence.ReferralRewardedEvent) []persistence.Notification {
	out := make([]persistence.Notification, 0, 2)
	for _, p := range []struct {
		id, role string
		awarded  bool
	}{{ev.ReferrerID, "referrer", ev.ReferrerAwarded}, {ev.ReferredID, "referred", ev.ReferredAwarded}} {
		out = append(out, notice(p.id, persistence.KindReferralReward, "referral:"+ev.ReferralID, "referral.reward",
			map[string]any{"referralId": ev.ReferralID, "role": p.role, "badgeId": ev.BadgeID,
				"badgeName": ev.BadgeName, "badgeAwarded": p.awarded}))
	}
	return out
}

// matchFoundNotifications tells each member of a formed match.
func matchFoundNotifications(ev persistence.NotifyMatchFoundEvent) []persistence.Notification {
	out := make([]persistence.Notification, 0, len(ev.Players))
	for _, id := range ev.Players {
		out = append(out, notice(id, persistence.KindMatchFound, "match:"+ev.SessionID, "match.found",
			map[string]any{"sessionId": ev.SessionID, "mode": ev.Mode}))
	}
	return out
}

// finalRankNotifications tells each standing's player their final rank on
// a closed period.
func finalRankNotifications(ev persistence.PeriodFrozen, batch []persistence.PeriodStanding) []persistence.Notification {
	key := persistence.BoardKey{Mode: ev.Mode, Board: ev.Board, Period: ev.Period}
	out := make([]persistence.Notification, 0, len(batch))
	for _, st := range batch {
		out = append(out, notice(st.PlayerID, persistence.KindFinalRank, "rank.final:"+key.String(), "rank.final",
			map[string]any{"mode": ev.Mode, "board": ev.Board, "period": ev.Period, "rank": st.Rank, "score": st.Score}))
	}
	return out
}

// challengeStartedBroadcast is a challenge's start as a broadcast to the
// players active since activeSince.
func challengeStartedBroadcast(ev persistence.NotifyChallengeStartedEvent, activeSince time.Time) persistence.Broadcast {
	n := notice("", persistence.KindChallengeStart, "challenge.started:"+ev.ChallengeID, "challenge.started",
		map[string]any{"challengeId": ev.ChallengeID, "title": ev.Title, "mode": ev.Mode,
			"endsAt": ev.EndsAt.UTC().Format(time.RFC3339)})
	return persistence.Broadcast{ID: ev.ChallengeID, Title: n.Title, Body: n.Body, Kind: n.Kind, SourceKey: n.SourceKey,
		Data: n.Data, Segment: persistence.Segment{ActiveSince: activeSince}}
}
