package auth

import (
	"fmt"
	"testing"

	"golang.org/x/crypto/bcrypt"
)

// BenchmarkPasswords_Compare measures one password check, the CPU a login
// spends, at the default cost (12, BCRYPT_SALT_ROUNDS) and at 10. One
// check per op on one goroutine: ns/op is the per-core bound on password
// logins per second. bench/ records it.
func BenchmarkPasswords_Compare(b *testing.B) {
	const password = "correct horse 1"
	for _, cost := range []int{12, 10} {
		b.Run(fmt.Sprintf("cost=%d", cost), func(b *testing.B) {
			p, err := NewPasswords(cost)
			if err != nil {
				b.Fatal(err)
			}
			hash, err := p.Hash(password)
			if err != nil {
				b.Fatal(err)
			}
			if got, err := bcrypt.Cost(hash); err != nil || got != cost {
				b.Fatalf("hash cost %d (%v), want %d", got, err, cost)
			}
			b.Run("match", func(b *testing.B) { benchCompare(b, p, hash, password, true) })
			b.Run("mismatch", func(b *testing.B) { benchCompare(b, p, hash, password+"x", false) })
			b.Run("unknown_email", func(b *testing.B) { benchCompare(b, p, nil, password, false) })
		})
	}
}

// benchCompare runs Compare b.N times and fails if it ever answers other
// than want, so the benchmark cannot time a short-circuit.
func benchCompare(b *testing.B, p *Passwords, hash []byte, password string, want bool) {
	b.Helper()
	b.ReportAllocs()
	for b.Loop() {
		if p.Compare(hash, password) != want {
			b.Fatalf("Compare = %v, want %v", !want, want)
		}
	}
}
