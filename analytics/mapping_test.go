package analytics

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/persistence"
)

func TestMapper_Map(t *testing.T) {
	t.Parallel()
	m := Mapper{IDs: NewIdentity("k")}
	at := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name  string
		topic string
		body  string
		want  []string // event names in order
		props map[string]any
	}{
		{"finished solo", "game.finished", `{"mode":"classic","flagged":false,"startedAt":"2026-12-06T09:59:00Z","endedAt":"2026-12-06T10:00:00Z","players":[{"playerId":"p","score":40,"hits":4,"misses":1}]}`,
			[]string{GameFinished}, map[string]any{"mode": "classic", "score": int64(40), "hits": int64(4), "misses": int64(1), "flagged": false, "duration_ms": int64(60000)}},
		{"finished flagged, no startedAt (an older row)", "game.finished", `{"mode":"classic","flagged":true,"endedAt":"2026-12-06T10:00:00Z","players":[{"playerId":"p","score":1}]}`,
			[]string{GameFinished, GameFlagged}, map[string]any{"mode": "classic", "score": int64(1), "hits": int64(0), "misses": int64(0), "flagged": true}},
		{"match with one cheater: counted and flagged apart", "game.finished", `{"mode":"classic","flagged":false,"endedAt":"2026-12-06T10:00:00Z","players":[{"playerId":"p","score":9}],"flaggedPlayers":["q"]}`,
			[]string{GameFinished, GameFlagged}, map[string]any{"mode": "classic", "score": int64(9), "hits": int64(0), "misses": int64(0), "flagged": false}},
		{"started solo challenge", persistence.TopicGameStarted, `{"sessionId":"s","mode":"classic","kind":"solo","challengeId":"c1","playerIds":["p"]}`,
			[]string{GameStarted, ChallengeAttempted}, map[string]any{"mode": "classic", "kind": "solo", "challenge_id": "c1"}},
		{"started match (its host)", persistence.TopicGameStarted, `{"sessionId":"s","mode":"classic","kind":"match","playerIds":["p"]}`,
			[]string{GameStarted}, map[string]any{"mode": "classic", "kind": "match", "match_id": "s"}},
		{"match formed", persistence.TopicMatchFormed, `{"sessionId":"s","mode":"classic","playerIds":["p","q"]}`,
			[]string{MatchFormed, MatchFormed}, map[string]any{"mode": "classic", "players": int64(2), "match_id": "s"}},
		{"badge", persistence.TopicNotifyBadge, `{"playerId":"p","badgeId":"b","name":"First Whack","rarity":"common"}`,
			[]string{BadgeAwarded}, map[string]any{"badge": "First Whack", "rarity": "common"}},
		{"referral", persistence.TopicReferralRewarded, `{"referrerId":"p","referredId":"q"}`,
			[]string{ReferralCompleted, ReferralCompleted}, map[string]any{"role": "referrer"}},
		{"signed up", persistence.TopicSignedUp, `{"playerId":"p","method":"guest"}`, []string{SignedUp}, map[string]any{"method": "guest"}},
		{"wallet", persistence.TopicWalletLinked, `{"playerId":"p","chain":"starknet"}`, []string{WalletLinked}, map[string]any{"chain": "starknet"}},
		{"mint", persistence.TopicMintStatus, `{"playerId":"p","chain":"stellar","status":"confirmed"}`, []string{MintStatus}, map[string]any{"status": "confirmed", "chain": "stellar"}},
		{"client", persistence.TopicAnalyticsClient, `{"playerId":"p","key":"k1","name":"tutorial_completed","props":{"step":2}}`,
			[]string{TutorialCompleted}, map[string]any{"step": int64(2)}},
		{"other topics have no events", "notify.broadcast", `{}`, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			row := persistence.OutboxRow{OutboxMessage: persistence.OutboxMessage{Topic: tt.topic, Key: "k", Payload: []byte(tt.body)}, CreatedAt: at}
			got, err := m.Map(row)
			require.NoError(t, err)
			var names []string
			for _, e := range got {
				names = append(names, e.Name)
				require.Equal(t, EventID(tt.topic, "k", e.Name, playerOf(t, m, e)), e.ID)
				require.False(t, e.Time.IsZero())
			}
			require.Equal(t, tt.want, names)
			if len(got) > 0 {
				require.Equal(t, tt.props, got[0].Props)
				require.Equal(t, m.IDs.Of("p"), got[0].Player, "pseudonymous, never the player id")
			}
		})
	}
}

// playerOf finds which test player an event's pseudonymous id stands for.
func playerOf(t *testing.T, m Mapper, e Event) string {
	t.Helper()
	for _, p := range []string{"p", "q"} {
		if m.IDs.Of(p) == e.Player {
			return p
		}
	}
	t.Fatalf("unknown player %s", e.Player)
	return ""
}

func TestMapper_MapMalformed(t *testing.T) {
	t.Parallel()
	m := Mapper{IDs: NewIdentity("k")}
	for _, tt := range []struct{ topic, body string }{
		{"game.finished", `{`},
		{persistence.TopicAnalyticsClient, `{"playerId":"p","name":"game_finished","props":{"mode":"x"}}`},
	} {
		_, err := m.Map(persistence.OutboxRow{OutboxMessage: persistence.OutboxMessage{Topic: tt.topic, Key: "k", Payload: []byte(tt.body)}})
		require.Error(t, err, tt.topic)
	}
}
