package asyncapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"

	"github.com/proofstell/proofstell/docs"
)

// Channel names of the document.
const (
	// NativeChannel is the /ws gateway: frames {"t","id","d"}.
	NativeChannel = "native"
	// SocketIOChannel is the Socket.IO namespace /realtime.
	SocketIOChannel = "socketio"
)

// docURL names the document for the schema compiler; $refs resolve in it.
const docURL = "file:///docs/asyncapi.yaml"

// Document is a loaded AsyncAPI document with its message payloads compiled.
type Document struct {
	// Version is the "asyncapi" field.
	Version  string
	channels map[string]*channel
	// raw is the document as JSON values, for the coverage tests.
	raw map[string]any
}

// channel indexes one channel's messages by wire name, by direction.
type channel struct {
	// requests are the messages of receive operations (client to server).
	requests map[string][]*message
	// events are the messages of send operations (server to client).
	events map[string][]*message
	// replies maps a request's wire name to the messages its operation's
	// reply lists.
	replies map[string][]*message
	// server is events and every reply, by wire name.
	server map[string][]*message
}

// message is one message of a channel: its component key, wire name and
// compiled payload schema.
type message struct {
	key    string
	name   string
	schema *jsonschema.Schema
}

// embedded is the document of docs.AsyncAPI, loaded once.
var embedded = sync.OnceValues(func() (*Document, error) { return Load(docs.AsyncAPI) })

// Embedded returns docs/asyncapi.yaml, loaded once per process.
func Embedded() (*Document, error) { return embedded() }

// Load parses an AsyncAPI 3.0 YAML document, checks its structure and
// compiles every message payload. The error lists every problem found.
func Load(yamlDoc []byte) (*Document, error) {
	raw, err := toJSONValue(yamlDoc)
	if err != nil {
		return nil, err
	}
	if err := checkStructure(raw); err != nil {
		return nil, err
	}
	d := &Document{Version: str(raw["asyncapi"]), channels: map[string]*channel{}, raw: raw}
	if err := d.index(raw); err != nil {
		return nil, err
	}
	return d, nil
}

// toJSONValue reads YAML into the values encoding/json would produce
// (numbers as json.Number), which is what the schema compiler takes.
func toJSONValue(yamlDoc []byte) (map[string]any, error) {
	var v any
	if err := yaml.Unmarshal(yamlDoc, &v); err != nil {
		return nil, fmt.Errorf("parse asyncapi yaml: %w", err)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("asyncapi yaml as json: %w", err)
	}
	j, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("asyncapi yaml as json: %w", err)
	}
	m, ok := j.(map[string]any)
	if !ok {
		return nil, errors.New("asyncapi document is not a mapping")
	}
	return m, nil
}

// index compiles the payload of every message an operation names and files
// it by channel, direction and wire name.
func (d *Document) index(raw map[string]any) error {
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft7) // AsyncAPI Schema is a draft 07 superset
	c.AssertFormat()
	if err := c.AddResource(docURL, raw); err != nil {
		return fmt.Errorf("add asyncapi document: %w", err)
	}
	compiled := map[string]*message{}
	var errs []error
	for _, opName := range sortedKeys(obj(raw["operations"])) {
		if err := d.indexOperation(c, compiled, raw, obj(obj(raw["operations"])[opName])); err != nil {
			errs = append(errs, fmt.Errorf("operation %s: %w", opName, err))
		}
	}
	return errors.Join(errs...)
}

func (d *Document) indexOperation(c *jsonschema.Compiler, compiled map[string]*message, raw, op map[string]any) error {
	ch := d.channel(refName(ref(op["channel"])))
	msgs, err := compileAll(c, compiled, raw, arr(op["messages"]))
	if err != nil {
		return err
	}
	if str(op["action"]) == "send" {
		for _, m := range msgs {
			ch.events[m.name] = append(ch.events[m.name], m)
			ch.server[m.name] = appendNew(ch.server[m.name], m)
		}
		return nil
	}
	for _, m := range msgs {
		ch.requests[m.name] = append(ch.requests[m.name], m)
	}
	reply := obj(op["reply"])
	if reply == nil {
		return nil
	}
	replies, err := compileAll(c, compiled, raw, arr(reply["messages"]))
	if err != nil {
		return fmt.Errorf("reply: %w", err)
	}
	rch := d.channel(refName(ref(reply["channel"])))
	for _, req := range msgs {
		for _, m := range replies {
			rch.replies[req.name] = appendNew(rch.replies[req.name], m)
			rch.server[m.name] = appendNew(rch.server[m.name], m)
		}
	}
	return nil
}

// compileAll compiles the channel messages refs point at (once each).
func compileAll(c *jsonschema.Compiler, compiled map[string]*message, raw map[string]any, refs []any) ([]*message, error) {
	var out []*message
	var errs []error
	for _, r := range refs {
		m, err := compileMessage(c, compiled, raw, ref(r))
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, m)
	}
	return out, errors.Join(errs...)
}

// compileMessage follows a channel message ref to its component and
// compiles the component's payload.
func compileMessage(c *jsonschema.Compiler, compiled map[string]*message, raw map[string]any, channelRef string) (*message, error) {
	target, _ := resolve(raw, channelRef)
	componentRef := ref(target)
	if componentRef == "" {
		componentRef = channelRef // defined inline in the channel
	}
	if m, ok := compiled[componentRef]; ok {
		return m, nil
	}
	def, _ := resolve(raw, componentRef)
	sch, err := c.Compile(docURL + componentRef + "/payload")
	if err != nil {
		return nil, fmt.Errorf("message %s: compile payload: %w", componentRef, err)
	}
	m := &message{key: refName(componentRef), name: str(obj(def)["name"]), schema: sch}
	compiled[componentRef] = m
	return m, nil
}

func (d *Document) channel(name string) *channel {
	if ch, ok := d.channels[name]; ok {
		return ch
	}
	ch := &channel{requests: map[string][]*message{}, events: map[string][]*message{},
		replies: map[string][]*message{}, server: map[string][]*message{}}
	d.channels[name] = ch
	return ch
}

// ClientMessages lists the wire names of the messages a client may send on
// a channel, sorted.
func (d *Document) ClientMessages(channelName string) []string {
	return sortedKeys(d.channel(channelName).requests)
}

// ServerMessages lists the wire names of the messages the server sends on a
// channel, events and replies alike, sorted.
func (d *Document) ServerMessages(channelName string) []string {
	return sortedKeys(d.channel(channelName).server)
}

// Events lists the wire names of the channel's send operations, sorted.
func (d *Document) Events(channelName string) []string {
	return sortedKeys(d.channel(channelName).events)
}

// Extension returns a channel's "x-" extension as JSON values (nil when
// absent).
func (d *Document) Extension(channelName, name string) any {
	return obj(obj(d.raw["channels"])[channelName])[name]
}

// Schema returns a component schema as JSON values (nil when absent).
func (d *Document) Schema(name string) map[string]any {
	return obj(obj(obj(d.raw["components"])["schemas"])[name])
}

func appendNew(ms []*message, m *message) []*message {
	for _, have := range ms {
		if have == m {
			return ms
		}
	}
	return append(ms, m)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// refName is the last segment of a local ref ("#/channels/native" → "native").
func refName(r string) string { return unescape(r[strings.LastIndex(r, "/")+1:]) }

func obj(v any) map[string]any { m, _ := v.(map[string]any); return m }
func arr(v any) []any          { a, _ := v.([]any); return a }
func str(v any) string         { s, _ := v.(string); return s }
func ref(v any) string         { return str(obj(v)["$ref"]) }
