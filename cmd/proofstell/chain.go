package main

import (
	"context"
	"errors"
	"fmt"
	"math/big"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/google/uuid"

	"github.com/proofstell/proofstell/actors/chainwriter"
	"github.com/proofstell/proofstell/actors/runtime/singleton"
	"github.com/proofstell/proofstell/chain/relay"
	"github.com/proofstell/proofstell/chain/starknet"
	"github.com/proofstell/proofstell/chain/stellar"
	"github.com/proofstell/proofstell/persistence"
)

// startChainWriters runs one chain writer cluster singleton per configured
// relayer. Without one, badges are still awarded and that chain's mint
// requests (and, for StarkNet, period roots) wait, pending, for the
// configuration.
func (a *app) startChainWriters(workers context.Context) error {
	minter, err := a.starknetRelayer()
	if err != nil {
		return err
	}
	if minter != nil {
		if err := a.startChainWriter(workers, persistence.ChainStarknet, persistence.ChainWriterLease, minter, 0); err != nil {
			return err
		}
	}
	soroban, err := a.stellarRelayer()
	if err != nil || soroban == nil {
		return err
	}
	a.closers = append(a.closers, soroban.Close)
	// Soroban has no same-sequence replacement: a stuck tx is polled and
	// rebroadcast, never re-signed (MaxFeeBumps < 0).
	return a.startChainWriter(workers, persistence.ChainStellar, persistence.ChainWriterStellarLease, soroban, -1)
}

// stellarRelayer builds the Soroban relayer, or nil (with a warning) when
// it is not configured.
func (a *app) stellarRelayer() (*stellar.Relayer, error) {
	c := a.cfg.Chain
	if c.StellarRPCURL == "" {
		a.logger.Warn("Stellar chain writer disabled: badges are awarded, but Stellar mint requests stay pending until " +
			"STELLAR_RPC_URL, STELLAR_SECRET_KEY and SOROBAN_BADGE_CONTRACT_ID are set")
		return nil, nil
	}
	r, err := stellar.NewRelayer(stellar.RelayerConfig{
		URL: c.StellarRPCURL, NetworkPassphrase: c.StellarNetworkPassphrase, SecretKey: c.StellarSecretKey,
		Contract: c.SorobanBadgeContractID, FeeMultiplier: c.MintFeeMultiplier, MaxFee: c.StellarMintMaxFee,
	})
	if err != nil {
		return nil, fmt.Errorf("stellar chain writer: %w", err) // never carries the seed
	}
	return r, nil
}

// starknetRelayer builds the StarkNet relayer, or nil (with a warning) when
// it is not configured.
func (a *app) starknetRelayer() (relay.Relayer, error) {
	c := a.cfg.Chain
	if c.StarknetRPCURL == "" || c.StarknetAccountAddress == "" || c.StarknetPrivateKey == "" || c.MintContractAddress == "" {
		a.logger.Warn("StarkNet chain writer disabled: badges are awarded, but StarkNet mint requests and period roots " +
			"stay pending until STARKNET_RPC_URL, STARKNET_ACCOUNT_ADDRESS, STARKNET_PRIVATE_KEY and MINT_CONTRACT_ADDRESS are set")
		return nil, nil
	}
	if c.LeaderboardContractAddress == "" {
		a.logger.Warn("LEADERBOARD_CONTRACT_ADDRESS is not set: period roots stay pending")
	}
	var maxFee *big.Int
	if c.MintMaxFee != "" {
		v, ok := new(big.Int).SetString(c.MintMaxFee, 10)
		if !ok {
			return nil, errors.New("chain writer: MINT_MAX_FEE is not a decimal amount")
		}
		maxFee = v
	}
	minter, err := starknet.NewMinter(starknet.MinterConfig{
		URL: c.StarknetRPCURL, ChainID: c.StarknetChainID, Account: c.StarknetAccountAddress,
		PrivateKey: c.StarknetPrivateKey, Contract: c.MintContractAddress, Leaderboard: c.LeaderboardContractAddress,
		FeeMultiplier: c.MintFeeMultiplier, MaxFee: maxFee,
	})
	if err != nil {
		return nil, fmt.Errorf("chain writer: %w", err) // never carries the key
	}
	return minter, nil
}

// startChainWriter runs the writer of queue over relayer under lease;
// maxFeeBumps < 0 never replaces a stuck tx (0: the writer's default).
func (a *app) startChainWriter(workers context.Context, queue persistence.Chain, lease string, relayer relay.Relayer,
	maxFeeBumps int,
) error {
	c := a.cfg.Chain
	w, err := singleton.NewRunner(a.leases, a.node.System.Root, singleton.Options{
		Name: lease, Holder: a.node.Address() + "/" + uuid.NewString(),
		TTL: a.cfg.Cluster.SingletonTTL, RenewEvery: a.cfg.Cluster.SingletonRenew,
		Metrics: a.leaseMetrics, Logger: a.logger,
		Job: func(lease persistence.Lease) *actor.Props {
			return chainwriter.Props(chainwriter.Deps{
				Store: a.store, Chain: relayer, Queue: queue, Events: a.hub, BatchSize: c.MintBatchSize, MaxFeeBumps: maxFeeBumps,
				TickInterval: c.MintPollInterval, Base: workers, IOTimeout: a.cfg.Actors.IOTimeout, Logger: a.logger,
			}, lease)
		},
	})
	if err != nil {
		return fmt.Errorf("%s chain writer: %w", queue, err)
	}
	a.chainWriters = append(a.chainWriters, w)
	a.goWorker(func() { _ = w.Run(workers) })
	return nil
}
