package rest

import (
	"encoding/json"
	"strings"

	"github.com/proofstell/proofstell/internal/strictjson"
)

// StarkNet signature felts are written as wallets and starknet.js write
// them: "0x" and up to 64 hex digits, or up to 76 decimal digits (the field
// prime has 76). Their value (below the prime) is checked by the chain code.
const (
	maxHexFelt     = 66
	maxDecimalFelt = 76
)

// msgFeltSignature is the 422 message of a signature that is not felts.
const msgFeltSignature = "signature must be 1 to 16 felts, each a string of 0x hex or decimal digits, " +
	"as a list or as {\"r\",\"s\"}"

// rsSignature is a Stark curve signature as starknet.js's Signer answers it
// (a {r, s, recovery} object) once a frontend has turned its bigints into
// strings to send it; recovery is not needed to verify and is ignored.
type rsSignature struct {
	R        string          `json:"r"`
	S        string          `json:"s"`
	Recovery json.RawMessage `json:"recovery"`
}

// parseStarknetSignature reads the signature of a StarkNet verify or link
// body: a list of felts (what wallet_signTypedData answers, and
// stark.formatSignature or stark.signatureToDecimalArray make of a Signer's
// answer) or a {r, s} object. Anything else is a 422 naming the field.
func parseStarknetSignature(raw json.RawMessage) ([]string, error) {
	var felts []string
	if json.Unmarshal(raw, &felts) != nil {
		var rs rsSignature
		if strictjson.Decode(raw, &rs) != nil || rs.R == "" || rs.S == "" {
			return nil, invalid("signature", msgFeltSignature)
		}
		felts = []string{rs.R, rs.S}
	}
	if err := checkFelts(felts); err != nil {
		return nil, err
	}
	return felts, nil
}

// checkFelts checks the count and spelling of signature felts.
func checkFelts(sig []string) error {
	if len(sig) == 0 || len(sig) > maxSignatureFelts {
		return invalid("signature", msgFeltSignature)
	}
	for _, f := range sig {
		if !feltSpelling(f) {
			return invalid("signature", msgFeltSignature)
		}
	}
	return nil
}

// feltSpelling reports whether f is "0x" hex or decimal digits within the
// felt lengths.
func feltSpelling(f string) bool {
	if len(f) > 2 && (f[:2] == "0x" || f[:2] == "0X") {
		return len(f) <= maxHexFelt && onlyRunes(f[2:], "0123456789abcdefABCDEF")
	}
	return f != "" && len(f) <= maxDecimalFelt && onlyRunes(f, "0123456789")
}

// onlyRunes reports whether every rune of s is in set.
func onlyRunes(s, set string) bool {
	return strings.Trim(s, set) == ""
}
