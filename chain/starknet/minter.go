package starknet

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"net/http"

	"github.com/NethermindEth/juno/core/felt"
	"github.com/NethermindEth/starknet.go/account"
	"github.com/NethermindEth/starknet.go/hash"
	"github.com/NethermindEth/starknet.go/rpc"
	"github.com/NethermindEth/starknet.go/utils"

	"github.com/proofstell/proofstell/chain/relay"
)

// MaxMintsPerInvoke bounds one multicall so its fee and calldata stay small.
const MaxMintsPerInvoke = 50

// Entry point selectors: sn_keccak of the function names.
var (
	mintSelector       = utils.GetSelectorFromNameFelt("mint")
	submitRootSelector = utils.GetSelectorFromNameFelt("submit_root")
)

// MinterConfig is what a Minter needs; the caller maps its own config
// section onto it. PrivateKey is a secret: Minter never logs or returns it.
type MinterConfig struct {
	URL        string // JSON-RPC endpoint
	ChainID    string // short string (SN_SEPOLIA) or hex felt
	Account    string // relayer account address
	PrivateKey string // relayer signer's private key, "0x" hex
	Contract   string // badge contract address
	// Leaderboard is the leaderboard contract's address; empty: the minter
	// does not submit period roots (SubmitsRoots is false).
	Leaderboard string
	// FeeMultiplier scales every estimated resource amount and price (≥ 1;
	// 0 means DefaultFeeMultiplier).
	FeeMultiplier float64
	// MaxFee caps Σ max_amount·max_price_per_unit in FRI; nil: no cap.
	MaxFee *big.Int
	// Client is the HTTP client (nil: one with DefaultTimeout).
	Client *http.Client
}

// DefaultFeeMultiplier leaves room for gas prices moving between estimate
// and inclusion.
const DefaultFeeMultiplier = 1.5

// Minter builds, signs and sends badge mints and period roots from one
// relayer account: the StarkNet relay.Relayer. Safe for concurrent use;
// nonce ordering is the caller's (the chain writer's).
type Minter struct {
	url         string
	client      *http.Client
	chain       *felt.Felt
	address     *felt.Felt
	contract    *felt.Felt
	leaderboard *felt.Felt // nil: no roots
	ks          *account.MemKeystore
	mult        float64
	maxFee      *big.Int
}

var _ relay.Relayer = (*Minter)(nil)

// NewMinter checks cfg and the embedded ABIs and returns a Minter.
func NewMinter(cfg MinterConfig) (*Minter, error) {
	if err := errors.Join(checkABI(badgeABI, "mint", mintInputs), checkABI(leaderboardABI, "submit_root", submitRootInputs)); err != nil {
		return nil, err
	}
	addr, err1 := feltOf(cfg.Account, addressBound)
	contract, err2 := feltOf(cfg.Contract, addressBound)
	key, err3 := parseFelt(cfg.PrivateKey, feltPrime)
	chain, err4 := new(felt.Felt).SetString(ChainIDFelt(cfg.ChainID))
	var board *felt.Felt
	var err5 error
	if cfg.Leaderboard != "" {
		board, err5 = feltOf(cfg.Leaderboard, addressBound)
	}
	if err := errors.Join(err1, err2, err4, err5); err != nil {
		return nil, fmt.Errorf("minter config: %w", err)
	}
	if err3 != nil || key.Sign() == 0 {
		return nil, errors.New("minter config: private key is not a felt") // never echo the key
	}
	if cfg.FeeMultiplier == 0 {
		cfg.FeeMultiplier = DefaultFeeMultiplier
	}
	if cfg.FeeMultiplier < 1 {
		return nil, fmt.Errorf("minter config: fee multiplier %v below 1", cfg.FeeMultiplier)
	}
	if cfg.Client == nil {
		cfg.Client = &http.Client{Timeout: DefaultTimeout}
	}
	return &Minter{url: cfg.URL, client: cfg.Client, chain: chain, address: addr, contract: contract, leaderboard: board,
		ks: account.SetNewMemKeystore(addr.String(), key), mult: cfg.FeeMultiplier, maxFee: cfg.MaxFee}, nil
}

// MaxBatch implements relay.Relayer: mints per multicall.
func (m *Minter) MaxBatch() int { return MaxMintsPerInvoke }

// SubmitsRoots implements relay.Relayer: a leaderboard contract is set.
func (m *Minter) SubmitsRoots() bool { return m.leaderboard != nil }

// Prepare implements relay.Relayer. It builds w as one multicall at nonce
// (mints of the badge contract, or the leaderboard's submit_root),
// estimates its fee, bounds it (multiplier × feeScale, then the cap) and
// signs it, sending nothing but the estimate. A feeScale above 1 prices a
// replacement of a stuck transaction at the same nonce.
func (m *Minter) Prepare(ctx context.Context, nonce uint64, w relay.Work, feeScale float64) (relay.Signed, error) {
	if feeScale < 1 {
		feeScale = 1
	}
	calldata, err := m.calldata(w)
	if err != nil {
		return relay.Signed{}, err
	}
	tx := utils.BuildInvokeTxn(m.address, new(felt.Felt).SetUint64(nonce), calldata, zeroBounds(), nil)
	est, err := m.estimate(ctx, *tx)
	if err != nil {
		return relay.Signed{}, err
	}
	bounds, total, err := feeBounds(est, m.mult*feeScale, m.maxFee)
	if err != nil {
		return relay.Signed{}, err
	}
	tx.ResourceBounds = bounds
	h, err := m.sign(ctx, tx)
	if err != nil {
		return relay.Signed{}, err
	}
	payload, err := json.Marshal(tx)
	if err != nil {
		return relay.Signed{}, fmt.Errorf("encode invoke: %w", err)
	}
	return relay.Signed{Hash: h.String(), Nonce: nonce, MaxFee: total.String(), Payload: payload}, nil
}

// calldata encodes w as a Cairo 1 account multicall.
func (m *Minter) calldata(w relay.Work) ([]*felt.Felt, error) {
	switch {
	case w.Root != nil && len(w.Mints) > 0:
		return nil, errors.New("prepare: a transaction carries mints or a root, not both")
	case w.Root != nil:
		call, err := m.submitRootCall(*w.Root)
		if err != nil {
			return nil, err
		}
		return account.FmtCallDataCairo2([]rpc.FunctionCall{call}), nil
	case len(w.Mints) == 0 || len(w.Mints) > MaxMintsPerInvoke:
		return nil, fmt.Errorf("prepare mint: %d mints, want 1..%d", len(w.Mints), MaxMintsPerInvoke)
	}
	calls := make([]rpc.FunctionCall, len(w.Mints))
	for i, mt := range w.Mints {
		to, err := feltOf(mt.To, addressBound)
		if err != nil {
			return nil, fmt.Errorf("prepare mint %d: %w", i, err)
		}
		id, err := feltOf(mt.TokenID, tokenIDBound)
		if err != nil {
			return nil, fmt.Errorf("prepare mint %d: token id: %w", i, err)
		}
		calls[i] = rpc.FunctionCall{ContractAddress: m.contract, EntryPointSelector: mintSelector,
			Calldata: []*felt.Felt{to, id, new(felt.Felt)}} // u256: low, high = 0
	}
	return account.FmtCallDataCairo2(calls), nil
}

// submitRootCall encodes submit_root(board, period, root): board and period
// as Cairo short strings, root as the felt it is.
func (m *Minter) submitRootCall(r relay.Root) (rpc.FunctionCall, error) {
	if m.leaderboard == nil {
		return rpc.FunctionCall{}, errors.New("prepare submit_root: no leaderboard contract configured")
	}
	board, err1 := ShortString(r.Board)
	period, err2 := ShortString(r.Period)
	root, err3 := feltOf(r.Root, feltPrime)
	if err := errors.Join(err1, err2, err3); err != nil {
		return rpc.FunctionCall{}, fmt.Errorf("prepare submit_root %s/%s: %w", r.Board, r.Period, err)
	}
	return rpc.FunctionCall{ContractAddress: m.leaderboard, EntryPointSelector: submitRootSelector,
		Calldata: []*felt.Felt{board, period, root}}, nil
}

// sign computes the INVOKE v3 hash with starknet.go and signs it with the
// relayer key; the signature goes into tx.
func (m *Minter) sign(ctx context.Context, tx *rpc.InvokeTxnV3) (*felt.Felt, error) {
	h, err := hash.TransactionHashInvokeV3(tx, m.chain)
	if err != nil {
		return nil, fmt.Errorf("hash invoke: %w", err)
	}
	r, s, err := m.ks.Sign(ctx, m.address.String(), h.BigInt(new(big.Int)))
	if err != nil {
		return nil, fmt.Errorf("sign invoke: %w", err)
	}
	tx.Signature = []*felt.Felt{new(felt.Felt).SetBigInt(r), new(felt.Felt).SetBigInt(s)}
	return h, nil
}

// tokenIDBound is 2^128: token ids are the u256's low word.
var tokenIDBound = new(big.Int).Lsh(big.NewInt(1), 128)

// feltOf parses a "0x" hex number below bound into a felt.
func feltOf(s string, bound *big.Int) (*felt.Felt, error) {
	v, err := parseFelt(s, bound)
	if err != nil {
		return nil, err
	}
	return new(felt.Felt).SetBigInt(v), nil
}
