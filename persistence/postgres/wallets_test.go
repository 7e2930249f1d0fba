package postgres_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/persistence"
	"github.com/proofstell/proofstell/persistence/postgres"
)

// starkAddr is a distinct normalized StarkNet address per n.
func starkAddr(n int) string { return fmt.Sprintf("0x%064x", 0xabc000+n) }

// stellarAddr is a well-formed (for the schema) Stellar address per letter.
func stellarAddr(c byte) string { return "G" + strings.Repeat(string(c), 55) }

func TestStore_SignInWallet(t *testing.T) {
	t.Parallel()
	s, _, _ := newStore(t)
	ctx := context.Background()
	p, created, err := s.SignInWallet(ctx, persistence.ChainStarknet, starkAddr(1))
	require.NoError(t, err)
	require.True(t, created)
	require.Equal(t, persistence.RolePlayer, p.Role)
	again, created, err := s.SignInWallet(ctx, persistence.ChainStarknet, starkAddr(1))
	require.NoError(t, err)
	require.False(t, created)
	require.Equal(t, p.ID, again.ID)
	other, created, err := s.SignInWallet(ctx, persistence.ChainStellar, stellarAddr('A'))
	require.NoError(t, err)
	require.True(t, created)
	require.NotEqual(t, p.ID, other.ID)
	_, _, err = s.SignInWallet(ctx, "bitcoin", starkAddr(1))
	require.Error(t, err)
}

func TestStore_SignInWallet_ConcurrentFirstSignIn(t *testing.T) {
	t.Parallel()
	s, _, _ := newStore(t)
	const n = 8
	ids := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p, _, err := s.SignInWallet(context.Background(), persistence.ChainStarknet, starkAddr(7))
			require.NoError(t, err)
			ids[i] = p.ID
		}()
	}
	wg.Wait()
	for _, id := range ids {
		require.Equal(t, ids[0], id)
	}
}

func TestStore_LinkWallet(t *testing.T) {
	t.Parallel()
	s, clk, _ := newStore(t)
	ctx := context.Background()
	guest := newGuest(t, s)
	rival := newGuest(t, s)
	w, err := s.LinkWallet(ctx, guest.ID, persistence.ChainStarknet, starkAddr(2))
	require.NoError(t, err)
	require.Equal(t, persistence.Wallet{Chain: persistence.ChainStarknet, Address: starkAddr(2), PlayerID: guest.ID,
		LinkedAt: clk.Now().Truncate(time.Microsecond)}, w)

	clk.Advance(time.Minute)
	again, err := s.LinkWallet(ctx, guest.ID, persistence.ChainStarknet, starkAddr(2))
	require.NoError(t, err, "idempotent for the owner")
	require.Equal(t, w, again, "the original binding is kept")

	_, err = s.LinkWallet(ctx, rival.ID, persistence.ChainStarknet, starkAddr(2))
	require.ErrorIs(t, err, persistence.ErrConflict)
	_, err = s.LinkWallet(ctx, uuid.NewString(), persistence.ChainStellar, stellarAddr('B'))
	require.ErrorIs(t, err, persistence.ErrNotFound)
	_, err = s.LinkWallet(ctx, "not-a-uuid", persistence.ChainStellar, stellarAddr('B'))
	require.ErrorIs(t, err, persistence.ErrNotFound)

	owner, err := s.WalletOwner(ctx, persistence.ChainStarknet, starkAddr(2))
	require.NoError(t, err)
	require.Equal(t, guest.ID, owner)
	signedIn, created, err := s.SignInWallet(ctx, persistence.ChainStarknet, starkAddr(2))
	require.NoError(t, err)
	require.False(t, created)
	require.Equal(t, guest.ID, signedIn.ID, "a guest that linked a wallet signs in as itself")
}

func TestStore_LinkWallet_RejectsUnnormalizedAddress(t *testing.T) {
	t.Parallel()
	s, _, _ := newStore(t)
	guest := newGuest(t, s)
	for _, addr := range []string{"0xABC", strings.ToUpper(starkAddr(3)), "0x" + starkAddr(3)[3:]} {
		_, err := s.LinkWallet(context.Background(), guest.ID, persistence.ChainStarknet, addr)
		require.Error(t, err, addr)
	}
	_, err := s.LinkWallet(context.Background(), guest.ID, persistence.ChainStellar, starkAddr(3))
	require.Error(t, err)
}

func TestStore_Wallets(t *testing.T) {
	t.Parallel()
	s, clk, _ := newStore(t)
	ctx := context.Background()
	p := newGuest(t, s)
	empty, err := s.Wallets(ctx, p.ID)
	require.NoError(t, err)
	require.Empty(t, empty)
	linkAll(t, s, clk.Advance, p.ID)
	ws, err := s.Wallets(ctx, p.ID)
	require.NoError(t, err)
	require.Len(t, ws, 2)
	require.Equal(t, persistence.ChainStellar, ws[0].Chain, "oldest first")
	require.Equal(t, persistence.ChainStarknet, ws[1].Chain)
	other, err := s.Wallets(ctx, newGuest(t, s).ID)
	require.NoError(t, err)
	require.Empty(t, other, "no wallet leaks to another player")
	bad, err := s.Wallets(ctx, "nope")
	require.NoError(t, err)
	require.Empty(t, bad)
}

// linkAll links a Stellar wallet, then a StarkNet one a second later.
func linkAll(t *testing.T, s *postgres.Store, advance func(time.Duration) time.Time, playerID string) {
	t.Helper()
	_, err := s.LinkWallet(context.Background(), playerID, persistence.ChainStellar, stellarAddr('C'))
	require.NoError(t, err)
	advance(time.Second)
	_, err = s.LinkWallet(context.Background(), playerID, persistence.ChainStarknet, starkAddr(4))
	require.NoError(t, err)
}

// TestStore_LinkWallet_QueuesEarlierMintableAwards: awards earned before
// any wallet get their mint requests when the first wallet is linked, once.
func TestStore_LinkWallet_QueuesEarlierMintableAwards(t *testing.T) {
	t.Parallel()
	s, clk, url := newStore(t)
	ctx := ctxT(t)
	p, bystander := newGuest(t, s), newGuest(t, s)
	mintable, err := s.CreateBadge(ctx, persistence.SystemActor("test"), newBadge("retro-mint"))
	require.NoError(t, err)
	plain := newBadge("retro-plain")
	plain.Mintable = false
	notMintable, err := s.CreateBadge(ctx, persistence.SystemActor("test"), plain)
	require.NoError(t, err)
	for _, award := range []struct{ player, badge string }{
		{p.ID, mintable.ID}, {p.ID, notMintable.ID}, {bystander.ID, mintable.ID},
	} {
		_, err = s.AwardBadge(ctx, award.player, award.badge, persistence.SourceAuto)
		require.NoError(t, err)
	}
	none, err := s.PlayerMints(ctx, p.ID)
	require.NoError(t, err)
	require.Empty(t, none, "no wallet, no request")

	clk.Advance(time.Minute)
	_, err = s.LinkWallet(ctx, p.ID, persistence.ChainStarknet, starkAddr(9))
	require.NoError(t, err)
	mints, err := s.PlayerMints(ctx, p.ID)
	require.NoError(t, err)
	require.Len(t, mints, 1, "only the mintable award")
	at := clk.Now().Truncate(time.Microsecond)
	require.Equal(t, persistence.MintRequest{ID: mints[0].ID, PlayerID: p.ID, BadgeID: mintable.ID,
		Chain: persistence.ChainStarknet, Recipient: starkAddr(9), TokenID: sqlTokenID(t, url, mintable.ID, p.ID),
		Status: persistence.MintPending, CreatedAt: at, UpdatedAt: at}, withUTCMint(mints[0]))
	require.Equal(t, persistence.MintTokenID(mintable.ID, p.ID), mints[0].TokenID)

	clk.Advance(time.Minute)
	_, err = s.LinkWallet(ctx, p.ID, persistence.ChainStellar, stellarAddr('R'))
	require.NoError(t, err)
	_, err = s.LinkWallet(ctx, p.ID, persistence.ChainStarknet, starkAddr(9))
	require.NoError(t, err, "relinking is idempotent")
	again, err := s.PlayerMints(ctx, p.ID)
	require.NoError(t, err)
	require.Equal(t, mints, again, "a second wallet queues nothing more")
	others, err := s.PlayerMints(ctx, bystander.ID)
	require.NoError(t, err)
	require.Empty(t, others, "another player's link queues nothing for the bystander")
}

func withUTCMint(m persistence.MintRequest) persistence.MintRequest {
	m.CreatedAt, m.UpdatedAt = m.CreatedAt.UTC(), m.UpdatedAt.UTC()
	return m
}
