// Package crossnode proves that every message in actors/protos crosses
// between two real cluster members: a plain Go struct sent to a remote grain
// times out silently, so each message type must survive remoting.
package crossnode

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/protos"
)

// outcome mirrors echomember.Outcome.
type outcome struct {
	Message string `json:"message"`
	Remote  string `json:"remote"`
	OK      bool   `json:"ok"`
	Error   string `json:"error"`
}

// buildMember compiles echomember without -race (protoactor's cluster layer
// races internally; the code under test is serialization).
func buildMember(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "echomember")
	_, file, _, _ := runtime.Caller(0)
	cmd := exec.Command("go", "build", "-o", bin, "./echomember")
	cmd.Dir = filepath.Dir(file)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "go build echomember:\n%s", out)
	return bin
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close())
	return addr
}

// startHost runs the passive member and waits until it is ready.
func startHost(t *testing.T, bin, addr, discovery, peers string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	host := exec.CommandContext(ctx, bin, "-addr", addr, "-discovery", discovery, "-peers", peers)
	host.Stderr = os.Stderr
	stdout, err := host.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, host.Start())
	t.Cleanup(func() {
		cancel()
		_ = host.Wait()
	})
	ready := make(chan bool, 1)
	go func() {
		line, _ := bufio.NewReader(stdout).ReadString('\n')
		ready <- strings.TrimSpace(line) == "ready"
	}()
	select {
	case ok := <-ready:
		require.True(t, ok, "host member did not start")
	case <-time.After(30 * time.Second):
		t.Fatal("host member not ready after 30s")
	}
}

func TestProtos_EveryMessageCrossesBetweenTwoMembers(t *testing.T) {
	if testing.Short() {
		t.Skip("starts two cluster members")
	}
	bin := buildMember(t)
	hostDisc, driverDisc := freeAddr(t), freeAddr(t)
	hostAddr, driverAddr := freeAddr(t), freeAddr(t)
	peers := hostDisc + "," + driverDisc
	startHost(t, bin, hostAddr, hostDisc, peers)

	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	driver := exec.CommandContext(ctx, bin, "-drive", "-addr", driverAddr, "-discovery", driverDisc, "-peers", peers)
	var stderr bytes.Buffer
	driver.Stderr = &stderr
	out, err := driver.Output()
	require.NoError(t, err, "driver failed:\n%s", stderr.String())

	got := map[string]outcome{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n")[1:] { // after "ready"
		var o outcome
		require.NoError(t, json.Unmarshal([]byte(line), &o), line)
		got[o.Message] = o
	}
	messages := protos.File_actors_protos_messages_proto.Messages()
	require.Equal(t, messages.Len(), len(got), "one outcome per message type")
	for i := range messages.Len() {
		name := string(messages.Get(i).FullName())
		o, ok := got[name]
		require.True(t, ok, "%s was not sent", name)
		require.True(t, o.OK, "%s did not round-trip: %s", name, o.Error)
		require.Equal(t, hostAddr, o.Remote, "%s must cross to the other member", name)
	}
}
