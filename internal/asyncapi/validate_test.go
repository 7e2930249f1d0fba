package asyncapi_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/badges"
	"github.com/proofstell/proofstell/actors/chainwriter"
	"github.com/proofstell/proofstell/actors/events"
	"github.com/proofstell/proofstell/actors/notifications"
	"github.com/proofstell/proofstell/actors/scheduler"
	"github.com/proofstell/proofstell/gateway/ws"
	"github.com/proofstell/proofstell/internal/asyncapi"
)

const (
	gameID   = "0193a4b2-7c1e-7000-8000-00000000a001"
	playerID = "0193a4b2-7c1e-7000-8000-00000000b002"
)

// nativeFrame renders a server frame as the gateway does: {"t","id","d"},
// id left out when 0.
func nativeFrame(t *testing.T, typ string, id int64, payload any) []byte {
	t.Helper()
	f := map[string]any{"t": typ, "d": json.RawMessage(events.Encode(payload))}
	if id != 0 {
		f["id"] = id
	}
	b, err := json.Marshal(f)
	require.NoError(t, err)
	return b
}

// serverPayloads are one payload of every server frame type, built from the
// Go types the server encodes, so the document is checked against the code.
func serverPayloads() map[string]any {
	return map[string]any{
		events.TypeAck: events.SessionAck{SessionID: gameID, Mode: "classic", Board: events.Board{Rows: 3, Cols: 3},
			DurationMs: 30000, Players: []string{playerID}},
		events.TypeError:       events.Error{Code: events.CodeBusy, Message: "busy", RetryAfterMs: 1500},
		events.TypeStateChange: events.StateChange{GameID: gameID, State: events.StatePaused, Reason: events.ReasonMoving, Players: 2},
		events.TypeMole:        events.Mole{GameID: gameID, MoleID: 1, Hole: 4, Kind: "golden", UpMs: 800},
		events.TypeHit:         events.Hit{GameID: gameID, MoleID: 1, Hole: 4, PlayerID: playerID, Points: -3, Score: -3},
		events.TypeMiss:        events.Miss{GameID: gameID, Hole: 4, PlayerID: playerID, Reason: "wrong_hole"},
		events.TypeOver: events.Over{GameID: gameID, Flagged: true,
			Results: []events.Result{{PlayerID: playerID, Score: 27, Hits: 27, Misses: 2}}},
		events.TypeLeaderboardUpdate: events.LeaderboardUpdate{LeaderboardID: "weekly", Mode: "frenzy", Period: "2026-W48",
			Scores: []events.Standing{{Rank: 1, PlayerID: playerID, Username: "mole_k3x9qa", Score: 27,
				AchievedAt: time.Date(2026, 11, 24, 9, 0, 0, 5, time.UTC)}}},
		events.TypePong:         ws.Pong{ServerTime: 1764000000000},
		events.TypeBadgeAwarded: badges.BadgeAwarded{BadgeID: playerID, Name: "First blood", Rarity: "epic"},
		events.TypeMintStatus:   chainwriter.MintStatus{MintID: gameID, Status: "accepted"},
		events.TypePeriodClosed: scheduler.PeriodClosed{Board: "monthly", Mode: "classic", Period: "2026-11"},
		events.TypeMatchmakingStatus: events.QueueStatus{TicketID: gameID, Mode: "classic", WaitedMs: 5000, Window: 8,
			Reason: events.ReasonRequeued},
		events.TypeMatchmakingMatched: events.Matched{SessionID: gameID, Mode: "classic", MaxPlayers: 2,
			Players: []events.MatchedPlayer{{PlayerID: playerID, Username: "mole_k3x9qa"}}},
		events.TypePartyUpdate: events.PartyUpdate{Code: "K7QX2M", LeaderID: playerID, Revision: 2,
			Members: []events.MatchedPlayer{{PlayerID: playerID, Username: "mole_k3x9qa"}}},
		events.TypeChallengeStarted: scheduler.ChallengeStarted{ChallengeID: "daily-2026-12-06", Title: "Daily challenge — 6 December",
			Mode: "frenzy", StartsAt: time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC), EndsAt: time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC),
			MaxAttempts: 3},
		events.TypeChallengeEnded: scheduler.ChallengeEnded{ChallengeID: "daily-2026-12-06", Mode: "frenzy",
			Winners: []scheduler.ChallengeWinner{{PlayerID: playerID, Username: "mole_k3x9qa", Rank: 1, Score: 42}}},
		events.TypeNotificationAlert: notifications.Alert{ID: gameID, Kind: "badge.awarded", Title: "Badge earned: First blood",
			Body: "You earned the epic badge First blood.", Data: json.RawMessage(`{"badgeId":"` + playerID + `"}`),
			CreatedAt: time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)},
		events.TypeSystemMaintenance: events.Maintenance{Enabled: true, Message: "Back soon", Until: &maintenanceEnd},
	}
}

// maintenanceEnd is the announced end of the sample maintenance.
var maintenanceEnd = time.Date(2026, 12, 24, 10, 0, 0, 0, time.UTC)

func TestDocument_ServerFrame_AcceptsWhatTheServerEncodes(t *testing.T) {
	t.Parallel()
	d := embedded(t)
	payloads := serverPayloads()
	require.Len(t, payloads, len(events.ServerFrameTypes()), "one payload per server frame type")
	for typ, payload := range payloads {
		require.NoError(t, d.ServerFrame(nativeFrame(t, typ, 0, payload)), typ)
		require.NoError(t, d.ServerFrame(nativeFrame(t, typ, 7, payload)), typ+" as a reply")
	}
	more := map[string]struct {
		typ     string
		payload any
	}{
		"create ack":  {events.TypeAck, events.CreateAck{SessionID: gameID, Code: "K7QX2M"}},
		"empty ack":   {events.TypeAck, struct{}{}},
		"match ack":   {events.TypeAck, events.SessionAck{SessionID: gameID, Mode: "classic", Board: events.Board{Rows: 4, Cols: 4}, DurationMs: 1, Code: "K7QX2M"}},
		"empty board": {events.TypeLeaderboardUpdate, events.LeaderboardUpdate{LeaderboardID: "global", Mode: "classic", Period: "all", Scores: []events.Standing{}}},
		"countdown":   {events.TypeStateChange, events.StateChange{GameID: gameID, State: events.StateWaiting, StartsInMs: 3000, Players: 1}},
		"aborted":     {events.TypeStateChange, events.StateChange{GameID: gameID, State: events.StateEnded, Reason: events.ReasonAborted}},
		"no tx":       {events.TypeMintStatus, chainwriter.MintStatus{MintID: gameID, Status: "pending"}},
		"queue ack":   {events.TypeAck, events.QueueAck{TicketID: gameID}},
		"party ack":   {events.TypeAck, events.PartyAck{Code: "K7QX2M"}},
		"waiting":     {events.TypeMatchmakingStatus, events.QueueStatus{TicketID: gameID, Mode: "classic", Window: 3}},
		"moving":      {events.TypeMatchmakingStatus, events.QueueStatus{TicketID: gameID, Mode: "classic", Reason: events.ReasonMatchmakerMoving}},
	}
	for name, f := range more {
		require.NoError(t, d.ServerFrame(nativeFrame(t, f.typ, 1, f.payload)), name)
	}
}

func TestDocument_ServerFrame_RefusesWhatDoesNotMatch(t *testing.T) {
	t.Parallel()
	d := embedded(t)
	mole := `"gameId":"` + gameID + `","moleId":1,"hole":4,"upMs":800`
	tests := map[string]string{
		"unknown event":          `{"t":"game:dance","d":{}}`,
		"client message":         `{"t":"game:start","d":{"mode":"classic"}}`,
		"no type":                `{"d":{}}`,
		"not json":               `{"t":`,
		"missing required field": `{"t":"game:mole","d":{` + mole + `}}`,
		"wrong field type":       `{"t":"game:mole","d":{` + mole + `,"kind":7}}`,
		"value outside its enum": `{"t":"game:mole","d":{` + mole + `,"kind":"giant"}}`,
		"unknown field":          `{"t":"game:mole","d":{` + mole + `,"kind":"bomb","x":1}}`,
		"unknown envelope key":   `{"t":"game:mole","x":1,"d":{` + mole + `,"kind":"bomb"}}`,
		"id 0 written out":       `{"t":"game:mole","id":0,"d":{` + mole + `,"kind":"bomb"}}`,
		"no payload":             `{"t":"game:mole"}`,
		"ack of nothing":         `{"t":"ack","id":1,"d":{"sessionId":"` + gameID + `"}}`,
		"error without code":     `{"t":"error","d":{"message":"x"}}`,
		"unknown error code":     `{"t":"error","d":{"code":"oops","message":"x"}}`,
		"upper-case uuid":        `{"t":"game:mole","d":{"gameId":"0193A4B2-7C1E-7000-8000-00000000A001","moleId":1,"hole":4,"upMs":800,"kind":"bomb"}}`,
		"bad timestamp": `{"t":"leaderboard:update","d":{"leaderboardId":"global","period":"all","scores":[` +
			`{"rank":1,"playerId":"` + playerID + `","username":"u","score":1,"achievedAt":"yesterday"}]}}`,
	}
	for name, frame := range tests {
		require.Error(t, d.ServerFrame([]byte(frame)), name)
	}
}

// TestConversation_RepliesAreTheRequestsReplies: a frame answering a
// request must be a reply the request's operation lists.
func TestConversation_RepliesAreTheRequestsReplies(t *testing.T) {
	t.Parallel()
	c := embedded(t).NewConversation()
	c.Sent([]byte(`{"t":"game:start","id":1,"d":{"mode":"classic"}}`))
	c.Sent([]byte(`{"t":"game:whack","id":2,"d":{"sessionId":"` + gameID + `","hole":1,"moleId":1}}`))
	payloads := serverPayloads()
	create := events.CreateAck{SessionID: gameID, Code: "K7QX2M"}

	require.NoError(t, c.Received(nativeFrame(t, events.TypeAck, 1, payloads[events.TypeAck])))
	require.NoError(t, c.Received(nativeFrame(t, events.TypeError, 1, payloads[events.TypeError])))
	require.Error(t, c.Received(nativeFrame(t, events.TypeAck, 1, create)), "game:create's ack answers no game:start")
	require.Error(t, c.Received(nativeFrame(t, events.TypeHit, 1, payloads[events.TypeHit])), "a hit answers no game:start")
	require.NoError(t, c.Received(nativeFrame(t, events.TypeMiss, 2, payloads[events.TypeMiss])))
	require.Error(t, c.Received(nativeFrame(t, events.TypeAck, 2, struct{}{})), "a whack is not acked")
	require.NoError(t, c.Received(nativeFrame(t, events.TypeAck, 3, create)), "an id never sent is checked by type only")

	c.Sent([]byte(`{"t":"game:create","id":1,"d":{"mode":"classic","maxPlayers":2}}`))
	require.NoError(t, c.Received(nativeFrame(t, events.TypeAck, 1, create)), "a reused id answers either request")

	c.Sent([]byte(`{"t":"game:dance","id":4,"d":{}}`))
	require.NoError(t, c.Received(nativeFrame(t, events.TypeError, 4, events.Error{Code: events.CodeUnknownType, Message: "unknown frame type"})))
	require.Error(t, c.Received(nativeFrame(t, events.TypeAck, 4, struct{}{})), "an unknown request can only be refused")
}

func TestDocument_SocketIOEvent(t *testing.T) {
	t.Parallel()
	d := embedded(t)
	for typ, payload := range serverPayloads() {
		args, err := json.Marshal([]any{typ, json.RawMessage(events.Encode(payload))})
		require.NoError(t, err)
		require.NoError(t, d.SocketIOEvent(args), typ)
	}
	require.NoError(t, d.SocketIOEvent([]byte(`["connection:close",{"code":4001,"reason":"token_expired"}]`)))
	for name, args := range map[string]string{
		"unknown event":        `["game:dance",{}]`,
		"not an array":         `{"t":"pong","d":{"serverTime":1}}`,
		"missing payload":      `["pong"]`,
		"extra argument":       `["pong",{"serverTime":1},2]`,
		"wrong payload type":   `["pong",{"serverTime":"now"}]`,
		"unknown close code":   `["connection:close",{"code":4999,"reason":"x"}]`,
		"close without reason": `["connection:close",{"code":4001}]`,
	} {
		require.Error(t, d.SocketIOEvent([]byte(args)), name)
	}
}

func TestDocument_SocketIOAck(t *testing.T) {
	t.Parallel()
	d := embedded(t)
	payloads := serverPayloads()
	ack := func(payload any) []byte {
		b, err := json.Marshal([]any{json.RawMessage(events.Encode(payload))})
		require.NoError(t, err)
		return b
	}
	require.NoError(t, d.SocketIOAck("game:start", ack(payloads[events.TypeAck])))
	require.NoError(t, d.SocketIOAck("game:whack", ack(payloads[events.TypeHit])))
	require.NoError(t, d.SocketIOAck("game:whack", ack(payloads[events.TypeMiss])))
	require.NoError(t, d.SocketIOAck("ping", ack(payloads[events.TypePong])))
	require.NoError(t, d.SocketIOAck("game:join", []byte(`[{"error":{"code":"session_not_found","message":"no open match has that code"}}]`)))

	require.Error(t, d.SocketIOAck("game:start", ack(payloads[events.TypeHit])), "not a reply to game:start")
	require.Error(t, d.SocketIOAck("game:start", []byte(`[{"error":{"code":"nope","message":""}}]`)), "unknown error code")
	require.Error(t, d.SocketIOAck("game:start", []byte(`[]`)), "no arguments")
	require.NoError(t, d.SocketIOAck("no:such-type", []byte(`[{"error":{"code":"unknown_type","message":"unknown frame type"}}]`)),
		"an unknown emit is refused")
	require.Error(t, d.SocketIOAck("no:such-type", []byte(`[{}]`)), "an unknown emit can only be refused")
}

func TestDocument_SocketIOConnectError(t *testing.T) {
	t.Parallel()
	d := embedded(t)
	require.NoError(t, d.SocketIOConnectError([]byte(`{"message":"token expired","data":{"code":"token_expired"}}`)))
	require.Error(t, d.SocketIOConnectError([]byte(`{"message":"nope","data":{"code":"nope"}}`)))
	require.Error(t, d.SocketIOConnectError([]byte(`{"message":"no data"}`)))
}

// TestValidate_FailsTheTest: the helpers other tests use report a bad frame.
func TestValidate_FailsTheTest(t *testing.T) {
	t.Parallel()
	bad := map[string]func(tb testing.TB){
		"ValidateServerFrame":          func(tb testing.TB) { asyncapi.ValidateServerFrame(tb, []byte(`{"t":"pong","d":{}}`)) },
		"ValidateSocketIOEvent":        func(tb testing.TB) { asyncapi.ValidateSocketIOEvent(tb, []byte(`["pong",{}]`)) },
		"ValidateSocketIOAck":          func(tb testing.TB) { asyncapi.ValidateSocketIOAck(tb, "ping", []byte(`[{}]`)) },
		"ValidateSocketIOConnectError": func(tb testing.TB) { asyncapi.ValidateSocketIOConnectError(tb, []byte(`{}`)) },
		"Check.Received":               func(tb testing.TB) { asyncapi.NewCheck(tb).Received([]byte(`{"t":"pong","d":{}}`)) },
	}
	for name, validate := range bad {
		rec := &recorder{TB: t}
		validate(rec)
		require.True(t, rec.failed, name)
	}
	rec := &recorder{TB: t}
	asyncapi.ValidateServerFrame(rec, []byte(`{"t":"pong","id":1,"d":{"serverTime":1}}`))
	require.False(t, rec.failed)
}

// recorder is a testing.TB that notes a failure instead of failing.
type recorder struct {
	testing.TB
	failed bool
}

func (r *recorder) Helper()               { r.TB.Helper() }
func (r *recorder) Errorf(string, ...any) { r.failed = true }
func (r *recorder) Fatalf(string, ...any) { r.failed = true }
