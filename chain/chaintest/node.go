package chaintest

import (
	"fmt"
	"math/big"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"
)

// Fault is a failure the node injects into every request until cleared.
type Fault int

// Injectable faults.
const (
	// FaultNone serves normally.
	FaultNone Fault = iota
	// FaultDown drops every connection without an answer.
	FaultDown
	// FaultTimeout never answers; the request ends when the client gives up.
	FaultTimeout
	// FaultRateLimited answers HTTP 429.
	FaultRateLimited
	// FaultWrongResult answers starknet_call with a result of the wrong shape.
	FaultWrongResult
)

// Node is a fake StarkNet JSON-RPC node listening on a local HTTP port.
type Node struct {
	// URL is the node's JSON-RPC endpoint.
	URL      string
	chainID  string
	srv      *httptest.Server
	release  chan struct{}
	mu       sync.Mutex
	accounts map[string]*Account
	fault    Fault
	calls    atomic.Int64
	ledger   *ledger
}

// NewNode starts a node reporting chainID (e.g. "SN_SEPOLIA"); it stops when
// the test ends.
func NewNode(t testing.TB, chainID string) *Node {
	t.Helper()
	n := &Node{chainID: chainID, accounts: map[string]*Account{}, release: make(chan struct{}), ledger: newLedger()}
	n.srv = httptest.NewServer(http.HandlerFunc(n.serveHTTP))
	n.URL = n.srv.URL
	t.Cleanup(func() {
		close(n.release)
		n.srv.Close()
	})
	return n
}

// NewAccount deploys a fresh account of kind with newly generated keys.
func (n *Node) NewAccount(t testing.TB, kind Kind) *Account {
	t.Helper()
	a, err := newAccount(kind)
	require.NoError(t, err)
	n.mu.Lock()
	defer n.mu.Unlock()
	n.accounts[a.Address] = a
	return a
}

// UndeployedAccount returns an account with keys whose contract the node does
// not hold (a wallet created but never deployed).
func (n *Node) UndeployedAccount(t testing.TB) *Account {
	t.Helper()
	a, err := newAccount(KindArgent)
	require.NoError(t, err)
	return a
}

// SetFault makes every following request fail with f (FaultNone heals).
func (n *Node) SetFault(f Fault) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.fault = f
}

// Calls counts the JSON-RPC requests the node received.
func (n *Node) Calls() int64 { return n.calls.Load() }

// account finds a deployed account by any spelling of its address.
func (n *Node) account(addr string) (*Account, bool) {
	v, ok := new(big.Int).SetString(trim0x(addr), 16)
	if !ok {
		return nil, false
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	a, ok := n.accounts[fmt.Sprintf("0x%064x", v)]
	return a, ok
}

// currentFault reads the injected fault.
func (n *Node) currentFault() Fault {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.fault
}

// serveHTTP applies the fault, then answers one JSON-RPC request.
func (n *Node) serveHTTP(w http.ResponseWriter, r *http.Request) {
	n.calls.Add(1)
	switch n.currentFault() {
	case FaultDown:
		hijackAndClose(w)
		return
	case FaultTimeout:
		select {
		case <-r.Context().Done():
		case <-n.release:
		}
		return
	case FaultRateLimited:
		http.Error(w, "too many requests", http.StatusTooManyRequests)
		return
	default:
		n.serveRPC(w, r)
	}
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
