// Package merkle builds the Poseidon Merkle tree over a closed leaderboard
// period's final standings, so that a Cairo contract holding only the root
// (submitted by the chain writer through submit_root(board, period, root))
// can check any player's (rank, score) claim from a short proof.
//
// Everything below is the wire contract with the Cairo verifier; changing
// any of it changes every root and invalidates proofs already published.
//
// # Felts
//
// All values are StarkNet field elements (felt252, p = 2^251 + 17·2^192 + 1).
// Roots, leaf hashes and proof siblings travel as lower-case "0x"-prefixed
// hex without leading zeros (starknet.go's felt.String form); parsers accept
// any "0x" hex of at most 64 digits whose value is below p.
//
// # Leaf encoding
//
// A period's root is built with one leaf version, stored with the root
// (period_roots.leaf_version) and served with every proof; a proof
// verifies only with its period's version. Periods frozen before v2 stay
// v1 for good.
//
// Version 1 (LeafV1):
//
//	rank_felt   = rank as an unsigned integer (1-based, as displayed)
//	player_felt = the player's UUID read as ONE unsigned 128-bit integer
//	              from its 16 bytes in big-endian order (RFC 4122 byte
//	              order, i.e. the hex digits of the canonical text form
//	              with dashes removed: 0x<32 hex digits>)
//	score_felt  = score as an unsigned integer
//	leaf        = poseidon_hash_span([rank_felt, player_felt, score_felt])
//
// Version 2 (LeafV2) adds the replay of the game that set the standing, so
// a player goes from the root on chain, through their proof, to the replay
// (GET /api/v1/sessions/{sessionId}/replay) and every whack in it:
//
//	tag_felt    = 0x70726f6f667374656c6c2f6c6561662f7632, the Cairo short
//	              string 'proofstell/leaf/v2' (its 18 ASCII bytes read as
//	              one big-endian integer)
//	replay_hash = the 32-byte SHA-256 of the replay's canonical bytes (the
//	              replayHash the replay endpoint serves, docs/FAIRNESS.md);
//	              32 zero bytes when the game has no replay (an unranked or
//	              legacy game)
//	replay_high = replay_hash[0:16] read as one big-endian 128-bit integer
//	replay_low  = replay_hash[16:32] read the same way
//	leaf        = poseidon_hash_span([tag_felt, rank_felt, player_felt,
//	              score_felt, replay_high, replay_low])
//
// The 256-bit hash does not fit one felt, so it travels as two u128 halves
// (a Cairo u256's high and low, in that order). The tag and the input
// length (six felts against v1's three) keep a v2 leaf from ever equalling
// a v1 leaf short of a Poseidon collision.
//
// poseidon_hash_span is Cairo core's sponge (rate 2, capacity 1, padding
// with 1 then 0 as specified in the StarkNet docs, "Poseidon array hash"),
// which is starknet.go's curve.PoseidonArray. Hashing three or more felts through the
// sponge keeps leaves out of the internal-node domain, the second-preimage
// caveat OpenZeppelin documents for two-felt leaves.
//
// # Internal nodes
//
//	node(a, b) = hades_permutation(min(a, b), max(a, b), 2)[0]
//
// with min/max comparing the felts as unsigned integers. This is exactly
// OpenZeppelin Contracts for Cairo's PoseidonCHasher::commutative_hash
// (packages/merkle_tree/src/hashes.cairo, file header "v0.20.0": it calls
// hades_permutation(a, b, 2) after sorting the pair as u256) and
// starknet.go's curve.Poseidon(min, max). A contract can therefore verify
// with openzeppelin_merkle_tree's verify_poseidon(proof, root, leaf) from a
// release whose PoseidonCHasher uses hades_permutation, or with its own
// five-line loop: computed = leaf; for s in proof { computed =
// commutative_hash(computed, s) }; computed == root. Some earlier
// OpenZeppelin releases (and their test vectors generated with
// @ericnordelo/strk-merkle-tree) hashed pairs with poseidon_hash_span([a, b])
// instead; those produce different roots and must not be used.
//
// # Tree shape
//
// Leaves keep the order they are given (standings order). Each level pairs
// nodes (0,1), (2,3), ...; when a level has an odd count its last node is
// promoted to the next level unchanged (no duplication, no zero padding).
// A proof is the list of siblings from the leaf level upwards, skipping the
// levels where the node was promoted; sorted pairs make the leaf's position
// unnecessary. A tree with one leaf has root == leaf and an empty proof.
//
// Each player may appear at most once: Build rejects duplicate players
// (ErrDuplicatePlayer) so a proof lookup by player is unambiguous. Ties in
// rank between different players are allowed.
package merkle
