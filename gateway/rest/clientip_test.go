package rest

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestClientIPs(t *testing.T) {
	t.Parallel()
	proxies := newClientIPs([]string{"10.0.0.0/8", "192.0.2.1", "2001:db8::/32", "not-an-ip"})
	tests := []struct {
		name string
		peer string
		xff  []string
		want string
	}{
		{"no proxies configured: the peer", "203.0.113.5:1234", []string{"198.51.100.1"}, "203.0.113.5"},
		{"untrusted peer: a forged header is ignored", "203.0.113.5:1234", []string{"198.51.100.1"}, "203.0.113.5"},
		{"trusted proxy: the address it saw", "10.1.2.3:443", []string{"198.51.100.1"}, "198.51.100.1"},
		{"client-supplied entries left of it are not believed", "10.1.2.3:443", []string{"1.1.1.1, 198.51.100.1"}, "198.51.100.1"},
		{"a chain of trusted proxies is skipped", "10.1.2.3:443", []string{"198.51.100.1, 192.0.2.1", "10.9.9.9"}, "198.51.100.1"},
		{"no header: the proxy itself", "10.1.2.3:443", nil, "10.1.2.3"},
		{"malformed hop: the last trusted one", "10.1.2.3:443", []string{"198.51.100.1, garbage"}, "10.1.2.3"},
		{"every hop trusted: the left-most", "10.1.2.3:443", []string{"10.0.0.7, 192.0.2.1"}, "10.0.0.7"},
		{"IPv6 proxy and client", "[2001:db8::1]:443", []string{"2001:db9::42"}, "2001:db9::42"},
		{"IPv4-mapped proxy", "[::ffff:10.1.2.3]:443", []string{"198.51.100.9"}, "198.51.100.9"},
	}
	for i, tt := range tests {
		r := httptestRequest(t.Context(), "GET", "/")
		r.RemoteAddr = tt.peer
		for _, v := range tt.xff {
			r.Header.Add("X-Forwarded-For", v)
		}
		c := proxies
		if i == 0 {
			c = newClientIPs(nil)
		}
		require.Equal(t, tt.want, c.of(r), tt.name)
	}
}

func TestRateLimit_BehindTrustedProxy(t *testing.T) {
	t.Parallel()
	h := newSecHarness(t, func(d *Deps) {
		limits(d)
		d.Config.TrustedProxies = []string{"10.0.0.0/8"}
	})
	via := func(peer, xff string) int {
		r := httptestRequest(t.Context(), "GET", "/api/v1/leaderboards/global")
		r.RemoteAddr = peer
		r.Header.Set("X-Forwarded-For", xff)
		return serve(h.harness, r).Code
	}
	for range 3 {
		require.NotEqual(t, http.StatusTooManyRequests, via("10.0.0.2:443", "198.51.100.1"))
	}
	require.Equal(t, http.StatusTooManyRequests, via("10.0.0.2:443", "198.51.100.1"), "the client's budget is spent")
	require.NotEqual(t, http.StatusTooManyRequests, via("10.0.0.2:443", "198.51.100.2"), "another client behind the same proxy")
	require.Equal(t, http.StatusTooManyRequests, via("10.0.0.2:443", "203.0.113.9, 198.51.100.1"),
		"prepending a forged address does not buy a new budget")
	for range 3 {
		require.NotEqual(t, http.StatusTooManyRequests, via("203.0.113.50:1", "198.51.100.1"))
	}
	require.Equal(t, http.StatusTooManyRequests, via("203.0.113.50:1", "198.51.100.77"),
		"an untrusted peer cannot claim to forward for someone else")
}
