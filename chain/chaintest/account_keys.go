package chaintest

// PrivateKey returns the account's (first) signer's private key as "0x"
// hex, for a relayer under test that signs transactions itself.
func (a *Account) PrivateKey() string { return "0x" + a.keys[0].Text(16) }
