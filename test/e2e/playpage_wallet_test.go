package e2e

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/chain/chaintest"
)

// TestServer_PlayPageStarknetWallet signs in on the play page with a
// StarkNet browser wallet: a window.starknet in the get-starknet shape
// (enable, selectedAddress, account.signMessage) is there before the page's
// scripts run, and its signMessage hands the node's SNIP-12 typed data to
// Go, which signs it with the fake node's Argent account key. The page must
// switch from its guest to the wallet's player (the node checks the
// signature through the account contract), reopen its socket as that
// player and play a solo game that the node stores for the wallet's owner.
func TestServer_PlayPageStarknetWallet(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the server binary and Chromium")
	}
	s, account, ctx := openWalletPage(t, false)
	console := watchConsole(ctx)
	guestID := evaluate[string](ctx, t, `document.querySelector("#player").dataset.playerId`)
	require.NotEmpty(t, guestID, "the page signed in as a guest first")
	require.NoError(t, chromedp.Do(ctx, chromedp.Click("#wallet")))
	_, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.querySelector("#player").dataset.wallet !== undefined && !document.querySelector("#start").disabled`,
		chromedp.WithPollingTimeout(15*time.Second)))
	require.NoError(t, err, "the page signs in with the wallet (status: %q)", evaluate[string](ctx, t, `document.querySelector("#status").textContent`))
	require.Equal(t, account.Address, evaluate[string](ctx, t, `document.querySelector("#player").dataset.wallet`), "the page shows the wallet")
	require.Contains(t, evaluate[string](ctx, t, `document.querySelector("#player").textContent`), "StarkNet")
	require.True(t, evaluate[bool](ctx, t, `document.querySelector("#wallet").hidden`), "signed in, the wallet button goes")
	playerID := evaluate[string](ctx, t, `document.querySelector("#player").dataset.playerId`)
	require.NotEqual(t, guestID, playerID, "the page plays as the wallet's player, not the guest")

	// The wallet signs in from Go too: the same player, with the wallet linked.
	var signedIn tokenPair
	require.Equal(t, http.StatusOK, s.call(http.MethodPost, "/api/v1/auth/wallet/starknet/verify", "", signedChallenge(t, s, account), &signedIn))
	require.Equal(t, playerID, signedIn.Player.ID, "the page's player is the wallet's")
	var wallets struct {
		Wallets []struct{ Chain, Address string } `json:"wallets"`
	}
	require.Equal(t, http.StatusOK, s.call(http.MethodGet, "/api/v1/players/me/wallets", signedIn.AccessToken, nil, &wallets))
	require.Len(t, wallets.Wallets, 1)
	require.Equal(t, "starknet", wallets.Wallets[0].Chain)
	require.Equal(t, account.Address, wallets.Wallets[0].Address)

	// A solo game over the reopened socket is the wallet player's.
	require.NoError(t, chromedp.Do(ctx, chromedp.Click("#start")))
	waitRunning(ctx, t)
	screenshot(ctx, t, "play-wallet.png")
	playToTheEnd(ctx, t, whackKey)
	sessionID, err := chromedp.Run(ctx, chromedp.Poll[string](`document.querySelector("#history li[data-session-id]")?.dataset.sessionId`,
		chromedp.WithPollingTimeout(10*time.Second)))
	require.NoError(t, err, "the page's history shows the game")
	var history struct {
		Sessions []struct{ ID string } `json:"sessions"`
	}
	require.Equal(t, http.StatusOK, s.call(http.MethodGet, "/api/v1/players/me/sessions", signedIn.AccessToken, nil, &history))
	require.NotEmpty(t, history.Sessions)
	require.Equal(t, sessionID, history.Sessions[0].ID, "the node stored the game for the wallet's player")
	require.Empty(t, console.errors(), "the page wrote no errors to the console")
}

// TestServer_PlayPageStarknetWalletRefused: a wallet whose owner refuses
// to sign leaves the page saying so, signed in as its guest, who can play.
func TestServer_PlayPageStarknetWalletRefused(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the server binary and Chromium")
	}
	_, _, ctx := openWalletPage(t, true)
	guestID := evaluate[string](ctx, t, `document.querySelector("#player").dataset.playerId`)
	require.NoError(t, chromedp.Do(ctx, chromedp.Click("#wallet")))
	status, err := chromedp.Run(ctx, chromedp.Poll[string](
		`(() => { const s = document.querySelector("#status").textContent; return s.includes("Wallet sign-in failed") && s; })()`,
		chromedp.WithPollingTimeout(15*time.Second)))
	require.NoError(t, err, "the page says the sign-in failed")
	require.Contains(t, status, "User abort", "the page says why")
	require.Contains(t, status, "guest", "the page says the guest plays on")
	screenshot(ctx, t, "play-wallet-refused.png")
	require.Equal(t, guestID, evaluate[string](ctx, t, `document.querySelector("#player").dataset.playerId`), "still the guest")
	require.False(t, evaluate[bool](ctx, t, `"wallet" in document.querySelector("#player").dataset`))
	require.False(t, evaluate[bool](ctx, t, `document.querySelector("#wallet").hidden || document.querySelector("#wallet").disabled`),
		"the wallet can be tried again")

	require.NoError(t, chromedp.Do(ctx, chromedp.WaitEnabled("#start"), chromedp.Click("#start")))
	waitRunning(ctx, t)
}

// fakeWallet puts a window.starknet in the get-starknet shape of Argent X
// into every document before its scripts run. Its account.signMessage
// sends the typed data (as JSON) to Go, which signs it with account's key,
// or, refusing, rejects as Argent X does when the player says no.
func fakeWallet(account *chaintest.Account, refuse bool) chromedp.Action[chromedp.Void] {
	script := fmt.Sprintf(`(() => {
	const address = %q, refuse = %t;
	const wallet = {
		id: "argentX", name: "Argent X (test)", isConnected: false, selectedAddress: undefined,
		account: {
			address,
			signMessage: (typedData) => refuse ? Promise.reject(new Error("User abort")) : window.proofstellSignTypedData(JSON.stringify(typedData)),
		},
		enable: async () => {
			wallet.isConnected = true;
			wallet.selectedAddress = address;
			return [address];
		},
	};
	window.starknet = wallet;
})();`, account.Address, refuse)
	return chromedp.Steps(
		chromedp.ExposeFunc("proofstellSignTypedData", func(_ context.Context, typedData string) ([]string, error) {
			return signTypedData(account, []byte(typedData))
		}),
		chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := cdp.Call(ctx, t, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: script})
			if err != nil {
				return fmt.Errorf("add the fake wallet: %w", err)
			}
			return nil
		}),
	)
}

// waitRunning waits until the page shows a running game: the status says
// to whack and the timer counts down.
func waitRunning(ctx context.Context, t *testing.T) {
	t.Helper()
	_, err := chromedp.Run(ctx, chromedp.Poll[bool](
		`document.querySelector("#status").textContent.startsWith("Whack!") && document.querySelector("#time").textContent.endsWith("s")`,
		chromedp.WithPollingTimeout(10*time.Second)))
	require.NoError(t, err, "the game runs (status: %q)", evaluate[string](ctx, t, `document.querySelector("#status").textContent`))
}

// openWalletPage starts a node that checks StarkNet signatures through a
// fake node with one Argent account, and opens its play page in a browser
// whose window.starknet is that account's wallet (refusing to sign when
// refuse is set), once the page's guest has signed in.
func openWalletPage(t *testing.T, refuse bool) (*server, *chaintest.Account, context.Context) {
	t.Helper()
	node := chaintest.NewNode(t, "SN_SEPOLIA")
	account := node.NewAccount(t, chaintest.KindArgent)
	s := startServer(t, "STARKNET_RPC_URL="+node.URL, "STARKNET_CHAIN_ID=SN_SEPOLIA")
	addMode(t, s, nodeMode)
	ctx := newBrowser(t)
	require.NoError(t, chromedp.Do(ctx,
		fakeWallet(account, refuse),
		chromedp.Navigate(s.base+"/play?mode="+nodeMode),
		chromedp.WaitEnabled("#wallet"),
	))
	return s, account, ctx
}
