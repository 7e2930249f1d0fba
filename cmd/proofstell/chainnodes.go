package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/proofstell/proofstell/chain/starknet"
	"github.com/proofstell/proofstell/chain/stellar"
	"github.com/proofstell/proofstell/gateway/rest"
)

// chainNodeChecks are the readiness checks of the configured chain nodes:
// the StarkNet node's spec version and chain id, the Stellar RPC's health
// and network passphrase. They are optional: a chain outage delays sign-ins
// and mints on that chain, while games go on.
func (a *app) chainNodeChecks() []rest.HealthCheck {
	c := a.cfg.Chain
	var checks []rest.HealthCheck
	if c.StarknetRPCURL != "" {
		v := starknet.NewVerifier(c.StarknetRPCURL, nil)
		checks = append(checks, rest.HealthCheck{Name: "starknet", Optional: true,
			Check: func(ctx context.Context) error { return v.Ping(ctx, c.StarknetChainID) }})
	}
	if c.StellarRPCURL != "" {
		node := stellar.NewNodeCheck(c.StellarRPCURL, c.StellarNetworkPassphrase, nil)
		a.closers = append(a.closers, node.Close)
		checks = append(checks, rest.HealthCheck{Name: "stellar", Optional: true, Check: node.Ping})
	}
	return checks
}

// startCheckTimeout bounds the chain node checks at start: a node that is
// slow to answer delays the start this long at most.
const startCheckTimeout = 5 * time.Second

// checkChainNodes runs checks once at start. A node that answers but does
// not match the configuration (another spec version, chain or network)
// stops the start with an error naming the expected and actual values: no
// retry fixes that. A node that cannot be reached only gets a warning, as
// readiness will keep reporting it.
func (a *app) checkChainNodes(ctx context.Context, checks []rest.HealthCheck) error {
	ctx, cancel := context.WithTimeout(ctx, startCheckTimeout)
	defer cancel()
	errs := make([]error, len(checks))
	var wg sync.WaitGroup
	for i, hc := range checks {
		wg.Go(func() { errs[i] = hc.Check(ctx) })
	}
	wg.Wait()
	var mismatches []error
	for i, err := range errs {
		switch {
		case err == nil:
		case errors.Is(err, starknet.ErrNodeMismatch), errors.Is(err, stellar.ErrNodeMismatch):
			mismatches = append(mismatches, err)
		default:
			a.logger.Warn("chain node not reachable at start; readiness reports it until it is",
				slog.String("check", checks[i].Name), slog.Any("error", err))
		}
	}
	if err := errors.Join(mismatches...); err != nil {
		return fmt.Errorf("chain nodes do not match the configuration: %w", err)
	}
	return nil
}
