package rest

import (
	"log/slog"
	"math/big"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/NethermindEth/juno/core/felt"
	"github.com/NethermindEth/starknet.go/curve"
	"github.com/go-chi/chi/v5"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/config"
	"github.com/proofstell/proofstell/persistence"
	"github.com/proofstell/proofstell/persistence/postgres"
)

// newPeriodRouter mounts periodRoutes the way routes() will: request ids,
// /api/v1 and the public group.
func newPeriodRouter(deps Deps, periods PeriodDeps) http.Handler {
	a := &api{Deps: deps, logger: deps.Logger, now: deps.Now, tokens: deps.Tokens}
	r := chi.NewRouter()
	r.Use(withRequestID)
	r.NotFound(a.handle(notFound))
	r.MethodNotAllowed(a.handle(methodNotAllowed))
	r.Route("/api/v1", func(r chi.Router) {
		r.Group(func(r chi.Router) { a.periodRoutes(r, periods) })
	})
	return r
}

// newPeriodHarness builds the proof router over a fresh database.
func newPeriodHarness(t testing.TB) (*harness, *postgres.Store) {
	t.Helper()
	store := openStore(t)
	h := &harness{logs: &syncBuffer{}}
	h.handler = newPeriodRouter(Deps{Config: config.Default().HTTP, Env: config.EnvTest,
		Now: func() time.Time { return testNow }, Logger: slog.New(slog.NewJSONHandler(h.logs, nil)), Modes: store},
		PeriodDeps{Store: store, Trees: productionTrees, CacheTrees: 2})
	return h, store
}

// saveFrozen stores standings and root for board/period as the scheduler
// leader would.
func saveFrozen(t testing.TB, store *postgres.Store, root persistence.PeriodRoot, st []persistence.PeriodStanding) {
	t.Helper()
	lease, err := store.AcquireLease(t.Context(), persistence.SchedulerLease, "node-a", time.Hour)
	require.NoError(t, err)
	saved, err := store.SavePeriodRoot(t.Context(), root, st, lease.Holder, lease.Epoch)
	require.NoError(t, err)
	require.True(t, saved)
}

// The helpers below re-derive chain/merkle's documented encoding from
// starknet.go's Poseidon and math/big alone, as a Cairo verifier or a third
// party would, so the proofs served are checked independently of the code
// that built them.

func indFelt(t testing.TB, hexDigits string) *felt.Felt {
	t.Helper()
	v, ok := new(big.Int).SetString(strings.TrimPrefix(hexDigits, "0x"), 16)
	require.True(t, ok, "hex %q", hexDigits)
	return new(felt.Felt).SetBigInt(v)
}

// indLeaf is poseidon_hash_span([rank, player as u128 big-endian, score]).
func indLeaf(t testing.TB, rank int, playerID string, score int64) *felt.Felt {
	t.Helper()
	return curve.PoseidonArray(new(felt.Felt).SetBigInt(big.NewInt(int64(rank))),
		indFelt(t, strings.ReplaceAll(playerID, "-", "")), new(felt.Felt).SetBigInt(big.NewInt(score)))
}

// indNode is hades_permutation(min, max, 2)[0].
func indNode(a, b *felt.Felt) *felt.Felt {
	if a.BigInt(new(big.Int)).Cmp(b.BigInt(new(big.Int))) > 0 {
		a, b = b, a
	}
	return curve.Poseidon(a, b)
}

// indFold folds proof onto leaf like OpenZeppelin's process_proof.
func indFold(t testing.TB, leaf *felt.Felt, proof []string) string {
	t.Helper()
	computed := leaf
	for _, s := range proof {
		computed = indNode(computed, indFelt(t, s))
	}
	return computed.String()
}

// indRoot builds the root recursively: the left subtree holds the largest
// power of two below n, the shape left-to-right pairing with odd promotion
// produces.
func indRoot(t testing.TB, leaves []*felt.Felt) *felt.Felt {
	t.Helper()
	if len(leaves) == 1 {
		return leaves[0]
	}
	split := 1
	for split*2 < len(leaves) {
		split *= 2
	}
	return indNode(indRoot(t, leaves[:split]), indRoot(t, leaves[split:]))
}
