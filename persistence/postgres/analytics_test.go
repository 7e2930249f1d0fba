package postgres_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/persistence"
)

// Each catalogue fact writes its outbox row in the transaction that
// records it: sign-ups (guest, email, wallet), a linked wallet, a new
// session, a mint's status changes, and a player's client events.
func TestStore_AnalyticsFacts(t *testing.T) {
	t.Parallel()
	s, _, _ := newStore(t)
	ctx := ctxT(t)
	guest := newGuest(t, s)
	acct, err := s.CreateAccount(ctx, newAccount("fact_teller", "facts@example.com"))
	require.NoError(t, err)
	walletPlayer, created, err := s.SignInWallet(ctx, persistence.ChainStarknet, starkAddr(7))
	require.NoError(t, err)
	require.True(t, created)
	_, err = s.LinkWallet(ctx, guest.ID, persistence.ChainStellar, stellarAddr('D'))
	require.NoError(t, err)
	_, err = s.LinkWallet(ctx, guest.ID, persistence.ChainStellar, stellarAddr('D'))
	require.NoError(t, err, "linking again is no new fact")
	sess := newSession(t, s, guest.ID, time.Now())
	nb := newBadge("fact")
	nb.Mintable = true
	b, err := s.CreateBadge(ctx, persistence.SystemActor("test"), nb)
	require.NoError(t, err)
	_, err = s.AwardBadge(ctx, guest.ID, b.ID, persistence.SourceAuto)
	require.NoError(t, err)
	n, err := s.QueueClientEvents(ctx, []persistence.ClientEvent{
		{PlayerID: guest.ID, Key: "k1", Name: "screen_viewed", Props: map[string]any{"screen": "home"}},
		{PlayerID: guest.ID, Key: "k1", Name: "screen_viewed", Props: map[string]any{"screen": "home"}},
	})
	require.NoError(t, err)
	require.Equal(t, 1, n, "a repeated key is queued once")
	n, err = s.QueueClientEvents(ctx, []persistence.ClientEvent{{PlayerID: guest.ID, Key: "k1", Name: "screen_viewed"}})
	require.NoError(t, err)
	require.Zero(t, n, "a client's retry queues nothing")

	topics := []string{persistence.TopicSignedUp, persistence.TopicWalletLinked, persistence.TopicGameStarted,
		persistence.TopicMintStatus, persistence.TopicAnalyticsClient}
	rows, _ := readAtLeast(t, s, "facts-"+uuid.NewString(), topics, 100, 7)
	got := map[string][]map[string]any{}
	for _, r := range rows {
		var body map[string]any
		require.NoError(t, json.Unmarshal(r.Payload, &body))
		got[r.Topic] = append(got[r.Topic], body)
	}
	methods := map[string]string{}
	for _, b := range got[persistence.TopicSignedUp] {
		methods[b["playerId"].(string)] = b["method"].(string)
	}
	require.Equal(t, map[string]string{guest.ID: "guest", acct.Player.ID: "email", walletPlayer.ID: "wallet"}, methods)
	require.Len(t, got[persistence.TopicWalletLinked], 1)
	require.Equal(t, "stellar", got[persistence.TopicWalletLinked][0]["chain"])
	for _, r := range rows {
		require.NotContains(t, string(r.Payload), stellarAddr('D'), "no address in any fact")
		require.NotContains(t, string(r.Payload), "facts@example.com", "no email in any fact")
	}
	require.Len(t, got[persistence.TopicGameStarted], 1)
	require.Equal(t, sess.ID, got[persistence.TopicGameStarted][0]["sessionId"])
	require.Equal(t, []any{guest.ID}, got[persistence.TopicGameStarted][0]["playerIds"])
	require.Len(t, got[persistence.TopicMintStatus], 1, "the award queued a pending mint")
	require.Equal(t, "pending", got[persistence.TopicMintStatus][0]["status"])
	require.Len(t, got[persistence.TopicAnalyticsClient], 1)

	pending, err := s.ClaimOutbox(ctx, persistence.TopicGameStarted, 10, time.Minute)
	require.NoError(t, err)
	require.Empty(t, pending, "cursor-only rows are born processed: claimers never see them")
}

// The join that fills a match writes match.formed once, with every player.
func TestStore_JoinSessionFormsAMatchOnce(t *testing.T) {
	t.Parallel()
	s, _, _ := newStore(t)
	ctx := ctxT(t)
	host, guest := newGuest(t, s), newGuest(t, s)
	m := matchSession(host.ID, "", persistence.StateWaiting)
	m.MaxPlayers = 2
	require.NoError(t, s.CreateSession(ctx, m))
	for range 2 { // joining again is no new match
		require.NoError(t, s.JoinSession(ctx, persistence.SessionJoin{SessionID: m.ID, Epoch: 1, PlayerID: guest.ID}))
	}
	rows, _ := readAtLeast(t, s, "formed-"+uuid.NewString(), []string{persistence.TopicMatchFormed, persistence.TopicGameStarted}, 10, 2)
	require.Len(t, rows, 2)
	require.Equal(t, persistence.TopicMatchFormed, rows[1].Topic)
	var formed persistence.MatchFormedEvent
	require.NoError(t, json.Unmarshal(rows[1].Payload, &formed))
	require.Equal(t, m.ID, formed.SessionID)
	require.Equal(t, []string{host.ID, guest.ID}, formed.PlayerIDs)
	require.Equal(t, "classic", formed.Mode)
}

// Every status change of a mint writes mint.status, whoever makes it; an
// update that keeps the status writes nothing.
func TestStore_MintStatusFacts(t *testing.T) {
	t.Parallel()
	s, clk, url := newStore(t)
	ctx := ctxT(t)
	p := newGuest(t, s)
	_, err := s.LinkWallet(ctx, p.ID, persistence.ChainStellar, stellarAddr('E'))
	require.NoError(t, err)
	nb := newBadge("mint-facts")
	nb.Mintable = true
	b, err := s.CreateBadge(ctx, persistence.SystemActor("test"), nb)
	require.NoError(t, err)
	_, err = s.AwardBadge(ctx, p.ID, b.ID, persistence.SourceAuto)
	require.NoError(t, err)
	for i, st := range []struct{ status, reason string }{{"submitted", ""}, {"submitted", "same status"}, {"failed", "reverted"}} {
		exec(t, url, `UPDATE mint_requests SET status = $1, reason = $2, updated_at = $3 WHERE player_id = $4`,
			st.status, st.reason, clk.Now().Add(time.Duration(i+1)*time.Second), p.ID)
	}
	mints, err := s.PlayerMints(ctx, p.ID)
	require.NoError(t, err)
	_, err = s.RetryMint(ctx, persistence.SystemActor("test"), mints[0].ID, clk.Now().Add(time.Minute))
	require.NoError(t, err)

	rows, _ := readAtLeast(t, s, "mints-"+uuid.NewString(), []string{persistence.TopicMintStatus}, 10, 4)
	var got []string
	for _, r := range rows {
		var e persistence.MintStatusEvent
		require.NoError(t, json.Unmarshal(r.Payload, &e))
		require.Equal(t, p.ID, e.PlayerID)
		require.Equal(t, "stellar", e.Chain)
		got = append(got, e.Status)
	}
	require.Equal(t, []string{"pending", "submitted", "failed", "pending"}, got, "a retried mint goes through pending again")
}

// With game facts off (no analytics provider on the node), sessions, solo
// or match, and the join that fills a match write no outbox row.
func TestStore_WriteGameFactsOff(t *testing.T) {
	t.Parallel()
	s, _, url := newStore(t)
	s.WriteGameFacts(false)
	ctx := ctxT(t)
	host, guest := newGuest(t, s), newGuest(t, s)
	m := matchSession(host.ID, "", persistence.StateWaiting)
	m.MaxPlayers = 2
	require.NoError(t, s.CreateSession(ctx, m))
	require.NoError(t, s.JoinSession(ctx, persistence.SessionJoin{SessionID: m.ID, Epoch: 1, PlayerID: guest.ID}))
	got, err := s.Session(ctx, m.ID)
	require.NoError(t, err)
	require.Equal(t, []string{host.ID, guest.ID}, got.PlayerIDs, "the join still happened")

	conn, err := pgx.Connect(ctx, url)
	require.NoError(t, err)
	defer func() { _ = conn.Close(context.Background()) }()
	var n int
	require.NoError(t, conn.QueryRow(ctx, `SELECT count(*) FROM outbox WHERE topic = ANY($1)`,
		[]string{persistence.TopicGameStarted, persistence.TopicMatchFormed}).Scan(&n))
	require.Zero(t, n)
}
