package ws

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/events"
	"github.com/proofstell/proofstell/actors/player"
)

// Every message of the client protocol table is a known frame type here:
// the gateway decodes by the table, so a frame of each type is refused for
// its payload at most, never as an unknown type.
func TestDecodeCommand_KnowsEveryTableMessage(t *testing.T) {
	t.Parallel()
	for _, m := range player.ClientMessages() {
		t.Run(m.Type(), func(t *testing.T) {
			t.Parallel()
			raw := []byte(`{"t":"` + m.Type() + `","id":3,"d":{"unknown":1}}`)
			_, derr := DecodeCommand(raw, time.Time{})
			require.NotNil(t, derr)
			require.Equal(t, events.CodeBadRequest, derr.Code)
			require.Equal(t, int64(3), derr.ID)
			require.Equal(t, `invalid payload: unknown field "unknown"`, derr.Message)
		})
	}
}

func TestDecodeCommand_RefusesTypesOutsideTheTable(t *testing.T) {
	t.Parallel()
	for _, typ := range []string{"game:cheat", "pong", "ack", "GAME:WHACK", "game:whack "} {
		_, derr := DecodeCommand([]byte(`{"t":"`+typ+`","id":9,"d":{}}`), time.Time{})
		require.Equal(t, &DecodeError{ID: 9, Code: events.CodeUnknownType, Message: "unknown frame type"}, derr, typ)
	}
}
