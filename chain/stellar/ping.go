package stellar

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/stellar/go-stellar-sdk/clients/rpcclient"

	"github.com/proofstell/proofstell/chain/relay"
)

// ErrNodeMismatch means the RPC answers, but for another network than the
// configured passphrase names. Retrying does not help: every transaction
// signed for our network would be refused there.
var ErrNodeMismatch = errors.New("stellar rpc is on another network")

// healthyStatus is getHealth's status of a node in step with the network.
const healthyStatus = "healthy"

// NodeCheck asks a Stellar RPC whether it can serve the configured network.
// It needs no key, so cmd checks the node whether or not a relayer is
// configured. Safe for concurrent use.
type NodeCheck struct {
	rpc        *rpcclient.Client
	passphrase string
}

// NewNodeCheck returns a check of the RPC at url for the network named by
// passphrase, over client (nil: one with DefaultTimeout). It makes no call.
func NewNodeCheck(url, passphrase string, client *http.Client) *NodeCheck {
	if client == nil {
		client = &http.Client{Timeout: DefaultTimeout}
	}
	return &NodeCheck{rpc: rpcclient.NewClient(url, client), passphrase: passphrase}
}

// Close releases the RPC client.
func (c *NodeCheck) Close() error { return c.rpc.Close() }

// Ping checks the RPC is healthy (getHealth) and on the configured network
// (getNetwork's passphrase), so a lagging node or one of another network
// shows up at start and in readiness instead of as failed mints. A wrong
// network wraps ErrNodeMismatch and names both passphrases; an unhealthy or
// unreachable node wraps relay.ErrUnavailable.
func (c *NodeCheck) Ping(ctx context.Context) error {
	health, err := c.rpc.GetHealth(ctx)
	if err != nil {
		return fmt.Errorf("ping stellar rpc: getHealth: %w", rpcFailure(err))
	}
	if health.Status != healthyStatus {
		return fmt.Errorf("ping stellar rpc: %w: getHealth status is %q, want %q", relay.ErrUnavailable,
			health.Status, healthyStatus)
	}
	network, err := c.rpc.GetNetwork(ctx)
	if err != nil {
		return fmt.Errorf("ping stellar rpc: getNetwork: %w", rpcFailure(err))
	}
	if network.Passphrase != c.passphrase {
		return fmt.Errorf("ping stellar rpc: %w: getNetwork passphrase is %q, STELLAR_NETWORK_PASSPHRASE is %q",
			ErrNodeMismatch, network.Passphrase, c.passphrase)
	}
	return nil
}
