// Package loopback keeps the benchmark programs pointed at this machine:
// they generate enough traffic to be mistaken for an attack, so they refuse
// any target that is not a loopback address.
package loopback

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
)

// ErrNotLoopback reports a target outside this machine.
var ErrNotLoopback = errors.New("target is not a loopback address")

// Resolver looks up host names; *net.Resolver implements it.
type Resolver interface {
	LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error)
}

// Check accepts host:port only when every address host resolves to is a
// loopback address.
func Check(ctx context.Context, r Resolver, hostport string) error {
	host, _, err := net.SplitHostPort(hostport)
	if err != nil {
		return fmt.Errorf("target %q: %w", hostport, err)
	}
	if ip, err := netip.ParseAddr(host); err == nil {
		return checkAddrs(hostport, []netip.Addr{ip})
	}
	addrs, err := r.LookupNetIP(ctx, "ip", host)
	if err != nil {
		return fmt.Errorf("resolve target %q: %w", hostport, err)
	}
	return checkAddrs(hostport, addrs)
}

func checkAddrs(hostport string, addrs []netip.Addr) error {
	if len(addrs) == 0 {
		return fmt.Errorf("target %q: %w", hostport, ErrNotLoopback)
	}
	for _, a := range addrs {
		if !a.Unmap().IsLoopback() {
			return fmt.Errorf("target %q (%s): %w", hostport, a, ErrNotLoopback)
		}
	}
	return nil
}
