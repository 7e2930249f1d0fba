package chaintest

import (
	"math/big"
)

// LeaderboardContract is the address of the leaderboard contract every node
// holds: submit_root(board, period, root: felt252) stores a closed period's
// Merkle root once; the same root again is a no-op, another one reverts
// with RevertRootAlreadySet.
const LeaderboardContract = "0x00000000000000000000000000000000000000000000000000000000001eade5"

// Root returns the root the leaderboard contract holds for board and
// period ("0x" hex without leading zeros).
func (n *Node) Root(board, period string) (string, bool) {
	n.ledger.mu.Lock()
	defer n.ledger.mu.Unlock()
	r, ok := n.ledger.roots[board+"/"+period]
	return r, ok
}

// SetFeeFloor models a fee spike: a transaction whose max fee (Σ
// max_amount·max_price_per_unit) is below floor waits in the mempool
// (RECEIVED, no receipt, nonce not consumed) until the floor falls to it or
// a transaction of the same sender and nonce with a higher max fee replaces
// it (the old hash is then not found). nil lifts the floor.
func (n *Node) SetFeeFloor(floor *big.Int) {
	n.ledger.mu.Lock()
	defer n.ledger.mu.Unlock()
	n.ledger.feeFloor = floor
	n.ledger.promote()
}
