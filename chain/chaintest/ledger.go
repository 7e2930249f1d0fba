package chaintest

import (
	"fmt"
	"maps"
	"math/big"
	"sync"
)

// BadgeContract is the address of the badge (ERC-721 style) contract every
// node holds: mint(to, token_id: u256) and owner per token id.
const BadgeContract = "0x0000000000000000000000000000000000000000000000000000000000b4d9e5"

// Revert reasons of the badge contract (Cairo short strings). The relayer
// tells "already minted to this owner" (a repeat, counts as done) from a
// token held by someone else (a real failure).
const (
	RevertAlreadyMintedToOwner = "badge: already minted to owner"
	RevertOwnedByAnother       = "badge: token owned by another"
	RevertRootAlreadySet       = "leaderboard: another root already set"
	RevertInjected             = "injected revert"
)

// TxFault is a failure the node injects into addInvokeTransaction until
// cleared; transport faults (down, timeout, 429) use SetFault.
type TxFault int

// Injectable transaction faults.
const (
	// TxFaultNone executes transactions normally.
	TxFaultNone TxFault = iota
	// TxFaultRevert executes every transaction as reverted (nonce consumed,
	// no state change).
	TxFaultRevert
	// TxFaultStaleNonce answers INVALID_TRANSACTION_NONCE whatever the nonce.
	TxFaultStaleNonce
	// TxFaultDrop answers with the hash and then forgets the transaction:
	// never executed, never found.
	TxFaultDrop
)

// Tx is a transaction the node saw in addInvokeTransaction.
type Tx struct {
	Hash     string
	Sender   string
	Nonce    uint64
	Calls    int
	Root     bool     // a leaderboard submit_root (else badge mints)
	MaxFee   *big.Int // Σ max_amount·max_price_per_unit of its resource bounds
	Reverted bool
	Reason   string
	Dropped  bool
	// Replaced: evicted from the mempool by a higher-fee transaction of the
	// same sender and nonce; never executed, no longer found.
	Replaced bool
	calls    []call
	polls    int
}

// ledger is the node's chain state: nonces, the badge contract's owners and
// the transactions it holds.
type ledger struct {
	mu           sync.Mutex
	nonces       map[string]uint64
	owners       map[string]string
	roots        map[string]string // "board/period" → root feltKey
	txs          map[string]*Tx
	held         map[string]*Tx // mempool below the fee floor, by sender
	feeFloor     *big.Int       // nil: every tx is included at once
	seen         []Tx
	pollsToFinal int
	txFault      TxFault
}

func newLedger() *ledger {
	return &ledger{nonces: map[string]uint64{}, owners: map[string]string{}, roots: map[string]string{},
		txs: map[string]*Tx{}, held: map[string]*Tx{}}
}

// SetTxFault makes every following addInvokeTransaction fail with f.
func (n *Node) SetTxFault(f TxFault) {
	n.ledger.mu.Lock()
	defer n.ledger.mu.Unlock()
	n.ledger.txFault = f
}

// SetReceiptPolls makes a transaction stay RECEIVED (no receipt) for its
// first polls status or receipt queries; 0 (default) finalizes it at once.
func (n *Node) SetReceiptPolls(polls int) {
	n.ledger.mu.Lock()
	defer n.ledger.mu.Unlock()
	n.ledger.pollsToFinal = polls
}

// OwnerOf returns the owner of a badge token id (any hex spelling).
func (n *Node) OwnerOf(tokenID string) (string, bool) {
	key, ok := feltKey(tokenID)
	if !ok {
		return "", false
	}
	n.ledger.mu.Lock()
	defer n.ledger.mu.Unlock()
	o, ok := n.ledger.owners[key]
	return o, ok
}

// Minted counts the badge tokens in existence.
func (n *Node) Minted() int {
	n.ledger.mu.Lock()
	defer n.ledger.mu.Unlock()
	return len(n.ledger.owners)
}

// Txs returns every transaction addInvokeTransaction answered with a hash,
// in arrival order (dropped ones included, duplicates not).
func (n *Node) Txs() []Tx {
	n.ledger.mu.Lock()
	defer n.ledger.mu.Unlock()
	return append([]Tx(nil), n.ledger.seen...)
}

// AccountNonce returns the next nonce of the account at addr.
func (n *Node) AccountNonce(addr string) uint64 {
	v, _ := new(big.Int).SetString(trim0x(addr), 16)
	if v == nil {
		return 0
	}
	n.ledger.mu.Lock()
	defer n.ledger.mu.Unlock()
	return n.ledger.nonces[fmt.Sprintf("0x%064x", v)]
}

// feltKey is the canonical map key of a hex felt: "0x" and no leading zeros.
func feltKey(s string) (string, bool) {
	v, ok := new(big.Int).SetString(trim0x(s), 16)
	if !ok || v.Sign() < 0 {
		return "", false
	}
	return "0x" + v.Text(16), true
}

// submit admits a signed, hash-checked transaction: duplicate, nonce and
// fault checks, then the mempool (below the fee floor: held, or replacing
// a held one of the same nonce) or execution.
func (l *ledger) submit(tx *Tx) *rpcError {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.txFault == TxFaultStaleNonce {
		return nonceError(tx.Nonce, l.nonces[tx.Sender])
	}
	if _, known := l.txs[tx.Hash]; known {
		return &rpcError{Code: codeDuplicateTx, Message: "A transaction with the same hash already exists in the mempool"}
	}
	if want := l.nonces[tx.Sender]; tx.Nonce != want {
		return nonceError(tx.Nonce, want)
	}
	if l.txFault == TxFaultDrop {
		tx.Dropped = true
		l.seen = append(l.seen, *tx)
		return nil
	}
	if old := l.held[tx.Sender]; old != nil {
		if tx.MaxFee.Cmp(old.MaxFee) <= 0 {
			return &rpcError{Code: codeReplacementUnderpriced, Message: "Replacement transaction is underpriced"}
		}
		old.Replaced = true
		delete(l.txs, old.Hash)
		l.markSeen(old)
		delete(l.held, tx.Sender)
	}
	l.txs[tx.Hash] = tx
	l.seen = append(l.seen, *tx)
	if l.feeFloor != nil && tx.MaxFee.Cmp(l.feeFloor) < 0 {
		l.held[tx.Sender] = tx
		return nil
	}
	l.include(tx)
	return nil
}

// include consumes tx's nonce and executes it (or the injected revert).
func (l *ledger) include(tx *Tx) {
	l.nonces[tx.Sender] = tx.Nonce + 1
	if l.txFault == TxFaultRevert {
		tx.Reverted, tx.Reason = true, RevertInjected
	} else if reason := l.execute(tx.calls); reason != "" {
		tx.Reverted, tx.Reason = true, reason
	}
	l.markSeen(tx)
}

// markSeen refreshes tx's latest entry in the arrival log (a dropped tx
// sent again has two).
func (l *ledger) markSeen(tx *Tx) {
	for i := len(l.seen) - 1; i >= 0; i-- {
		if l.seen[i].Hash == tx.Hash {
			l.seen[i] = *tx
			return
		}
	}
}

// execute applies every call or none; it returns the revert reason. A root
// submitted again unchanged is a no-op (submit_root is idempotent).
func (l *ledger) execute(calls []call) string {
	staged, stagedRoots := map[string]string{}, map[string]string{}
	for _, c := range calls {
		if c.root != nil {
			key := c.root.board + "/" + c.root.period
			if old, ok := l.roots[key]; ok && old != c.root.root {
				return RevertRootAlreadySet
			}
			stagedRoots[key] = c.root.root
			continue
		}
		owner, ok := staged[c.tokenID]
		if !ok {
			owner, ok = l.owners[c.tokenID]
		}
		switch {
		case ok && owner == c.to:
			return RevertAlreadyMintedToOwner
		case ok:
			return RevertOwnedByAnother
		}
		staged[c.tokenID] = c.to
	}
	maps.Copy(l.owners, staged)
	maps.Copy(l.roots, stagedRoots)
	return ""
}

// simulate executes calls against a copy of the state and returns the
// revert reason, changing nothing.
func (l *ledger) simulate(calls []call) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	dry := &ledger{owners: maps.Clone(l.owners), roots: maps.Clone(l.roots)}
	return dry.execute(calls)
}

// promote includes held transactions the fee floor now admits.
func (l *ledger) promote() {
	for sender, tx := range l.held {
		if l.feeFloor == nil || tx.MaxFee.Cmp(l.feeFloor) >= 0 {
			delete(l.held, sender)
			l.include(tx)
		}
	}
}

// poll counts one status or receipt query of hash and returns the tx and
// whether it is final.
func (l *ledger) poll(hash string) (Tx, bool, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.promote()
	tx, ok := l.txs[hash]
	if !ok {
		return Tx{}, false, false
	}
	if l.held[tx.Sender] == tx {
		return *tx, false, true // in the mempool: never final
	}
	tx.polls++
	return *tx, tx.polls > l.pollsToFinal, true
}

func nonceError(got, want uint64) *rpcError {
	return &rpcError{Code: codeInvalidNonce, Message: "Invalid transaction nonce",
		Data: fmt.Sprintf("account nonce: 0x%x; got: 0x%x", want, got)}
}
