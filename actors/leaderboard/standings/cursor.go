package standings

import (
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"
)

// cursorVersion is the first byte of every cursor; bump it when the layout
// changes so old cursors fail cleanly instead of decoding into nonsense.
const cursorVersion = 1

// Bounds that keep decoding cheap whatever a client sends.
const (
	maxCursorPlayerID = 128
	maxCursorChars    = 256
)

// ErrBadCursor is returned (wrapped) for any cursor DecodeCursor rejects.
var ErrBadCursor = errors.New("bad cursor")

var cursorEncoding = base64.RawURLEncoding.Strict()

// EncodeCursor makes an opaque page cursor that resumes after e. It holds
// only the ordering key (score, time, player), not the username.
func EncodeCursor(e Entry) string {
	b := make([]byte, 0, 32+len(e.PlayerID))
	b = append(b, cursorVersion)
	b = binary.AppendVarint(b, e.Score)
	b = binary.AppendVarint(b, e.AchievedAt.Unix())
	b = binary.AppendVarint(b, int64(e.AchievedAt.Nanosecond()))
	b = binary.AppendUvarint(b, uint64(len(e.PlayerID)))
	b = append(b, e.PlayerID...)
	return cursorEncoding.EncodeToString(b)
}

// DecodeCursor reverses EncodeCursor. It accepts only the canonical encoding
// of a valid key; anything else is ErrBadCursor.
func DecodeCursor(s string) (Entry, error) {
	if len(s) > maxCursorChars {
		return Entry{}, fmt.Errorf("decode cursor: too long: %w", ErrBadCursor)
	}
	raw, err := cursorEncoding.DecodeString(s)
	if err != nil {
		return Entry{}, fmt.Errorf("decode cursor: %w: %w", ErrBadCursor, err)
	}
	e, err := parseCursor(raw)
	if err != nil {
		return Entry{}, fmt.Errorf("decode cursor: %w", err)
	}
	if EncodeCursor(e) != s {
		return Entry{}, fmt.Errorf("decode cursor: not canonical: %w", ErrBadCursor)
	}
	return e, nil
}

// cursorReader consumes a cursor's fields, remembering the first failure so
// parseCursor reads as a straight line.
type cursorReader struct {
	b   []byte
	bad bool
}

func (r *cursorReader) varint() int64 {
	v, n := binary.Varint(r.b)
	r.skip(n)
	return v
}

func (r *cursorReader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	r.skip(n)
	return v
}

// skip drops a field of n bytes; n <= 0 is binary's signal for a truncated
// or overlong varint.
func (r *cursorReader) skip(n int) {
	if n <= 0 {
		r.bad, r.b = true, nil
		return
	}
	r.b = r.b[n:]
}

func parseCursor(raw []byte) (Entry, error) {
	if len(raw) == 0 || raw[0] != cursorVersion {
		return Entry{}, fmt.Errorf("unknown version: %w", ErrBadCursor)
	}
	r := cursorReader{b: raw[1:]}
	score := r.varint()
	sec := r.varint()
	nsec := r.varint()
	size := r.uvarint()
	if r.bad || nsec < 0 || nsec >= int64(time.Second) || size == 0 || size > maxCursorPlayerID || size != uint64(len(r.b)) {
		return Entry{}, fmt.Errorf("malformed: %w", ErrBadCursor)
	}
	if !utf8.Valid(r.b) {
		return Entry{}, fmt.Errorf("player id not utf-8: %w", ErrBadCursor)
	}
	return Entry{
		PlayerID:   string(r.b),
		Score:      score,
		AchievedAt: time.Unix(sec, nsec).UTC(),
	}, nil
}
