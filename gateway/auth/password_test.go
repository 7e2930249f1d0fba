package auth

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/bcrypt"
)

func TestPasswords_HashAndCompare(t *testing.T) {
	t.Parallel()
	p, err := NewPasswords(bcrypt.MinCost)
	require.NoError(t, err)
	long := strings.Repeat("é", 100) + "1"
	for _, pw := range []string{"correct horse 1", long} {
		h, err := p.Hash(pw)
		require.NoError(t, err)
		cost, err := bcrypt.Cost(h)
		require.NoError(t, err)
		require.Equal(t, bcrypt.MinCost, cost, "the configured cost is used")
		require.True(t, p.Compare(h, pw))
		require.False(t, p.Compare(h, pw+"x"))
	}
	// Bytes past bcrypt's 72 still count.
	a := strings.Repeat("a", 80) + "1"
	h, err := p.Hash(a)
	require.NoError(t, err)
	require.False(t, p.Compare(h, strings.Repeat("a", 80)+"2"))
}

func TestPasswords_UnknownAccountStillCompares(t *testing.T) {
	t.Parallel()
	p, err := NewPasswords(bcrypt.MinCost + 1)
	require.NoError(t, err)
	cost, err := bcrypt.Cost(p.dummy)
	require.NoError(t, err)
	require.Equal(t, bcrypt.MinCost+1, cost, "the dummy costs what a real hash costs")
	require.False(t, p.Compare(nil, dummyPassword), "not even the dummy's own password matches")
}

func TestNewPasswords_RejectsBadCost(t *testing.T) {
	t.Parallel()
	for _, cost := range []int{0, 3, 32} {
		_, err := NewPasswords(cost)
		require.Error(t, err)
	}
}

func TestCheckStrength(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, password string
		ok             bool
	}{
		{"good", "whack4moles", true},
		{"unicode letters count", "möööölé9", true},
		{"too short", "abc1234", false},
		{"exactly 8", "abcdefg1", true},
		{"too long", strings.Repeat("a", 128) + "1", false},
		{"max length", strings.Repeat("a", 127) + "1", true},
		{"no digit", "onlyletters", false},
		{"no letter", "1234567890", false},
		{"is the username", "Mole_Fan1", false},
		{"is the email local part", "ALICE2026", false},
		{"control character", "abcdefg1\n", false},
		{"invalid utf8", "abcdefg1\xff", false},
	}
	for _, tc := range tests {
		err := CheckStrength(tc.password, "mole_fan1", "alice2026@example.com")
		if tc.ok {
			require.NoError(t, err, tc.name)
			continue
		}
		require.ErrorIs(t, err, ErrWeakPassword, tc.name)
		require.NotContains(t, err.Error(), tc.password, "never echoed")
	}
}
