package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"time"

	"github.com/proofstell/proofstell/chain/starknet"
	"github.com/proofstell/proofstell/gateway/auth"
	"github.com/proofstell/proofstell/gateway/mail"
	"github.com/proofstell/proofstell/gateway/rest"
	"github.com/proofstell/proofstell/internal/walletchains"
)

// accountDeps wires email and password accounts and starts the mail queue.
func (a *app) accountDeps(workers context.Context) (rest.AccountDeps, error) {
	passwords, err := auth.NewPasswords(a.cfg.Auth.BcryptCost)
	if err != nil {
		return rest.AccountDeps{}, fmt.Errorf("passwords: %w", err)
	}
	letters, err := mail.NewLetters(a.cfg.HTTP.PublicURL)
	if err != nil {
		return rest.AccountDeps{}, fmt.Errorf("mail letters: %w", err)
	}
	sender, err := mail.NewSMTP(a.cfg.Mail, a.logger)
	if err != nil {
		return rest.AccountDeps{}, fmt.Errorf("smtp: %w", err)
	}
	if a.cfg.Mail.Host == "" {
		a.logger.Warn("MAIL_HOST is not set: verification and reset mails are skipped")
	}
	a.mails = mail.NewQueue(sender, a.cfg.Mail.QueueSize, a.cfg.Mail.SendTimeout, a.logger)
	a.goWorker(func() { a.mails.Run(workers) })
	return rest.AccountDeps{Store: a.store, Lockout: a.engine.lockout, Passwords: passwords, Letters: letters, Mail: a.mails}, nil
}

// walletDeps wires wallet sign-in. Without STARKNET_RPC_URL the StarkNet
// routes answer 503 chain_unavailable; Stellar needs no network. The chain
// nodes are checked by chainNodeChecks.
func (a *app) walletDeps() rest.WalletDeps {
	chainCfg := a.cfg.Chain
	chains := auth.WalletChains{Stellar: walletchains.Stellar(chainCfg.StellarNetworkPassphrase)}
	if chainCfg.StarknetRPCURL != "" {
		v := starknet.NewVerifier(chainCfg.StarknetRPCURL, nil)
		chains.Starknet = walletchains.Starknet(chainCfg.StarknetChainID, v)
	} else {
		a.logger.Warn("STARKNET_RPC_URL is not set: StarkNet wallet sign-in answers 503 until it is")
	}
	prover := auth.NewWalletProver(auth.WalletConfig{
		Origin: a.cfg.HTTP.PublicURL, NonceTTL: a.cfg.Auth.WalletNonceTTL,
	}, a.engine.nonces, chains, time.Now, rand.Reader)
	return rest.WalletDeps{Prover: prover, Store: a.store}
}
