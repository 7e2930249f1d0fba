package rest

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// clientIPs resolves which address a request comes from, for the per-IP
// rate limits. Without trusted proxies it is the TCP peer. With them, a
// request whose peer is a trusted proxy is attributed by X-Forwarded-For,
// read right to left: each hop appended the address it saw, so the first
// address from the right that is not a trusted proxy is the client. Entries
// left of it are whatever the client sent and are never believed, so a
// client cannot pick its own budget by forging the header.
type clientIPs struct {
	trusted []netip.Prefix
}

// newClientIPs parses the TRUSTED_PROXIES entries (IPs or CIDRs; the
// config validated them, anything else is skipped).
func newClientIPs(entries []string) clientIPs {
	var c clientIPs
	for _, e := range entries {
		if p, err := netip.ParsePrefix(e); err == nil {
			c.trusted = append(c.trusted, p.Masked())
		} else if a, err := netip.ParseAddr(e); err == nil {
			c.trusted = append(c.trusted, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
		}
	}
	return c
}

// of returns the client address of r.
func (c clientIPs) of(r *http.Request) string {
	peer := peerIP(r)
	if !c.isTrusted(peer) {
		return peer
	}
	hops := r.Header.Values("X-Forwarded-For")
	client := peer
	for i := len(hops) - 1; i >= 0; i-- {
		parts := strings.Split(hops[i], ",")
		for j := len(parts) - 1; j >= 0; j-- {
			a, err := netip.ParseAddr(strings.TrimSpace(parts[j]))
			if err != nil {
				return client // a malformed hop: stop at the last one we can vouch for
			}
			client = a.Unmap().String()
			if !c.isTrusted(client) {
				return client
			}
		}
	}
	return client // every hop a trusted proxy: the left-most one
}

// isTrusted reports whether ip is a trusted proxy.
func (c clientIPs) isTrusted(ip string) bool {
	if len(c.trusted) == 0 {
		return false
	}
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return false
	}
	a = a.Unmap()
	for _, p := range c.trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// peerIP is the host part of RemoteAddr.
func peerIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
