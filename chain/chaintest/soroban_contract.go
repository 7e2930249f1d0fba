package chaintest

import (
	"crypto/sha256"
	"fmt"
	"math/big"
	"strings"

	"github.com/stellar/go-stellar-sdk/strkey"
	"github.com/stellar/go-stellar-sdk/xdr"
)

// The badge contract's ledger entries: its instance, its code, and one
// persistent Vec[Symbol("Owner"), u128] entry per token.
var (
	sorobanContractID = mustSorobanContractID(SorobanBadgeContract)
	sorobanWasmHash   = xdr.Hash(sha256.Sum256([]byte("proofstell badge wasm")))
)

func mustSorobanContractID(s string) xdr.ContractId {
	raw, err := strkey.Decode(strkey.VersionByteContract, s)
	if err != nil {
		panic("chaintest: bad contract constant: " + err.Error())
	}
	var id xdr.ContractId
	copy(id[:], raw)
	return id
}

// sorobanMint is one decoded mint(to, token_id) call.
type sorobanMint struct {
	call    xdr.InvokeContractArgs
	to      string // G…
	tokenID string // canonical
}

// sorobanHostErr is a Soroban host error: a contract's own code or a host type
// and code.
func sorobanHostErr(t xdr.ScErrorType, c xdr.ScErrorCode) xdr.ScError {
	return xdr.ScError{Type: t, Code: &c}
}

func sorobanContractErr(code uint32) xdr.ScError {
	c := xdr.Uint32(code)
	return xdr.ScError{Type: xdr.ScErrorTypeSceContract, ContractCode: &c}
}

// decodeSorobanMint checks the host function is the badge contract's mint with a
// G… account and a u128; otherwise it returns the error the host raises.
func decodeSorobanMint(hf xdr.HostFunction) (sorobanMint, *xdr.ScError) {
	fail := func(e xdr.ScError) (sorobanMint, *xdr.ScError) { return sorobanMint{}, &e }
	call := hf.InvokeContract
	switch {
	case hf.Type != xdr.HostFunctionTypeHostFunctionTypeInvokeContract || call == nil:
		return fail(sorobanHostErr(xdr.ScErrorTypeSceValue, xdr.ScErrorCodeScecInvalidInput))
	case call.ContractAddress.ContractId == nil || *call.ContractAddress.ContractId != sorobanContractID:
		return fail(sorobanHostErr(xdr.ScErrorTypeSceStorage, xdr.ScErrorCodeScecMissingValue))
	case call.FunctionName != "mint":
		return fail(sorobanHostErr(xdr.ScErrorTypeSceWasmVm, xdr.ScErrorCodeScecMissingValue))
	case len(call.Args) != 2:
		return fail(sorobanHostErr(xdr.ScErrorTypeSceValue, xdr.ScErrorCodeScecUnexpectedSize))
	}
	to, id := call.Args[0], call.Args[1]
	if to.Address == nil || to.Address.AccountId == nil || id.Type != xdr.ScValTypeScvU128 || id.U128 == nil {
		return fail(sorobanHostErr(xdr.ScErrorTypeSceValue, xdr.ScErrorCodeScecUnexpectedType))
	}
	v := new(big.Int).Lsh(new(big.Int).SetUint64(uint64(id.U128.Hi)), 64)
	v.Or(v, new(big.Int).SetUint64(uint64(id.U128.Lo)))
	return sorobanMint{call: *call, to: to.Address.AccountId.Address(), tokenID: "0x" + sorobanLeftPad(v.Text(16), 32)}, nil
}

// sorobanMintOutcome is the error mint raises against owners, if any.
func sorobanMintOutcome(owners map[string]string, m sorobanMint) *xdr.ScError {
	owner, ok := owners[m.tokenID]
	switch {
	case ok && owner == m.to:
		e := sorobanContractErr(SorobanErrAlreadyMintedToOwner)
		return &e
	case ok:
		e := sorobanContractErr(SorobanErrOwnedByAnother)
		return &e
	}
	return nil
}

// sorobanContractAddress is the badge contract as an ScAddress.
func sorobanContractAddress() xdr.ScAddress {
	id := sorobanContractID
	return xdr.ScAddress{Type: xdr.ScAddressTypeScAddressTypeContract, ContractId: &id}
}

// sorobanFootprint is what mint touches: the instance and code read, the token's
// owner entry written.
func sorobanFootprint(m sorobanMint) xdr.LedgerFootprint {
	instance := xdr.LedgerKey{Type: xdr.LedgerEntryTypeContractData, ContractData: &xdr.LedgerKeyContractData{
		Contract: sorobanContractAddress(), Key: xdr.ScVal{Type: xdr.ScValTypeScvLedgerKeyContractInstance},
		Durability: xdr.ContractDataDurabilityPersistent}}
	code := xdr.LedgerKey{Type: xdr.LedgerEntryTypeContractCode, ContractCode: &xdr.LedgerKeyContractCode{Hash: sorobanWasmHash}}
	return xdr.LedgerFootprint{ReadOnly: []xdr.LedgerKey{instance, code}, ReadWrite: []xdr.LedgerKey{sorobanOwnerKey(m)}}
}

// sorobanOwnerKey is the persistent entry holding the token's owner.
func sorobanOwnerKey(m sorobanMint) xdr.LedgerKey {
	sym := xdr.ScSymbol("Owner")
	vec := &xdr.ScVec{{Type: xdr.ScValTypeScvSymbol, Sym: &sym}, m.call.Args[1]}
	return xdr.LedgerKey{Type: xdr.LedgerEntryTypeContractData, ContractData: &xdr.LedgerKeyContractData{
		Contract: sorobanContractAddress(), Key: xdr.ScVal{Type: xdr.ScValTypeScvVec, Vec: &vec},
		Durability: xdr.ContractDataDurabilityPersistent}}
}

// sorobanMintAuth is the auth entry recording mode produces for the minter:
// source-account credentials when the minter invokes, else address
// credentials the minter would have to sign.
func sorobanMintAuth(m sorobanMint, invoker, minter string, nonce int64) (xdr.SorobanAuthorizationEntry, error) {
	entry := xdr.SorobanAuthorizationEntry{
		Credentials: xdr.SorobanCredentials{Type: xdr.SorobanCredentialsTypeSorobanCredentialsSourceAccount},
		RootInvocation: xdr.SorobanAuthorizedInvocation{Function: xdr.SorobanAuthorizedFunction{
			Type: xdr.SorobanAuthorizedFunctionTypeSorobanAuthorizedFunctionTypeContractFn, ContractFn: &m.call}},
	}
	if invoker == minter {
		return entry, nil
	}
	id, err := xdr.AddressToAccountId(minter)
	if err != nil {
		return entry, fmt.Errorf("minter %s: %w", minter, err)
	}
	entry.Credentials = xdr.SorobanCredentials{Type: xdr.SorobanCredentialsTypeSorobanCredentialsAddress,
		Address: &xdr.SorobanAddressCredentials{Address: xdr.ScAddress{Type: xdr.ScAddressTypeScAddressTypeAccount, AccountId: &id},
			Nonce: xdr.Int64(nonce), Signature: xdr.ScVal{Type: xdr.ScValTypeScvVoid}}}
	return entry, nil
}

// sorobanAuthorized is minter.require_auth() for a source-account invoker: the
// invoker is the minter and an entry with source-account credentials
// authorizes exactly this call.
func sorobanAuthorized(m sorobanMint, invoker, minter string, auth []xdr.SorobanAuthorizationEntry) bool {
	if minter == "" || invoker != minter {
		return false
	}
	want, err := xdr.MarshalBase64(m.call)
	if err != nil {
		return false
	}
	for _, a := range auth {
		fn := a.RootInvocation.Function.ContractFn
		if a.Credentials.Type != xdr.SorobanCredentialsTypeSorobanCredentialsSourceAccount || fn == nil {
			continue
		}
		if got, err := xdr.MarshalBase64(*fn); err == nil && got == want {
			return true
		}
	}
	return false
}

// sorobanWrites reports whether the footprint lets mint write the owner entry.
func sorobanWrites(fp xdr.LedgerFootprint, m sorobanMint) bool {
	want, err := xdr.MarshalBase64(sorobanOwnerKey(m))
	if err != nil {
		return false
	}
	for _, k := range fp.ReadWrite {
		if got, err := xdr.MarshalBase64(k); err == nil && got == want {
			return true
		}
	}
	return false
}

// sorobanErrorEvent is the diagnostic event the host emits when a call fails:
// topics ["error", Error(..)], from the badge contract.
func sorobanErrorEvent(e xdr.ScError) string {
	id := sorobanContractID
	sym := xdr.ScSymbol("error")
	msg := xdr.ScString("escalating error to VM trap from failed host function call: " + sorobanErrorText(e))
	ev := xdr.DiagnosticEvent{Event: xdr.ContractEvent{ContractId: &id, Type: xdr.ContractEventTypeDiagnostic,
		Body: xdr.ContractEventBody{V: 0, V0: &xdr.ContractEventV0{
			Topics: []xdr.ScVal{{Type: xdr.ScValTypeScvSymbol, Sym: &sym}, {Type: xdr.ScValTypeScvError, Error: &e}},
			Data:   xdr.ScVal{Type: xdr.ScValTypeScvString, Str: &msg}}}}}
	b64, err := xdr.MarshalBase64(ev)
	if err != nil {
		return "" // unreachable: every field is set above
	}
	return b64
}

// sorobanErrorText prints e as the host does: Error(Contract, #1),
// Error(Budget, ExceededLimit).
func sorobanErrorText(e xdr.ScError) string {
	if e.ContractCode != nil {
		return fmt.Sprintf("Error(Contract, #%d)", *e.ContractCode)
	}
	typ := strings.TrimPrefix(e.Type.String(), "ScErrorTypeSce")
	if e.Code == nil {
		return "Error(" + typ + ")"
	}
	return fmt.Sprintf("Error(%s, %s)", typ, strings.TrimPrefix(e.Code.String(), "ScErrorCodeScec"))
}
