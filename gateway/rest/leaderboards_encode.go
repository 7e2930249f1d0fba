package rest

import (
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/proofstell/proofstell/actors/leaderboard/standings"
	"github.com/proofstell/proofstell/internal/jsonstr"
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
func writeAround(w http.ResponseWriter, key standings.Key, entries []standings.Ranked, total int) {
	buf := bodyPool.Get().(*[]byte) //nolint:forcetypeassert // the pool holds only *[]byte
	body := appendAround((*buf)[:0], key, entries, total)
	writeBody(w, http.StatusOK, body)
	if cap(body) <= maxPooledBody {
		*buf = body
		bodyPool.Put(buf)
	}
}

// appendAround appends aroundResponse's JSON and encoding/json's trailing
// newline.
func appendAround(b []byte, key standings.Key, entries []standings.Ranked, total int) []byte {
	b = append(b, `{"leaderboardId":`...)
	b = jsonstr.Append(b, string(key.Board))
	b = append(b, `,"mode":`...)
	b = jsonstr.Append(b, key.Mode)
	b = append(b, `,"period":`...)
	b = jsonstr.Append(b, key.Period)
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
	b = jsonstr.Append(b, e.PlayerID)
	b = append(b, `,"username":`...)
	b = jsonstr.Append(b, e.Username)
	b = append(b, `,"score":`...)
	b = strconv.AppendInt(b, e.Score, 10)
	b = append(b, `,"achievedAt":"`...)
	// time.Time's MarshalText format (wireTime); standings times are within
	// years 0-9999, where the two agree.
	b = e.AchievedAt.UTC().AppendFormat(b, time.RFC3339Nano)
	return append(b, `"}`...)
}
