package chaintest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
)

// transport is the HTTP side both fake nodes share: a local server, the
// injected transport faults and JSON-RPC 2.0 framing. The node supplies
// dispatch, which runs one decoded request.
type transport struct {
	// URL is the node's JSON-RPC endpoint.
	URL      string
	srv      *httptest.Server
	release  chan struct{}
	calls    atomic.Int64
	dispatch func(rpcRequest) (any, *rpcError)
	faultMu  sync.Mutex
	fault    Fault
}

// startTransport serves dispatch on a local port until the test ends.
func startTransport(t testing.TB, dispatch func(rpcRequest) (any, *rpcError)) *transport {
	t.Helper()
	tr := &transport{release: make(chan struct{}), dispatch: dispatch}
	tr.srv = httptest.NewServer(http.HandlerFunc(tr.serveHTTP))
	tr.URL = tr.srv.URL
	t.Cleanup(func() {
		close(tr.release) // frees requests held by FaultTimeout
		tr.srv.Close()
	})
	return tr
}

// SetFault makes every following request fail with f until FaultNone:
// the connection dropped, no answer, HTTP 429, or (FaultWrongResult)
// results of the wrong shape.
func (tr *transport) SetFault(f Fault) {
	tr.faultMu.Lock()
	defer tr.faultMu.Unlock()
	tr.fault = f
}

// Calls counts the JSON-RPC requests the node received.
func (tr *transport) Calls() int64 { return tr.calls.Load() }

// currentFault reads the injected fault.
func (tr *transport) currentFault() Fault {
	tr.faultMu.Lock()
	defer tr.faultMu.Unlock()
	return tr.fault
}

// serveHTTP applies the fault, then answers one JSON-RPC request.
func (tr *transport) serveHTTP(w http.ResponseWriter, r *http.Request) {
	tr.calls.Add(1)
	switch tr.currentFault() {
	case FaultDown:
		hijackAndClose(w)
	case FaultTimeout:
		select {
		case <-r.Context().Done():
		case <-tr.release:
		}
	case FaultRateLimited:
		http.Error(w, "too many requests", http.StatusTooManyRequests)
	default:
		tr.serveRPC(w, r)
	}
}

// serveRPC decodes one JSON-RPC 2.0 request and writes its reply.
func (tr *transport) serveRPC(w http.ResponseWriter, r *http.Request) {
	var req rpcRequest
	reply := rpcReply{JSONRPC: "2.0", ID: json.RawMessage("null")}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&req); err != nil || req.JSONRPC != "2.0" {
		reply.Error = &rpcError{Code: codeParse, Message: "Parse error"}
	} else {
		reply.ID = req.ID
		reply.Result, reply.Error = tr.dispatch(req)
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(reply)
}

// hijackAndClose drops the connection without writing a byte.
func hijackAndClose(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic("chaintest: response writer cannot hijack")
	}
	conn, _, err := hj.Hijack()
	if err == nil {
		_ = conn.Close()
	}
}
