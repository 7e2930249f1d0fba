package session

import (
	"crypto/rand"
	"encoding/binary"
)

// codeAlphabet leaves out look-alikes (0/O, 1/I) so codes survive being read
// aloud.
const codeAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// CodeLength is the length of a match join code.
const CodeLength = 6

// RandomSeed draws a game seed from the system's CSPRNG: players must not be
// able to predict the board.
func RandomSeed() uint64 {
	var b [8]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	return binary.LittleEndian.Uint64(b[:])
}

// RandomCode draws a match join code.
func RandomCode() string {
	var b [CodeLength]byte
	_, _ = rand.Read(b[:])
	for i := range b {
		b[i] = codeAlphabet[int(b[i])%len(codeAlphabet)]
	}
	return string(b[:])
}
