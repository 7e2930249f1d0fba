package chaintest

import (
	"fmt"
	"math/big"
	"sync"
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
	*transport // URL, SetFault, Calls
	chainID    string
	mu         sync.Mutex
	spec       string
	accounts   map[string]*Account
	ledger     *ledger
}

// NewNode starts a node reporting chainID (e.g. "SN_SEPOLIA"); it stops when
// the test ends.
func NewNode(t testing.TB, chainID string) *Node {
	t.Helper()
	n := &Node{chainID: chainID, spec: SpecVersion, accounts: map[string]*Account{}, ledger: newLedger()}
	n.transport = startTransport(t, n.dispatch)
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

// SpecVersion is the StarkNet JSON-RPC spec version a node reports unless
// SetSpecVersion changes it.
const SpecVersion = "0.9.0"

// SetSpecVersion makes starknet_specVersion answer v, to test a client
// against a node of another spec version.
func (n *Node) SetSpecVersion(v string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.spec = v
}

// specVersion is the version starknet_specVersion answers.
func (n *Node) specVersion() string {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.spec
}
