// Package chaintest runs a fake StarkNet JSON-RPC node over real HTTP for
// tests. Its account contracts hold real Stark keys and their
// is_valid_signature really checks ECDSA signatures over the Stark curve, so
// a test that passes here would pass against Argent and Braavos accounts:
// nothing is stubbed to "valid". Faults (down, timeout, rate limited, wrong
// result) are injected per node.
package chaintest
