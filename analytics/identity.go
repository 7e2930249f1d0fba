package analytics

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/netip"
)

// Identity turns player ids into pseudonymous ids. Player ids are public
// (leaderboards show them), so an unkeyed hash would be reversible by
// anyone hashing the public ids; the key never leaves the node.
type Identity struct {
	key []byte
}

// NewIdentity keys the pseudonymous ids with secret (ANALYTICS_ID_SECRET).
// Changing the secret changes every id: providers then see new people.
func NewIdentity(secret string) Identity { return Identity{key: []byte(secret)} }

func (i Identity) mac(playerID string) []byte {
	m := hmac.New(sha256.New, i.key)
	m.Write([]byte(playerID))
	return m.Sum(nil)
}

// Of is the pseudonymous id of playerID: 32 hex characters of
// HMAC-SHA256(secret, playerID).
func (i Identity) Of(playerID string) string { return hex.EncodeToString(i.mac(playerID)[:16]) }

// Addr is a pseudonymous IPv6 address of playerID in the unique-local
// range fd00::/8: Plausible counts visitors by IP and User-Agent, so it
// counts players without any real address leaving the node.
func (i Identity) Addr(playerID string) string {
	var a [16]byte
	copy(a[:], i.mac("addr\x00" + playerID)[:16])
	a[0] = 0xfd
	return netip.AddrFrom16(a).String()
}
