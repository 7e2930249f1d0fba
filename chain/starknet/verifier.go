package starknet

import (
	"context"
	"fmt"
	"math/big"
	"net/http"
	"time"

	"github.com/NethermindEth/starknet.go/utils"
)

// Results of is_valid_signature that mean "valid": the SRC-6 magic value
// 'VALID' as a short string, and 1 from accounts predating SRC-6.
const (
	resultValid       = "0x56414c4944"
	resultLegacyValid = "0x1"
)

// DefaultTimeout bounds one verification when the caller's context has no
// earlier deadline: a slow node must not hold a sign-in request forever.
const DefaultTimeout = 5 * time.Second

// isValidSignature is the SRC-6 entry point every account implements.
var isValidSignature = utils.GetSelectorFromNameFelt("is_valid_signature").String()

// Verifier asks account contracts on a StarkNet node whether they accept a
// signature. Safe for concurrent use.
type Verifier struct {
	url     string
	client  *http.Client
	timeout time.Duration
}

// NewVerifier returns a verifier calling the JSON-RPC node at url with
// client (nil: a client with DefaultTimeout).
func NewVerifier(url string, client *http.Client) *Verifier {
	if client == nil {
		client = &http.Client{Timeout: DefaultTimeout}
	}
	return &Verifier{url: url, client: client, timeout: DefaultTimeout}
}

// functionCall is the request object of starknet_call.
type functionCall struct {
	ContractAddress    string   `json:"contract_address"`
	EntryPointSelector string   `json:"entry_point_selector"`
	Calldata           []string `json:"calldata"`
}

// Verify checks that the account at address accepts signature over hash by
// calling its is_valid_signature(hash, signature) at the latest block.
// address must be normalized and signature validated (NormalizeSignature).
// Errors: ErrInvalidSignature (rejected or reverted), ErrAccountNotDeployed,
// ErrUnavailable (node down, slow, rate limited or answering nonsense).
func (v *Verifier) Verify(ctx context.Context, address, hash string, signature []string) error {
	ctx, cancel := context.WithTimeout(ctx, v.timeout)
	defer cancel()
	contract, err := WireAddress(address)
	if err != nil {
		return fmt.Errorf("verify: %w", err)
	}
	calldata := append([]string{hash, Felt(big.NewInt(int64(len(signature))))}, signature...)
	call := functionCall{ContractAddress: contract, EntryPointSelector: isValidSignature, Calldata: calldata}
	var result []string
	err = v.call(ctx, "starknet_call", []any{call, "latest"}, &result)
	if err != nil {
		return classifyCallError(address, err)
	}
	return judgeResult(address, result)
}

// classifyCallError maps a failed starknet_call onto the package's sentinels.
func classifyCallError(address string, err error) error {
	code, ok := rpcCode(err)
	switch {
	case !ok:
		return fmt.Errorf("verify %s: %w", address, err)
	case code == codeContractNotFound:
		return fmt.Errorf("verify %s: %w", address, ErrAccountNotDeployed)
	case code == codeContractError, code == codeExecutionError, code == codeEntrypointNotFound:
		// Argent reverts on a bad signature; a contract without the entry
		// point is no account: both are a failed proof.
		return fmt.Errorf("verify %s: %w: %w", address, ErrInvalidSignature, err)
	default:
		return fmt.Errorf("verify %s: %w: %w", address, ErrUnavailable, err)
	}
}

// judgeResult reads is_valid_signature's return value.
func judgeResult(address string, result []string) error {
	if len(result) != 1 {
		return fmt.Errorf("verify %s: %w: result has %d felts", address, ErrUnavailable, len(result))
	}
	v, err := parseFelt(result[0], feltPrime)
	if err != nil {
		return fmt.Errorf("verify %s: %w: %w", address, ErrUnavailable, err)
	}
	switch "0x" + v.Text(16) {
	case resultValid, resultLegacyValid:
		return nil
	default:
		return fmt.Errorf("verify %s: %w: account answered %s", address, ErrInvalidSignature, result[0])
	}
}
