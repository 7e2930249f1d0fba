package stellar

import (
	"errors"
	"fmt"
	"math/big"
	"strings"

	"github.com/stellar/go-stellar-sdk/strkey"
	"github.com/stellar/go-stellar-sdk/xdr"
)

// The Soroban badge contract's interface: mint(to: Address, token_id: u128),
// callable only by its minter (minter.require_auth()), and the error codes
// it panics with (Error(Contract, #code)). chain/chaintest's fake contract
// uses the same codes.
const (
	// BadgeMintFunction is the contract function that mints one badge.
	BadgeMintFunction = "mint"
	// BadgeErrAlreadyMintedToOwner: the token already belongs to the
	// intended owner, so a repeat mint is done, not failed.
	BadgeErrAlreadyMintedToOwner uint32 = 1
	// BadgeErrOwnedByAnother: the token belongs to someone else.
	BadgeErrOwnedByAnother uint32 = 2
)

// badgeErrors names the contract's error codes in receipts' reasons.
var badgeErrors = map[uint32]string{
	BadgeErrAlreadyMintedToOwner: "already minted to owner",
	BadgeErrOwnedByAnother:       "token owned by another",
}

// ErrBadTokenID is returned (wrapped) for a token id that is not "0x" and
// 1..32 hex digits.
var ErrBadTokenID = errors.New("bad badge token id")

// u128Bound is 2^128, the first value a u128 cannot hold.
var u128Bound = new(big.Int).Lsh(big.NewInt(1), 128)

// TokenIDArg parses a token id ("0x" and up to 32 hex digits) into the
// u128 ScVal the contract takes.
func TokenIDArg(tokenID string) (xdr.ScVal, error) {
	digits, ok := strings.CutPrefix(tokenID, "0x")
	if !ok || len(digits) == 0 || len(digits) > 32 || strings.Trim(digits, "0123456789abcdefABCDEF") != "" {
		return xdr.ScVal{}, fmt.Errorf("token id %.80q: %w", tokenID, ErrBadTokenID)
	}
	v, okHex := new(big.Int).SetString(digits, 16)
	if !okHex || v.Cmp(u128Bound) >= 0 {
		return xdr.ScVal{}, fmt.Errorf("token id %.80q: %w", tokenID, ErrBadTokenID)
	}
	lo := new(big.Int).And(v, new(big.Int).SetUint64(^uint64(0))).Uint64()
	hi := new(big.Int).Rsh(v, 64).Uint64()
	return xdr.ScVal{Type: xdr.ScValTypeScvU128, U128: &xdr.UInt128Parts{Hi: xdr.Uint64(hi), Lo: xdr.Uint64(lo)}}, nil
}

// AccountArg is the Address ScVal of a G… account id.
func AccountArg(address string) (xdr.ScVal, error) {
	id, err := xdr.AddressToAccountId(address)
	if err != nil {
		return xdr.ScVal{}, fmt.Errorf("recipient %.80q: %w", address, ErrBadAddress)
	}
	addr := xdr.ScAddress{Type: xdr.ScAddressTypeScAddressTypeAccount, AccountId: &id}
	return xdr.ScVal{Type: xdr.ScValTypeScvAddress, Address: &addr}, nil
}

// MintCall is the badge contract invocation mint(to, tokenID).
func MintCall(contract xdr.ContractId, to, tokenID string) (xdr.InvokeContractArgs, error) {
	toArg, err := AccountArg(to)
	if err != nil {
		return xdr.InvokeContractArgs{}, err
	}
	idArg, err := TokenIDArg(tokenID)
	if err != nil {
		return xdr.InvokeContractArgs{}, err
	}
	return xdr.InvokeContractArgs{
		ContractAddress: xdr.ScAddress{Type: xdr.ScAddressTypeScAddressTypeContract, ContractId: &contract},
		FunctionName:    BadgeMintFunction,
		Args:            []xdr.ScVal{toArg, idArg},
	}, nil
}

// parseContract decodes a C… contract strkey.
func parseContract(s string) (xdr.ContractId, error) {
	raw, err := strkey.Decode(strkey.VersionByteContract, s)
	if err != nil || len(raw) != 32 {
		return xdr.ContractId{}, fmt.Errorf("contract %.80q: not a C… contract id", s)
	}
	var id xdr.ContractId
	copy(id[:], raw)
	return id, nil
}

// scErrorText renders a host error the way the Soroban host prints it,
// with the badge contract's own codes named.
func scErrorText(e xdr.ScError) string {
	if e.Type == xdr.ScErrorTypeSceContract && e.ContractCode != nil {
		code := uint32(*e.ContractCode)
		if name, ok := badgeErrors[code]; ok {
			return fmt.Sprintf("Error(Contract, #%d): %s", code, name)
		}
		return fmt.Sprintf("Error(Contract, #%d)", code)
	}
	typ := strings.TrimPrefix(e.Type.String(), "ScErrorTypeSce")
	if e.Code != nil {
		return fmt.Sprintf("Error(%s, %s)", typ, strings.TrimPrefix(e.Code.String(), "ScErrorCodeScec"))
	}
	return fmt.Sprintf("Error(%s)", typ)
}

// hostError finds the error a failed invocation reported in its diagnostic
// events (base64 DiagnosticEvent XDR): a contract error raised by
// contract (or by no named contract) first, else the first error topic.
func hostError(events []string, contract xdr.ContractId) (xdr.ScError, bool) {
	var found *xdr.ScError
	for _, b64 := range events {
		var ev xdr.DiagnosticEvent
		if xdr.SafeUnmarshalBase64(b64, &ev) != nil || ev.Event.Body.V0 == nil {
			continue
		}
		for _, topic := range ev.Event.Body.V0.Topics {
			if topic.Type != xdr.ScValTypeScvError || topic.Error == nil {
				continue
			}
			e := *topic.Error
			if e.Type == xdr.ScErrorTypeSceContract && (ev.Event.ContractId == nil || *ev.Event.ContractId == contract) {
				return e, true
			}
			if found == nil {
				found = &e
			}
		}
	}
	if found == nil {
		return xdr.ScError{}, false
	}
	return *found, true
}

// alreadyMinted reports whether e is the badge contract's "already minted
// to owner".
func alreadyMinted(e xdr.ScError) bool {
	return e.Type == xdr.ScErrorTypeSceContract && e.ContractCode != nil &&
		uint32(*e.ContractCode) == BadgeErrAlreadyMintedToOwner
}
