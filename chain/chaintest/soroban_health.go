package chaintest

import (
	"fmt"

	protocol "github.com/stellar/go-stellar-sdk/protocols/rpc"
)

// sorobanRetentionWindow is the ledgers the node says it keeps: a day of
// 5 s ledgers.
const sorobanRetentionWindow = 17280

// sorobanMaxHealthyLatency is the age of the latest ledger past which the
// real RPC calls itself unhealthy (its default, 30 s).
const sorobanMaxHealthyLatency = 30

// SetUnhealthy makes getHealth answer as a Stellar RPC that has fallen
// behind the network (on) or serve normally (off).
func (n *SorobanNode) SetUnhealthy(on bool) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.unhealthy = on
}

// health answers getHealth. Like stellar-rpc, an unhealthy node answers a
// JSON-RPC internal error naming the latency, not a status other than
// "healthy".
func (n *SorobanNode) health() (any, *rpcError) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.unhealthy {
		return nil, &rpcError{Code: -32603, Message: fmt.Sprintf(
			"latency (%ds) since last known ledger closed is too high (>%ds)", 3*sorobanMaxHealthyLatency,
			sorobanMaxHealthyLatency)}
	}
	oldest := uint32(sorobanGenesisLedger)
	return protocol.GetHealthResponse{Status: "healthy", LatestLedger: n.ledger,
		LatestLedgerCloseTime: sorobanCloseTime(n.ledger), OldestLedger: oldest,
		OldestLedgerCloseTime: sorobanCloseTime(oldest), LedgerRetentionWindow: sorobanRetentionWindow}, nil
}
