package rest

import (
	"net/http"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/proofstell/proofstell/actors/leaderboard/standings"
)

// The around-me body is encoded by hand: through encoding/json (reflection,
// the standingJSON copy, the Encoder) it was 10 % of the read's CPU and
// most of its garbage, and a read served without a grain request has little
// else to do. The bytes are exactly what encoding/json writes for
// aroundResponse (TestAppendAround_MatchesEncodingJSON,
// FuzzAppendJSONString), so clients and the OpenAPI schema see no change.

// bodyPool recycles response buffers; an around-me body of the default
// radius is about 1.5 KB.
var bodyPool = sync.Pool{New: func() any { b := make([]byte, 0, 2048); return &b }}

// maxPooledBody keeps a rare huge body from pinning its buffer in the pool.
const maxPooledBody = 64 << 10

// writeAround writes the around-me body with status 200.
func writeAround(w http.ResponseWriter, board, period string, entries []standings.Ranked, total int) {
	buf := bodyPool.Get().(*[]byte) //nolint:forcetypeassert // the pool holds only *[]byte
	body := appendAround((*buf)[:0], board, period, entries, total)
	writeBody(w, http.StatusOK, body)
	if cap(body) <= maxPooledBody {
		*buf = body
		bodyPool.Put(buf)
	}
}

// appendAround appends aroundResponse's JSON and encoding/json's trailing
// newline.
func appendAround(b []byte, board, period string, entries []standings.Ranked, total int) []byte {
	b = append(b, `{"leaderboardId":`...)
	b = appendJSONString(b, board)
	b = append(b, `,"period":`...)
	b = appendJSONString(b, period)
	b = append(b, `,"entries":[`...)
	for i, e := range entries {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendStanding(b, e)
	}
	b = append(b, `],"total":`...)
	b = strconv.AppendInt(b, int64(total), 10)
	return append(b, "}\n"...)
}

// appendStanding appends one standingJSON.
func appendStanding(b []byte, e standings.Ranked) []byte {
	b = append(b, `{"rank":`...)
	b = strconv.AppendInt(b, int64(e.Rank), 10)
	b = append(b, `,"playerId":`...)
	b = appendJSONString(b, e.PlayerID)
	b = append(b, `,"username":`...)
	b = appendJSONString(b, e.Username)
	b = append(b, `,"score":`...)
	b = strconv.AppendInt(b, e.Score, 10)
	b = append(b, `,"achievedAt":"`...)
	// time.Time's MarshalText format (wireTime); standings times are within
	// years 0-9999, where the two agree.
	b = e.AchievedAt.UTC().AppendFormat(b, time.RFC3339Nano)
	return append(b, `"}`...)
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends s quoted the way encoding/json does with HTML
// escaping on (its default): <, > and & as \u003c..., control characters
// escaped, invalid UTF-8 as \ufffd, U+2028 and U+2029 escaped.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if jsonSafe(c) {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			b = appendEscapedByte(b, c)
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, `\u202`...)
			b = append(b, hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// jsonSafe reports whether an ASCII byte is written as is.
func jsonSafe(c byte) bool {
	return c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
}

// appendEscapedByte escapes an unsafe ASCII byte as encoding/json does.
func appendEscapedByte(b []byte, c byte) []byte {
	switch c {
	case '"', '\\':
		return append(b, '\\', c)
	case '\b':
		return append(b, '\\', 'b')
	case '\f':
		return append(b, '\\', 'f')
	case '\n':
		return append(b, '\\', 'n')
	case '\r':
		return append(b, '\\', 'r')
	case '\t':
		return append(b, '\\', 't')
	default:
		return append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
	}
}
