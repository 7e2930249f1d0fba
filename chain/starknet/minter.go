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
)

// MaxMintsPerInvoke bounds one multicall so its fee and calldata stay small.
const MaxMintsPerInvoke = 50

// mintSelector is sn_keccak("mint").
var mintSelector = utils.GetSelectorFromNameFelt("mint")

// MinterConfig is what a Minter needs; the caller maps its own config
// section onto it. PrivateKey is a secret: Minter never logs or returns it.
type MinterConfig struct {
	URL        string // JSON-RPC endpoint
	ChainID    string // short string (SN_SEPOLIA) or hex felt
	Account    string // relayer account address
	PrivateKey string // relayer signer's private key, "0x" hex
	Contract   string // badge contract address
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

// Mint is one mint(to, token_id) call.
type Mint struct {
	To      string // player's account address
	TokenID string // TokenID(badge, player): "0x" hex below 2^128
}

// SignedInvoke is a signed INVOKE v3 the writer persists before sending:
// Payload is the exact broadcast body, so resending it is byte-identical and
// the node sees the same hash.
type SignedInvoke struct {
	Hash    string          // transaction hash, "0x" hex without leading zeros
	Nonce   uint64          // account nonce the transaction consumes
	MaxFee  string          // Σ bounds in FRI, decimal
	Payload json.RawMessage // BROADCASTED_INVOKE_TXN v3 JSON
}

// Minter builds, signs and sends badge mints from one relayer account. Safe
// for concurrent use; nonce ordering is the caller's (the chain writer's).
type Minter struct {
	url      string
	client   *http.Client
	chain    *felt.Felt
	address  *felt.Felt
	contract *felt.Felt
	ks       *account.MemKeystore
	mult     float64
	maxFee   *big.Int
}

// NewMinter checks cfg and the embedded badge ABI and returns a Minter.
func NewMinter(cfg MinterConfig) (*Minter, error) {
	if err := checkMintABI(badgeABI); err != nil {
		return nil, err
	}
	addr, err1 := feltOf(cfg.Account, addressBound)
	contract, err2 := feltOf(cfg.Contract, addressBound)
	key, err3 := parseFelt(cfg.PrivateKey, feltPrime)
	chain, err4 := new(felt.Felt).SetString(ChainIDFelt(cfg.ChainID))
	if err := errors.Join(err1, err2, err4); err != nil {
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
	return &Minter{url: cfg.URL, client: cfg.Client, chain: chain, address: addr, contract: contract,
		ks: account.SetNewMemKeystore(addr.String(), key), mult: cfg.FeeMultiplier, maxFee: cfg.MaxFee}, nil
}

// Prepare builds the multicall of mints at nonce, estimates its fee, bounds
// it (multiplier, cap) and signs it, without sending anything but the
// estimate.
func (m *Minter) Prepare(ctx context.Context, nonce uint64, mints []Mint) (SignedInvoke, error) {
	return m.PrepareWithMultiplier(ctx, nonce, mints, m.mult)
}

// PrepareWithMultiplier is Prepare with another fee multiplier, for
// re-broadcasting a stuck transaction at the same nonce with a higher fee.
func (m *Minter) PrepareWithMultiplier(ctx context.Context, nonce uint64, mints []Mint, mult float64) (SignedInvoke, error) {
	calldata, err := m.calldata(mints)
	if err != nil {
		return SignedInvoke{}, err
	}
	tx := utils.BuildInvokeTxn(m.address, new(felt.Felt).SetUint64(nonce), calldata, zeroBounds(), nil)
	est, err := m.estimate(ctx, *tx)
	if err != nil {
		return SignedInvoke{}, err
	}
	bounds, total, err := feeBounds(est, mult, m.maxFee)
	if err != nil {
		return SignedInvoke{}, err
	}
	tx.ResourceBounds = bounds
	h, err := m.sign(ctx, tx)
	if err != nil {
		return SignedInvoke{}, err
	}
	payload, err := json.Marshal(tx)
	if err != nil {
		return SignedInvoke{}, fmt.Errorf("encode invoke: %w", err)
	}
	return SignedInvoke{Hash: h.String(), Nonce: nonce, MaxFee: total.String(), Payload: payload}, nil
}

// calldata encodes mints as a Cairo 1 account multicall.
func (m *Minter) calldata(mints []Mint) ([]*felt.Felt, error) {
	if len(mints) == 0 || len(mints) > MaxMintsPerInvoke {
		return nil, fmt.Errorf("prepare mint: %d mints, want 1..%d", len(mints), MaxMintsPerInvoke)
	}
	calls := make([]rpc.FunctionCall, len(mints))
	for i, mt := range mints {
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
