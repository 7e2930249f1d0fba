// Package restbench is the bare baseline of the REST benchmark (bench/rest):
// a chi router that serves a fixed leaderboard body on the same route
// pattern as the real API, with no middleware, actors or stores. Comparing
// the real endpoint's requests/s with this one's isolates what ProofStell
// adds on top of routing and writing the bytes. It lives under gateway/rest
// because chi may be imported only there.
package restbench

import (
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"
)

// BoardRoute is the route pattern of the real top-N endpoint.
const BoardRoute = "/api/v1/leaderboards/{board}"

// NewBaseline returns a handler answering GET BoardRoute with body, verbatim,
// as application/json. body is shared and never modified.
func NewBaseline(body []byte) http.Handler {
	length := strconv.Itoa(len(body))
	r := chi.NewRouter()
	r.Get(BoardRoute, func(w http.ResponseWriter, _ *http.Request) {
		h := w.Header()
		h.Set("Content-Type", "application/json")
		h.Set("Content-Length", length)
		_, _ = w.Write(body) // a failed write means the client left
	})
	return r
}
