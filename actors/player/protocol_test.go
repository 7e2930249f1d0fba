package player

import (
	"encoding/json"
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/events"
	"github.com/proofstell/proofstell/internal/strictjson"
)

// documentedMessages reads the client-message table of docs/PROTOCOL.md
// (§3): each row's type and the payload keys its example shows.
func documentedMessages(t testing.TB) map[string][]string {
	t.Helper()
	raw, err := os.ReadFile("../../docs/PROTOCOL.md")
	require.NoError(t, err)
	doc := string(raw)
	start := strings.Index(doc, "## 3. Client messages")
	require.GreaterOrEqual(t, start, 0, "PROTOCOL.md has no client-message section")
	section := doc[start+len("## 3."):]
	if end := strings.Index(section, "\n## "); end >= 0 {
		section = section[:end]
	}
	typeCell := regexp.MustCompile("^`([^`]+)`$")
	key := regexp.MustCompile(`[{,]"([A-Za-z]+)"`)
	messages := map[string][]string{}
	for _, line := range strings.Split(section, "\n") {
		cells := strings.Split(strings.ReplaceAll(line, `\|`, "/"), "|")
		if len(cells) < 4 {
			continue
		}
		m := typeCell.FindStringSubmatch(strings.TrimSpace(cells[1]))
		if m == nil {
			continue
		}
		keys := []string{}
		for _, k := range key.FindAllStringSubmatch(cells[2], -1) {
			keys = append(keys, k[1])
		}
		messages[m[1]] = keys
	}
	require.NotEmpty(t, messages, "no client messages found in PROTOCOL.md")
	return messages
}

func TestClientMessages_MatchTheDocumentedProtocol(t *testing.T) {
	t.Parallel()
	documented := documentedMessages(t)
	table := map[string][]string{}
	for _, m := range ClientMessages() {
		table[m.Type()] = strictjson.FieldNames(reflect.New(m.body).Interface())
	}
	require.Equal(t, documented, table, "docs/PROTOCOL.md §3 and the protocol table list the same types and payload keys")
}

func TestClientMessages_RowsAreComplete(t *testing.T) {
	t.Parallel()
	for _, m := range ClientMessages() {
		t.Run(m.Type(), func(t *testing.T) {
			t.Parallel()
			got, ok := ClientMessageOf(m.Type())
			require.True(t, ok)
			require.Equal(t, m.Type(), got.Type())
			require.NotNil(t, m.decode)
			require.Equal(t, m.ToActor(), m.Type() != TypePing, "only ping is answered by the gateway")
		})
	}
}

func TestClientMessageOf_UnknownType(t *testing.T) {
	t.Parallel()
	for _, typ := range []string{"", "game:cheat", "GAME:START", "pong", "ack"} {
		_, ok := ClientMessageOf(typ)
		require.False(t, ok, typ)
	}
}

func TestClientMessage_Decode(t *testing.T) {
	t.Parallel()
	const session = "0b0e5f3a-8c1d-4f7e-9a2b-3c4d5e6f7a8b"
	tests := []struct {
		name    string
		typ     string
		payload string
		want    any
		err     error  // a sentinel, or nil
		message string // else a part of the error's message, or "" for success
	}{
		{"whack", TypeWhack, `{"sessionId":"` + strings.ToUpper(session) + `","hole":0,"moleId":2}`, Whack{SessionID: session, MoleID: 2}, nil, ""},
		{"whack without hole", TypeWhack, `{"sessionId":"` + session + `","moleId":2}`, nil, nil, "hole must be 0..63"},
		{"whack null hole", TypeWhack, `{"sessionId":"` + session + `","hole":null,"moleId":2}`, nil, nil, "hole must be 0..63"},
		{"whack unknown key", TypeWhack, `{"sessionId":"` + session + `","hole":1,"moleId":2,"score":9}`, nil, nil, "unknown field"},
		{"start", TypeStartGame, `{"mode":"classic"}`, StartGame{Mode: "classic"}, nil, ""},
		{"start challenge", TypeStartGame, `{"challengeId":"daily-2026-11-24"}`, StartGame{ChallengeID: "daily-2026-11-24"}, nil, ""},
		{"start challenge bad id", TypeStartGame, `{"challengeId":"Bad/Id"}`, nil, nil, "challengeId must be"},
		{"start challenge too long", TypeStartGame, `{"challengeId":"` + strings.Repeat("a", 32) + `"}`, nil, nil, "challengeId must be"},
		{"start challenge and mode", TypeStartGame, `{"challengeId":"c-1","mode":"classic"}`, nil, nil, "not both"},
		{"subscribe challenge board", TypeSubscribeLeaderboard, `{"leaderboardId":"challenge","mode":"frenzy"}`,
			SubscribeLeaderboard{LeaderboardID: "challenge", Mode: "frenzy"}, nil, ""},
		{"start absent", TypeStartGame, ``, nil, ErrNoPayload, ""},
		{"start null", TypeStartGame, `null`, nil, ErrNoPayload, ""},
		{"start not object", TypeStartGame, `[]`, nil, ErrPayloadNotObject, ""},
		{"ping absent", TypePing, ``, Ping{}, nil, ""},
		{"ping null", TypePing, `null`, Ping{}, nil, ""},
		{"ping empty", TypePing, `{}`, Ping{}, nil, ""},
		{"ping not object", TypePing, `1`, nil, ErrPayloadNotObject, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m, ok := ClientMessageOf(tt.typ)
			require.True(t, ok)
			got, err := m.Decode(json.RawMessage(tt.payload))
			switch {
			case tt.err != nil:
				require.ErrorIs(t, err, tt.err)
			case tt.message != "":
				require.ErrorContains(t, err, tt.message)
			default:
				require.NoError(t, err)
			}
			require.Equal(t, tt.want, got)
		})
	}
}

// TestActor_RefusesCommandsOutsideTheTable: a body no row sends to the actor
// (ping, or anything else) is answered unknown_type, as before the table.
func TestActor_RefusesCommandsOutsideTheTable(t *testing.T) {
	f := newFixture(t)
	for i, body := range []any{Ping{}, struct{}{}, &Whack{}, nil} {
		id := int64(i + 1)
		f.command(id, body)
		frame := f.conn.next(t)
		require.Equal(t, events.TypeError, frame.Type)
		require.Equal(t, id, frame.ID)
		var e events.Error
		require.NoError(t, json.Unmarshal(frame.Data, &e))
		require.Equal(t, events.Error{Code: events.CodeUnknownType, Message: "unknown command"}, e)
	}
}
