package starknet

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/NethermindEth/starknet.go/typeddata"
)

// Domain fields of the sign-in message. The chain id comes from config, so
// a signature made for another network never verifies here.
const (
	DomainName    = "ProofStell"
	DomainVersion = "1"
	// domainRevision selects SNIP-12 revision 1 (Poseidon hashing, long strings).
	domainRevision = "1"
	// PrimaryType names the signed struct in wallets' signing prompts.
	PrimaryType = "SignIn"
)

// SignIn is the message a player signs to prove they control Address. The
// server keeps only the nonce; everything else is rebuilt from it.
type SignIn struct {
	Address   string // normalized contract address
	Nonce     string // single-use, "0x" hex
	IssuedAt  time.Time
	ExpiresAt time.Time
	Statement string
	// Origin is the service's public origin (https://host[:port]): the
	// wallet shows the player which site asks.
	Origin string
}

// typeParam is one member of a SNIP-12 type.
type typeParam struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

// typedDoc is the SNIP-12 document exactly as wallets receive it.
type typedDoc struct {
	Types       map[string][]typeParam `json:"types"`
	PrimaryType string                 `json:"primaryType"`
	Domain      domainDoc              `json:"domain"`
	Message     messageDoc             `json:"message"`
}

type domainDoc struct {
	Name     string `json:"name"`
	Version  string `json:"version"`
	ChainID  string `json:"chainId"`
	Revision string `json:"revision"`
}

type messageDoc struct {
	Address   string `json:"address"`
	Nonce     string `json:"nonce"`
	IssuedAt  int64  `json:"issuedAt"`
	ExpiresAt int64  `json:"expiresAt"`
	Statement string `json:"statement"`
	Origin    string `json:"origin"`
}

// signInTypes are the revision 1 type definitions of the message.
var signInTypes = map[string][]typeParam{
	"StarknetDomain": {
		{Name: "name", Type: "shortstring"}, {Name: "version", Type: "shortstring"},
		{Name: "chainId", Type: "shortstring"}, {Name: "revision", Type: "shortstring"},
	},
	PrimaryType: {
		{Name: "address", Type: "ContractAddress"}, {Name: "nonce", Type: "felt"},
		{Name: "issuedAt", Type: "timestamp"}, {Name: "expiresAt", Type: "timestamp"},
		{Name: "statement", Type: "string"}, {Name: "origin", Type: "string"},
	},
}

// TypedData returns the SNIP-12 revision 1 JSON document of m for chainID,
// ready for a wallet's signTypedData (account.signMessage).
func TypedData(chainID string, m SignIn) (json.RawMessage, error) {
	doc := typedDoc{
		Types:       signInTypes,
		PrimaryType: PrimaryType,
		Domain:      domainDoc{Name: DomainName, Version: DomainVersion, ChainID: chainID, Revision: domainRevision},
		Message: messageDoc{Address: m.Address, Nonce: m.Nonce, IssuedAt: m.IssuedAt.Unix(),
			ExpiresAt: m.ExpiresAt.Unix(), Statement: m.Statement, Origin: m.Origin},
	}
	raw, err := json.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("encode sign-in typed data: %w", err)
	}
	return raw, nil
}

// MessageHash returns the SNIP-12 hash of m for chainID as the account
// m.Address signs it ("0x" hex): the value is_valid_signature checks.
func MessageHash(chainID string, m SignIn) (string, error) {
	raw, err := TypedData(chainID, m)
	if err != nil {
		return "", err
	}
	var td typeddata.TypedData
	if err := json.Unmarshal(raw, &td); err != nil {
		return "", fmt.Errorf("parse sign-in typed data: %w", err)
	}
	h, err := td.GetMessageHash(m.Address)
	if err != nil {
		return "", fmt.Errorf("hash sign-in message: %w", err)
	}
	return h.String(), nil
}
