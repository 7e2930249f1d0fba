package starknet

import (
	"crypto/sha256"
	"encoding/hex"
)

// TokenID derives the badge token id of (badgeID, playerID): the low 128
// bits of sha256(badgeID + ":" + playerID), i.e. the last 16 bytes of the
// digest read big-endian, as "0x" + 32 lowercase hex digits. It is the u256
// token_id's low word (high word 0). The same pair always yields the same
// id, so a repeated mint can never create a second token; whoever writes mint
// rows must use this function (or exactly this rule).
func TokenID(badgeID, playerID string) string {
	sum := sha256.Sum256([]byte(badgeID + ":" + playerID))
	return "0x" + hex.EncodeToString(sum[16:])
}
