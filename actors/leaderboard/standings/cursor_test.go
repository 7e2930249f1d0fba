package standings

import (
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestEncodeCursor_RoundTrip(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		e    Entry
	}{
		{"typical", Entry{PlayerID: "3f1c6a2e-8d7b-4c1a-9e2f-0a1b2c3d4e5f", Score: 42, AchievedAt: time.Date(2026, 11, 24, 10, 0, 0, 123456789, time.UTC)}},
		{"negative score", Entry{PlayerID: "p", Score: -7, AchievedAt: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}},
		{"before epoch", Entry{PlayerID: "p", Score: 1, AchievedAt: time.Date(1960, 1, 1, 0, 0, 0, 5, time.UTC)}},
		{"unicode id", Entry{PlayerID: "jöé-🐹", Score: 1 << 40, AchievedAt: time.Unix(0, 0).UTC()}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := EncodeCursor(tt.e)
			got, err := DecodeCursor(s)
			require.NoError(t, err)
			require.Equal(t, tt.e.PlayerID, got.PlayerID)
			require.Equal(t, tt.e.Score, got.Score)
			require.True(t, tt.e.AchievedAt.Equal(got.AchievedAt))
			require.Zero(t, Compare(tt.e, got))
		})
	}
}

func TestDecodeCursor_Rejects(t *testing.T) {
	t.Parallel()
	valid := EncodeCursor(Entry{PlayerID: "p1", Score: 3, AchievedAt: time.Unix(100, 0)})
	raw := func(b ...byte) string { return base64.RawURLEncoding.EncodeToString(b) }
	tests := []struct {
		name string
		in   string
	}{
		{"empty", ""},
		{"not base64", "!!!"},
		{"padded base64", valid + "="},
		{"std alphabet", strings.ReplaceAll(strings.ReplaceAll(valid, "-", "+"), "_", "/") + "+"},
		{"wrong version", raw(2, 6, 200, 1, 0, 2, 'p', '1')},
		{"truncated", valid[:len(valid)-2]},
		{"trailing bytes", raw(1, 6, 200, 1, 0, 1, 'p', '1')},
		{"empty player", raw(1, 6, 200, 1, 0, 0)},
		{"nanos out of range", raw(1, 6, 200, 1, 0x80, 0xa8, 0xd6, 0xb9, 0x07, 1, 'p')},
		{"negative nanos", raw(1, 6, 200, 1, 1, 1, 'p')},
		{"overlong varint", raw(1, 0x86, 0x00, 200, 1, 0, 1, 'p')},
		{"invalid utf-8", raw(1, 6, 200, 1, 0, 1, 0xff)},
		{"too long", strings.Repeat("A", 300)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := DecodeCursor(tt.in)
			require.ErrorIs(t, err, ErrBadCursor)
		})
	}
}

func FuzzDecodeCursor(f *testing.F) {
	f.Add(EncodeCursor(Entry{PlayerID: "p1", Score: 3, AchievedAt: time.Unix(100, 5)}))
	f.Add("")
	f.Add("AQ")
	f.Add("AQYA_____________________w")
	f.Fuzz(func(t *testing.T, s string) {
		e, err := DecodeCursor(s)
		if err != nil {
			require.ErrorIs(t, err, ErrBadCursor)
			return
		}
		require.Equal(t, s, EncodeCursor(e))
	})
}
