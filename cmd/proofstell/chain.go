package main

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/google/uuid"

	"github.com/proofstell/proofstell/actors/chainwriter"
	"github.com/proofstell/proofstell/actors/singleton"
	"github.com/proofstell/proofstell/chain/starknet"
	"github.com/proofstell/proofstell/persistence"
)

// chainWriterTick is how often the chain writer looks at its queue and its
// transaction in flight.
const chainWriterTick = 2 * time.Second

// startChainWriter runs the badge minter as a cluster singleton when the
// StarkNet relayer is configured. Without it badges are still awarded and
// their mint requests wait, pending, for the configuration.
func (a *app) startChainWriter(workers context.Context) error {
	c := a.cfg.Chain
	if c.StarknetRPCURL == "" || c.StarknetAccountAddress == "" || c.StarknetPrivateKey == "" || c.MintContractAddress == "" {
		a.logger.Warn("chain writer disabled: badges are awarded, but mint requests stay pending until " +
			"STARKNET_RPC_URL, STARKNET_ACCOUNT_ADDRESS, STARKNET_PRIVATE_KEY and MINT_CONTRACT_ADDRESS are set")
		return nil
	}
	var maxFee *big.Int
	if c.MintMaxFee != "" {
		v, ok := new(big.Int).SetString(c.MintMaxFee, 10)
		if !ok {
			return errors.New("chain writer: MINT_MAX_FEE is not a decimal amount")
		}
		maxFee = v
	}
	minter, err := starknet.NewMinter(starknet.MinterConfig{
		URL: c.StarknetRPCURL, ChainID: c.StarknetChainID, Account: c.StarknetAccountAddress,
		PrivateKey: c.StarknetPrivateKey, Contract: c.MintContractAddress,
		FeeMultiplier: c.MintFeeMultiplier, MaxFee: maxFee,
	})
	if err != nil {
		return fmt.Errorf("chain writer: %w", err) // never carries the key
	}
	a.chainWriter, err = singleton.NewRunner(a.store, a.node.System.Root, singleton.Options{
		Name: persistence.ChainWriterLease, Holder: a.node.Address() + "/" + uuid.NewString(),
		TTL: a.cfg.Cluster.SingletonTTL, RenewEvery: a.cfg.Cluster.SingletonRenew,
		Metrics: a.leaseMetrics, Logger: a.logger,
		Job: func(lease persistence.Lease) *actor.Props {
			return chainwriter.Props(chainwriter.Deps{
				Store: a.store, Chain: minter, Events: a.hub, BatchSize: c.MintBatchSize,
				TickInterval: chainWriterTick, Base: workers, IOTimeout: a.cfg.HTTP.RequestTimeout, Logger: a.logger,
			}, lease)
		},
	})
	if err != nil {
		return fmt.Errorf("chain writer: %w", err)
	}
	a.goWorker(func() { _ = a.chainWriter.Run(workers) })
	return nil
}
