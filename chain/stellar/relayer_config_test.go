package stellar_test

import (
	"math"
	"testing"

	"github.com/stellar/go-stellar-sdk/keypair"
	"github.com/stellar/go-stellar-sdk/network"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/chain/chaintest"
	"github.com/proofstell/proofstell/chain/stellar"
)

func TestNewRelayer_ValidatesConfig(t *testing.T) {
	t.Parallel()
	seed := keypair.MustRandom().Seed()
	valid := func() stellar.RelayerConfig {
		return stellar.RelayerConfig{URL: "http://127.0.0.1:8000/rpc", NetworkPassphrase: network.TestNetworkPassphrase,
			SecretKey: seed, Contract: chaintest.SorobanBadgeContract}
	}
	tests := []struct {
		name   string
		tune   func(*stellar.RelayerConfig)
		errHas string
	}{
		{"valid", func(*stellar.RelayerConfig) {}, ""},
		{"url without scheme", func(c *stellar.RelayerConfig) { c.URL = "127.0.0.1:8000" }, "url"},
		{"empty passphrase", func(c *stellar.RelayerConfig) { c.NetworkPassphrase = "" }, "passphrase"},
		{"address instead of seed", func(c *stellar.RelayerConfig) { c.SecretKey = keypair.MustRandom().Address() }, "secret key"},
		{"corrupted seed", func(c *stellar.RelayerConfig) { c.SecretKey = corrupt(seed) }, "secret key"},
		{"account as contract", func(c *stellar.RelayerConfig) { c.Contract = keypair.MustRandom().Address() }, "contract"},
		{"multiplier below 1", func(c *stellar.RelayerConfig) { c.FeeMultiplier = 0.9 }, "fee multiplier"},
		{"multiplier NaN", func(c *stellar.RelayerConfig) { c.FeeMultiplier = math.NaN() }, "fee multiplier"},
		{"multiplier infinite", func(c *stellar.RelayerConfig) { c.FeeMultiplier = math.Inf(1) }, "fee multiplier"},
		{"negative cap", func(c *stellar.RelayerConfig) { c.MaxFee = -1 }, "max fee"},
	}
	for _, tt := range tests {
		cfg := valid()
		tt.tune(&cfg)
		r, err := stellar.NewRelayer(cfg)
		if tt.errHas == "" {
			require.NoError(t, err, tt.name)
			require.NoError(t, r.Close())
			continue
		}
		require.ErrorContains(t, err, tt.errHas, tt.name)
		require.NotContains(t, err.Error(), cfg.SecretKey[1:], tt.name+": never echo the secret")
	}
}

// corrupt changes the seed's last character, so its checksum fails. It
// must pick a letter the seed does not already end with, or one random
// seed in 32 would come back unchanged.
func corrupt(seed string) string {
	last := "A"
	if seed[len(seed)-1] == 'A' {
		last = "B"
	}
	return seed[:len(seed)-1] + last
}

func TestNewRelayer_JoinsEveryProblem(t *testing.T) {
	t.Parallel()
	_, err := stellar.NewRelayer(stellar.RelayerConfig{SecretKey: "SNOTASEED", FeeMultiplier: 0.5, MaxFee: -1})
	for _, want := range []string{"url", "passphrase", "secret key", "contract", "fee multiplier", "max fee"} {
		require.ErrorContains(t, err, want)
	}
	require.NotContains(t, err.Error(), "SNOTASEED")
}
