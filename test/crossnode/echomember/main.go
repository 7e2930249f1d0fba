// Command echomember is a cluster member for the cross-node message test: it
// hosts "echo" grains that answer every protobuf message with itself and,
// with -drive, sends one sample of every message in actors/protos to echo
// grains hosted on another member, printing one JSON line per message.
//
// It is built without -race by test/crossnode: protoactor's cluster layer
// races internally, and our code under test here is only serialization.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"

	"github.com/proofstell/proofstell/actors/protos"
	"github.com/proofstell/proofstell/actors/runtime/grains"
	"github.com/proofstell/proofstell/actors/runtime/node"
	"github.com/proofstell/proofstell/config"
)

// echoKind is the grain kind every member hosts.
const echoKind = "echo"

// Outcome is one message's round trip, as printed by -drive.
type Outcome struct {
	Message string `json:"message"`
	Remote  string `json:"remote"`
	OK      bool   `json:"ok"`
	Error   string `json:"error,omitempty"`
}

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "actor remoting host:port")
	discovery := flag.String("discovery", "", "this member's discovery host:port")
	peers := flag.String("peers", "", "comma list of every member's discovery host:port")
	drive := flag.Bool("drive", false, "send every message to a remote echo grain, print outcomes and exit")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	err := run(ctx, *addr, *discovery, strings.Split(*peers, ","), *drive)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run(ctx context.Context, addr, discovery string, peers []string, drive bool) error {
	cfg := config.Default().Cluster
	cfg.Name, cfg.Provider, cfg.Addr, cfg.DiscoveryAddr, cfg.Peers = "crossnode", "automanaged", addr, discovery, peers
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	n, err := node.Start(ctx, cfg, func(*actor.ActorSystem, grains.Directory) map[string]*actor.Props {
		return map[string]*actor.Props{echoKind: actor.PropsFromFunc(echo)}
	}, logger)
	if err != nil {
		return err
	}
	defer n.Stop()
	fmt.Println("ready") // the test waits for this line
	if !drive {
		<-ctx.Done()
		return nil
	}
	waitForPeers(n, len(peers))
	return sendAll(n, json.NewEncoder(os.Stdout))
}

// echo answers every protobuf message with itself.
func echo(ctx actor.Context) {
	if m, ok := ctx.Message().(proto.Message); ok && ctx.Sender() != nil {
		ctx.Respond(m)
	}
}

func waitForPeers(n *node.Node, want int) {
	deadline := time.Now().Add(30 * time.Second)
	for n.Members() < want && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
}

// sendAll round-trips one filled sample of every message type.
func sendAll(n *node.Node, out *json.Encoder) error {
	messages := protos.File_actors_protos_messages_proto.Messages()
	for i := range messages.Len() {
		desc := messages.Get(i)
		o := roundTrip(n, desc)
		if err := out.Encode(o); err != nil {
			return err
		}
	}
	return nil
}

func roundTrip(n *node.Node, desc protoreflect.MessageDescriptor) Outcome {
	o := Outcome{Message: string(desc.FullName())}
	pid, err := remoteEcho(n)
	if err != nil {
		o.Error = err.Error()
		return o
	}
	o.Remote = pid.Address
	sample, err := concrete(desc)
	if err != nil {
		o.Error = err.Error()
		return o
	}
	if err := fill(sample.ProtoReflect(), 0); err != nil {
		o.Error = err.Error()
		return o
	}
	reply, err := n.System.Root.RequestFuture(pid, sample, 5*time.Second).Result()
	if err != nil {
		o.Error = err.Error()
		return o
	}
	got, ok := reply.(proto.Message)
	o.OK = ok && proto.Equal(got, sample)
	if !o.OK {
		o.Error = fmt.Sprintf("reply %T differs from %v", reply, sample)
	}
	return o
}

// concrete returns an empty value of the generated Go type: remoting
// serializes by registered type, and a plain dynamic message would not prove
// the generated code round-trips.
func concrete(desc protoreflect.MessageDescriptor) (proto.Message, error) {
	mt, err := protoregistry.GlobalTypes.FindMessageByName(desc.FullName())
	if err != nil {
		return nil, fmt.Errorf("generated type of %s: %w", desc.FullName(), err)
	}
	return mt.New().Interface(), nil
}

// remoteEcho finds an echo grain that lives on another member.
func remoteEcho(n *node.Node) (*actor.PID, error) {
	self := n.Address()
	for i := range 200 {
		pid := n.Cluster.Get(fmt.Sprintf("echo-%d", i), echoKind)
		if pid != nil && pid.Address != self {
			return pid, nil
		}
	}
	return nil, fmt.Errorf("no echo grain is placed on another member (members: %d)", n.Members())
}

// fill sets every field of m to a non-default value, recursing into
// messages, so a field the wire format dropped shows up as a difference.
func fill(m protoreflect.Message, depth int) error {
	fields := m.Descriptor().Fields()
	for i := range fields.Len() {
		f := fields.Get(i)
		switch {
		case f.IsList():
			list := m.Mutable(f).List()
			v, err := sampleValue(f, list.NewElement(), depth)
			if err != nil {
				return err
			}
			list.Append(v)
		case f.Message() != nil:
			if depth < 3 {
				if err := fill(m.Mutable(f).Message(), depth+1); err != nil {
					return err
				}
			}
		default:
			v, err := sampleValue(f, protoreflect.Value{}, depth)
			if err != nil {
				return err
			}
			m.Set(f, v)
		}
	}
	return nil
}

// sampleValue is a non-default value for f; elem is a new list element when
// f is a repeated message.
func sampleValue(f protoreflect.FieldDescriptor, elem protoreflect.Value, depth int) (protoreflect.Value, error) {
	switch f.Kind() {
	case protoreflect.StringKind:
		return protoreflect.ValueOfString("sample-" + string(f.Name())), nil
	case protoreflect.BytesKind:
		return protoreflect.ValueOfBytes([]byte(`{"sample":true}`)), nil
	case protoreflect.BoolKind:
		return protoreflect.ValueOfBool(true), nil
	case protoreflect.Int32Kind, protoreflect.Sint32Kind, protoreflect.Sfixed32Kind:
		return protoreflect.ValueOfInt32(int32(f.Number()) + 40), nil
	case protoreflect.Int64Kind, protoreflect.Sint64Kind, protoreflect.Sfixed64Kind:
		return protoreflect.ValueOfInt64(int64(f.Number()) + 1_700_000_000_000_000), nil
	case protoreflect.Uint64Kind, protoreflect.Fixed64Kind:
		return protoreflect.ValueOfUint64(uint64(f.Number()) + 1<<40), nil //nolint:gosec // G115: field numbers are positive
	case protoreflect.DoubleKind:
		return protoreflect.ValueOfFloat64(float64(f.Number()) + 0.25), nil
	case protoreflect.FloatKind:
		return protoreflect.ValueOfFloat32(float32(f.Number()) + 0.5), nil
	case protoreflect.MessageKind:
		if depth < 3 {
			if err := fill(elem.Message(), depth+1); err != nil {
				return protoreflect.Value{}, err
			}
		}
		return elem, nil
	default:
		return protoreflect.Value{}, fmt.Errorf("field %s: kind %s has no sample yet; add one", f.FullName(), f.Kind())
	}
}
