package main

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"

	"github.com/proofstell/proofstell/gateway/ws/wsclient"
)

// signedRoutes are the reads measured with a bearer token, by the name the
// -signed flag takes: every one passes authentication, the revocation check
// and the per-player rate limit before the leaderboard answers.
var signedRoutes = map[string]string{
	"around-me": "/api/v1/leaderboards/global/around-me",
	"me":        "/api/v1/leaderboards/global/me",
}

// signedRouteNames lists names the report shows, in order.
func signedRouteNames(list string) ([]string, error) {
	if list == "" {
		return nil, nil
	}
	var names []string
	for _, n := range strings.Split(list, ",") {
		if _, ok := signedRoutes[n]; !ok {
			return nil, fmt.Errorf("-signed: unknown route %q (want around-me, me)", n)
		}
		names = append(names, n)
	}
	return names, nil
}

// signInRanked signs in n guests whose device ids are prefix+%06d (the
// load generator's bots by default, so they have played and are on the
// board) and keeps the tokens whose player rankedURL answers with 200:
// a player without a standing gets 404, which would count as an error.
func signInRanked(ctx context.Context, client *http.Client, base, prefix, rankedURL string, n int) ([]string, error) {
	tokens := make([]string, n)
	var wg sync.WaitGroup
	sem := make(chan struct{}, 8)
	for i := range n {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			login, err := wsclient.GuestLogin(ctx, base, fmt.Sprintf("%s%06d", prefix, i))
			if err != nil || fetchOK(ctx, client, rankedURL, login.AccessToken) != nil {
				return
			}
			tokens[i] = login.AccessToken
		})
	}
	wg.Wait()
	ranked := tokens[:0]
	for _, t := range tokens {
		if t != "" {
			ranked = append(ranked, t)
		}
	}
	if len(ranked) == 0 {
		return nil, fmt.Errorf("none of %d guests %s… is ranked on %s: run the games scenario first", n, prefix, rankedURL)
	}
	return ranked, nil
}

// fetchOK is fetch reporting only the error.
func fetchOK(ctx context.Context, client *http.Client, url, token string) error {
	_, err := fetch(ctx, client, url, token)
	return err
}
