package chaintest

import (
	"math/big"
	"strings"
	"sync"
	"testing"
)

// SorobanBadgeContract is the id of the badge contract every Soroban node
// holds: mint(to: Address, token_id: u128), authorized by its minter
// (SetSorobanMinter), panicking with the SorobanErr… contract errors.
const SorobanBadgeContract = "CCLPFOIMBQZLQ46BHCI74EYPRMAMJ3EVUJRK4EBPQ3TBX45HCZLFBHBK"

// Contract error codes of the Soroban badge contract: a failed mint
// reports Error(Contract, #code) in its diagnostic events (simulation and
// getTransaction's diagnosticEventsXdr). chain/stellar uses the same codes.
const (
	// SorobanErrAlreadyMintedToOwner: the token already belongs to the
	// recipient (a repeat mint, which counts as done).
	SorobanErrAlreadyMintedToOwner uint32 = 1
	// SorobanErrOwnedByAnother: the token belongs to someone else.
	SorobanErrOwnedByAnother uint32 = 2
)

// Fees the node charges, in stroops: every mint's simulated resource fee
// (minResourceFee) and the least inclusion fee sendTransaction takes.
const (
	SorobanResourceFee     int64 = 80_000
	SorobanMinInclusionFee int64 = 100
)

// SorobanTxFault is a failure the node injects into sendTransaction until
// cleared; transport faults (down, timeout, 429) use SetFault.
type SorobanTxFault int

// Injectable Soroban transaction faults.
const (
	// SorobanTxFaultNone executes transactions normally.
	SorobanTxFaultNone SorobanTxFault = iota
	// SorobanTxFaultRevert executes every transaction as FAILED
	// (Error(Budget, ExceededLimit); sequence consumed, no state change).
	SorobanTxFaultRevert
	// SorobanTxFaultStaleSequence answers ERROR txBAD_SEQ whatever the
	// sequence.
	SorobanTxFaultStaleSequence
	// SorobanTxFaultDrop answers PENDING and forgets the transaction: never
	// executed, never found, its sequence not consumed.
	SorobanTxFaultDrop
	// SorobanTxFaultTryAgainLater answers TRY_AGAIN_LATER (queue full).
	SorobanTxFaultTryAgainLater
)

// SorobanTx is a transaction sendTransaction answered PENDING.
type SorobanTx struct {
	Hash     string // hex, as the RPC spells it
	Source   string // G… account
	Sequence int64
	Fee      int64 // the envelope's fee (the most it may pay)
	To       string
	TokenID  string // canonical "0x" and 32 hex digits; "" when not a mint
	Ledger   uint32
	Failed   bool
	Reason   string // host error, e.g. "Error(Contract, #1)"
	Dropped  bool
	polls    int
	final    bool   // a getTransaction reported it: out of the queue
	envelope string // base64 envelope
	result   string // base64 TransactionResult
	events   []string
}

// SorobanNode is a fake Soroban RPC node listening on a local HTTP port.
type SorobanNode struct {
	*transport   // URL, SetFault, Calls
	passphrase   string
	mu           sync.Mutex
	txFault      SorobanTxFault
	minter       string
	ledger       uint32
	accounts     map[string]int64
	owners       map[string]string
	txs          map[string]*SorobanTx
	seen         []SorobanTx
	pollsToFinal int
	unhealthy    bool
}

// sorobanGenesisLedger is the node's latest ledger at start; each applied
// transaction closes one more.
const sorobanGenesisLedger = 1000

// NewSorobanNode starts a node of the network with passphrase; it stops
// when the test ends.
func NewSorobanNode(t testing.TB, passphrase string) *SorobanNode {
	t.Helper()
	n := &SorobanNode{passphrase: passphrase, ledger: sorobanGenesisLedger,
		accounts: map[string]int64{}, owners: map[string]string{}, txs: map[string]*SorobanTx{}}
	n.transport = startTransport(t, n.dispatch)
	return n
}

// FundAccount creates the account address (G…) with sequence number
// ledger<<32, as the network does for a new account; an existing account
// is left as it is.
func (n *SorobanNode) FundAccount(address string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if _, ok := n.accounts[address]; !ok {
		n.accounts[address] = int64(n.ledger) << 32
	}
}

// SetSorobanMinter makes address (G…) the badge contract's minter.
func (n *SorobanNode) SetSorobanMinter(address string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.minter = address
}

// SetTxFault makes every following sendTransaction fail with f.
func (n *SorobanNode) SetTxFault(f SorobanTxFault) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.txFault = f
}

// SetReceiptPolls makes getTransaction answer NOT_FOUND for a
// transaction's first polls queries (not in a closed ledger yet); 0
// (default) reports it at once.
func (n *SorobanNode) SetReceiptPolls(polls int) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.pollsToFinal = polls
}

// OwnerOf returns the owner (G…) of a badge token id (any hex spelling).
func (n *SorobanNode) OwnerOf(tokenID string) (string, bool) {
	key, ok := sorobanTokenKey(tokenID)
	if !ok {
		return "", false
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	o, ok := n.owners[key]
	return o, ok
}

// Minted counts the badge tokens in existence.
func (n *SorobanNode) Minted() int {
	n.mu.Lock()
	defer n.mu.Unlock()
	return len(n.owners)
}

// Txs returns every transaction sendTransaction answered PENDING, in
// arrival order (dropped ones included, duplicates not).
func (n *SorobanNode) Txs() []SorobanTx {
	n.mu.Lock()
	defer n.mu.Unlock()
	return append([]SorobanTx(nil), n.seen...)
}

// AccountSequence returns the current sequence number of the account at
// address (0 when the node has no such account).
func (n *SorobanNode) AccountSequence(address string) int64 {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.accounts[address]
}

// sorobanTokenKey is the canonical token id: "0x" and 32 hex digits.
func sorobanTokenKey(s string) (string, bool) {
	digits, ok := strings.CutPrefix(s, "0x")
	v, okHex := new(big.Int).SetString(digits, 16)
	if !ok || !okHex || v.Sign() < 0 || v.BitLen() > 128 {
		return "", false
	}
	return "0x" + sorobanLeftPad(v.Text(16), 32), true
}

func sorobanLeftPad(s string, width int) string {
	if len(s) >= width {
		return s
	}
	return strings.Repeat("0", width-len(s)) + s
}
