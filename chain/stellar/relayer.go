package stellar

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"time"

	"github.com/creachadair/jrpc2"
	"github.com/stellar/go-stellar-sdk/clients/rpcclient"
	"github.com/stellar/go-stellar-sdk/keypair"
	protocol "github.com/stellar/go-stellar-sdk/protocols/rpc"
	"github.com/stellar/go-stellar-sdk/xdr"

	"github.com/proofstell/proofstell/chain/relay"
)

// DefaultTimeout bounds one RPC call when RelayerConfig.Client is nil.
const DefaultTimeout = 10 * time.Second

// DefaultFeeMultiplier leaves room for fees moving between simulation and
// inclusion.
const DefaultFeeMultiplier = 1.5

// RelayerConfig is what a Relayer needs; the caller maps its own config
// section onto it. SecretKey is a secret: the Relayer never logs or returns
// it, and its errors never echo it.
type RelayerConfig struct {
	URL               string // Soroban (Stellar) RPC endpoint
	NetworkPassphrase string // e.g. network.TestNetworkPassphrase
	SecretKey         string // relayer account's S… seed; the badge contract's minter
	Contract          string // badge contract id, C… strkey
	// FeeMultiplier scales the simulated resource fee and the inclusion fee
	// (≥ 1; 0 means DefaultFeeMultiplier).
	FeeMultiplier float64
	// MaxFee caps a transaction's total fee in stroops; 0: no cap (the
	// protocol's uint32 fee field still bounds it).
	MaxFee int64
	// Client is the HTTP client (nil: one with DefaultTimeout).
	Client *http.Client
}

// Relayer is the Stellar relay.Relayer: it mints badge NFTs through the
// Soroban badge contract (mint(to, token_id: u128), minter.require_auth())
// from one relayer account, the contract's minter, speaking Soroban RPC
// through go-stellar-sdk's rpcclient over the configured http.Client. One
// mint per transaction; the nonce is the account's next sequence number.
// A failed mint reports the contract's Error(Contract, #code) in its
// diagnostic events; #BadgeErrAlreadyMintedToOwner sets
// relay.Receipt.AlreadyMinted. Safe for concurrent use; ordering is the
// caller's (the chain writer's).
type Relayer struct {
	rpc        *rpcclient.Client
	passphrase string
	kp         *keypair.Full
	accountKey string // base64 LedgerKey of the relayer account
	contract   xdr.ContractId
	mult       float64
	maxFee     int64
}

var _ relay.Relayer = (*Relayer)(nil)

// NewRelayer checks cfg and returns a Relayer; it makes no call.
func NewRelayer(cfg RelayerConfig) (*Relayer, error) {
	var problems []error
	if u, err := url.Parse(cfg.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		problems = append(problems, fmt.Errorf("url %.80q: want http(s)://host", cfg.URL))
	}
	if cfg.NetworkPassphrase == "" {
		problems = append(problems, errors.New("network passphrase is empty"))
	}
	kp, err := keypair.ParseFull(cfg.SecretKey)
	if err != nil {
		problems = append(problems, errors.New("secret key is not an S… seed")) // never echo the seed
	}
	contract, err := parseContract(cfg.Contract)
	problems = append(problems, err)
	if cfg.FeeMultiplier == 0 {
		cfg.FeeMultiplier = DefaultFeeMultiplier
	}
	if !(cfg.FeeMultiplier >= 1) || math.IsInf(cfg.FeeMultiplier, 0) {
		problems = append(problems, fmt.Errorf("fee multiplier %v: want a finite number ≥ 1", cfg.FeeMultiplier))
	}
	if cfg.MaxFee < 0 {
		problems = append(problems, fmt.Errorf("max fee %d: negative", cfg.MaxFee))
	}
	if err := errors.Join(problems...); err != nil {
		return nil, fmt.Errorf("relayer config: %w", err)
	}
	key, err := accountLedgerKey(kp.Address())
	if err != nil {
		return nil, fmt.Errorf("relayer config: %w", err)
	}
	if cfg.Client == nil {
		cfg.Client = &http.Client{Timeout: DefaultTimeout}
	}
	return &Relayer{rpc: rpcclient.NewClient(cfg.URL, cfg.Client), passphrase: cfg.NetworkPassphrase, kp: kp,
		accountKey: key, contract: contract, mult: cfg.FeeMultiplier, maxFee: cfg.MaxFee}, nil
}

// Address is the relayer account's G… id (the contract's minter).
func (r *Relayer) Address() string { return r.kp.Address() }

// Close releases the RPC client; the Relayer is unusable afterwards.
func (r *Relayer) Close() error { return r.rpc.Close() }

// MaxBatch is 1: a Soroban transaction carries one host function call.
func (r *Relayer) MaxBatch() int { return 1 }

// SubmitsRoots is false: no leaderboard contract on Stellar yet.
func (r *Relayer) SubmitsRoots() bool { return false }

// Nonce returns the relayer account's next sequence number (current + 1),
// read with getLedgerEntries as Soroban RPC exposes accounts.
func (r *Relayer) Nonce(ctx context.Context) (uint64, error) {
	resp, err := r.rpc.GetLedgerEntries(ctx, protocol.GetLedgerEntriesRequest{Keys: []string{r.accountKey}})
	if err != nil {
		return 0, fmt.Errorf("read sequence of %s: %w", r.Address(), rpcFailure(err))
	}
	if len(resp.Entries) != 1 {
		return 0, fmt.Errorf("read sequence of %s: %w: account not found (not funded?)", r.Address(), relay.ErrUnavailable)
	}
	var data xdr.LedgerEntryData
	if err := xdr.SafeUnmarshalBase64(resp.Entries[0].DataXDR, &data); err != nil || data.Account == nil || data.Account.SeqNum < 0 {
		return 0, fmt.Errorf("read sequence of %s: %w: malformed account entry", r.Address(), relay.ErrUnavailable)
	}
	return uint64(data.Account.SeqNum) + 1, nil
}

// accountLedgerKey is the base64 LedgerKey of a G… account.
func accountLedgerKey(address string) (string, error) {
	id, err := xdr.AddressToAccountId(address)
	if err != nil {
		return "", fmt.Errorf("account key %s: %w", address, err)
	}
	lk, err := id.LedgerKey()
	if err != nil {
		return "", fmt.Errorf("account key %s: %w", address, err)
	}
	key, err := xdr.MarshalBase64(lk)
	if err != nil {
		return "", fmt.Errorf("account key %s: %w", address, err)
	}
	return key, nil
}

// rpcFailure maps a failed RPC call onto the relay sentinels: a JSON-RPC
// "invalid params" means the node will never take these bytes; anything
// else (transport, HTTP status, timeout, other RPC errors) may pass later.
func rpcFailure(err error) error {
	var rpcErr *jrpc2.Error
	if errors.As(err, &rpcErr) && (rpcErr.Code == jrpc2.InvalidParams || rpcErr.Code == jrpc2.InvalidRequest) {
		return fmt.Errorf("%w: %w", relay.ErrRejected, err)
	}
	return fmt.Errorf("%w: %w", relay.ErrUnavailable, err)
}
