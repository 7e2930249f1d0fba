package session

import (
	"crypto/rand"

	"github.com/proofstell/proofstell/actors/session/game"
)

// codeAlphabet leaves out look-alikes (0/O, 1/I) so codes survive being read
// aloud.
const codeAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// CodeLength is the length of a match join code.
const CodeLength = 6

// RandomSeed draws a game seed from the system's CSPRNG: players must not be
// able to predict the board, and the seed stays secret until game:over.
func RandomSeed() game.Seed {
	var s game.Seed
	_, _ = rand.Read(s[:]) // crypto/rand.Read never fails on supported platforms
	return s
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
