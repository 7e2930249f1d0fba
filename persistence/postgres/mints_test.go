package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/persistence"
	"github.com/proofstell/proofstell/persistence/postgres"
)

// sqlTokenID derives the token id in SQL, independently of the Go code.
func sqlTokenID(t *testing.T, url, badgeID, playerID string) string {
	t.Helper()
	conn, err := pgx.Connect(ctxT(t), url)
	require.NoError(t, err)
	defer func() { _ = conn.Close(context.Background()) }()
	var id string
	require.NoError(t, conn.QueryRow(ctxT(t),
		`SELECT '0x' || right(encode(sha256(convert_to($1::text || ':' || $2::text, 'UTF8')), 'hex'), 32)`,
		badgeID, playerID).Scan(&id))
	return id
}

func TestStore_AwardBadge_QueuesMint(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		mintable  bool
		link      func(t *testing.T, s *postgres.Store, advance func(time.Duration) time.Time, playerID string)
		wantChain persistence.Chain
		wantAddr  string
	}{
		{name: "no wallet, no request", mintable: true},
		{name: "not mintable", mintable: false, link: linkAll},
		{name: "stellar only", mintable: true, wantChain: persistence.ChainStellar, wantAddr: stellarAddr('C'),
			link: func(t *testing.T, s *postgres.Store, _ func(time.Duration) time.Time, playerID string) {
				t.Helper()
				_, err := s.LinkWallet(context.Background(), playerID, persistence.ChainStellar, stellarAddr('C'))
				require.NoError(t, err)
			}},
		{name: "starknet preferred", mintable: true, link: linkAll,
			wantChain: persistence.ChainStarknet, wantAddr: starkAddr(4)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s, clk, url := newStore(t)
			ctx := ctxT(t)
			p := newGuest(t, s)
			if tc.link != nil {
				tc.link(t, s, clk.Advance, p.ID)
			}
			nb := newBadge("mint")
			nb.Mintable = tc.mintable
			b, err := s.CreateBadge(ctx, persistence.SystemActor("test"), nb)
			require.NoError(t, err)
			for range 2 {
				_, err = s.AwardBadge(ctx, p.ID, b.ID, persistence.SourceAuto)
				require.NoError(t, err)
			}
			mints, err := s.PlayerMints(ctx, p.ID)
			require.NoError(t, err)
			if tc.wantChain == "" {
				require.Empty(t, mints)
				return
			}
			require.Len(t, mints, 1, "one request per award, however often it is repeated")
			m := mints[0]
			require.Equal(t, persistence.MintRequest{ID: m.ID, PlayerID: p.ID, BadgeID: b.ID, Chain: tc.wantChain,
				Recipient: tc.wantAddr, TokenID: sqlTokenID(t, url, b.ID, p.ID), Status: persistence.MintPending,
				CreatedAt: clk.Now().Truncate(time.Microsecond), UpdatedAt: clk.Now().Truncate(time.Microsecond)}, m)
		})
	}
}

// TestStore_AwardBadge_MintInSameTransaction makes the mint insert fail and
// checks the award went with it: the two share one transaction.
func TestStore_AwardBadge_MintInSameTransaction(t *testing.T) {
	t.Parallel()
	s, clk, url := newStore(t)
	ctx := ctxT(t)
	p := newGuest(t, s)
	linkAll(t, s, clk.Advance, p.ID)
	b, err := s.CreateBadge(ctx, persistence.SystemActor("test"), newBadge("atomic"))
	require.NoError(t, err)
	conn, err := pgx.Connect(ctx, url)
	require.NoError(t, err)
	defer func() { _ = conn.Close(context.Background()) }()
	_, err = conn.Exec(ctx, `CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS
		$$ BEGIN RAISE EXCEPTION 'mint refused'; END $$;
		CREATE TRIGGER refuse_mint BEFORE INSERT ON mint_requests FOR EACH ROW EXECUTE FUNCTION refuse();`)
	require.NoError(t, err)

	_, err = s.AwardBadge(ctx, p.ID, b.ID, persistence.SourceAuto)
	require.ErrorContains(t, err, "mint refused")
	held, err := s.PlayerBadges(ctx, p.ID)
	require.NoError(t, err)
	require.Empty(t, held, "the award rolled back with its mint request")

	_, err = conn.Exec(ctx, `DROP TRIGGER refuse_mint ON mint_requests`)
	require.NoError(t, err)
	awarded, err := s.AwardBadge(ctx, p.ID, b.ID, persistence.SourceAuto)
	require.NoError(t, err)
	require.True(t, awarded)
	mints, err := s.PlayerMints(ctx, p.ID)
	require.NoError(t, err)
	require.Len(t, mints, 1)
}

func TestStore_PlayerMints_UnknownPlayer(t *testing.T) {
	t.Parallel()
	s, _, _ := newStore(t)
	for _, id := range []string{"nope", "6b1f3a52-9d7e-4c1a-8f3e-2a4b5c6d7e8f"} {
		mints, err := s.PlayerMints(ctxT(t), id)
		require.NoError(t, err)
		require.Empty(t, mints)
	}
}

func TestMintTokenID_Stable(t *testing.T) {
	t.Parallel()
	a := persistence.MintTokenID("6b1f3a52-9d7e-4c1a-8f3e-2a4b5c6d7e8f", "1b1f3a52-9d7e-4c1a-8f3e-2a4b5c6d7e8f")
	require.Regexp(t, `^0x[0-9a-f]{32}$`, a)
	require.Equal(t, a, persistence.MintTokenID("6b1f3a52-9d7e-4c1a-8f3e-2a4b5c6d7e8f", "1b1f3a52-9d7e-4c1a-8f3e-2a4b5c6d7e8f"))
	require.NotEqual(t, a, persistence.MintTokenID("1b1f3a52-9d7e-4c1a-8f3e-2a4b5c6d7e8f", "6b1f3a52-9d7e-4c1a-8f3e-2a4b5c6d7e8f"))
}
