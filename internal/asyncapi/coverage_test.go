package asyncapi_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"

	"github.com/proofstell/proofstell/actors/events"
	"github.com/proofstell/proofstell/actors/player"
	"github.com/proofstell/proofstell/docs"
	"github.com/proofstell/proofstell/gateway/ws"
	"github.com/proofstell/proofstell/internal/asyncapi"
)

// typeConnectionClose is the event the Socket.IO gateway emits before it
// disconnects a socket; it has no native frame.
const typeConnectionClose = "connection:close"

func embedded(t *testing.T) *asyncapi.Document {
	t.Helper()
	d, err := asyncapi.Embedded()
	require.NoError(t, err, "docs/asyncapi.yaml must load")
	return d
}

func TestEmbedded_IsAsyncAPI3(t *testing.T) {
	t.Parallel()
	require.Equal(t, "3.0.0", embedded(t).Version)
}

// TestDocument_ClientMessagesAreTheProtocolTable: both channels document
// exactly the client messages of actors/player's protocol table.
func TestDocument_ClientMessagesAreTheProtocolTable(t *testing.T) {
	t.Parallel()
	var table []string
	for _, m := range player.ClientMessages() {
		table = append(table, m.Type())
	}
	slices.Sort(table)
	d := embedded(t)
	require.Equal(t, table, d.ClientMessages(asyncapi.NativeChannel), "native channel vs protocol table")
	sio := slices.DeleteFunc(d.ClientMessages(asyncapi.SocketIOChannel), func(s string) bool { return s == "CONNECT" })
	require.Equal(t, table, sio, "socketio channel vs protocol table")
}

// TestDocument_ServerMessagesAreTheServerFrameTypes: every server frame type
// the code declares is documented on both channels, and nothing else is
// (besides Socket.IO's connection:close).
func TestDocument_ServerMessagesAreTheServerFrameTypes(t *testing.T) {
	t.Parallel()
	types := events.ServerFrameTypes()
	slices.Sort(types)
	d := embedded(t)
	require.Equal(t, types, d.ServerMessages(asyncapi.NativeChannel), "native channel vs events.ServerFrameTypes")
	sio := append(slices.Clone(types), typeConnectionClose)
	slices.Sort(sio)
	require.Equal(t, sio, d.Events(asyncapi.SocketIOChannel), "socketio events vs events.ServerFrameTypes")
}

func TestDocument_ErrorCodesAreTheCodes(t *testing.T) {
	t.Parallel()
	var documented []string
	for _, c := range embedded(t).Schema("ErrorCode")["enum"].([]any) {
		documented = append(documented, c.(string))
	}
	codes := events.ErrorCodes()
	slices.Sort(codes)
	slices.Sort(documented)
	require.Equal(t, codes, documented)
}

// TestDocument_CloseCodesAreTheGateways: the native channel's x-close-codes
// and the CloseCode schema list exactly the gateway's codes, each with its
// reason.
func TestDocument_CloseCodesAreTheGateways(t *testing.T) {
	t.Parallel()
	want := map[int]string{
		ws.CloseNormal: "", ws.CloseGoingAway: ws.ReasonShuttingDown, ws.CloseUnsupportedData: "",
		ws.ClosePolicyViolation: ws.ReasonBanned, ws.CloseTooBig: "", ws.CloseAuthExpired: ws.ReasonTokenExpired,
		ws.CloseRevoked: ws.ReasonRevoked, ws.CloseRateLimited: ws.ReasonRateLimited, ws.CloseSlowClient: ws.ReasonSlowClient,
	}
	d := embedded(t)
	got := map[int]string{}
	for _, e := range d.Extension(asyncapi.NativeChannel, "x-close-codes").([]any) {
		row := e.(map[string]any)
		got[number(t, row["code"])] = row["reason"].(string)
	}
	require.Equal(t, want, got)
	enum := map[int]string{}
	for _, c := range d.Schema("CloseCode")["enum"].([]any) {
		enum[number(t, c)] = want[number(t, c)]
	}
	require.Equal(t, want, enum, "the CloseCode schema lists the same codes")
}

func number(t *testing.T, v any) int {
	t.Helper()
	n, err := strconv.Atoi(strings.TrimSpace(toString(v)))
	require.NoError(t, err)
	return n
}

func toString(v any) string {
	if s, ok := v.(interface{ String() string }); ok {
		return s.String()
	}
	return ""
}

// TestFrameTypeConstants_AreDocumented: a wire type constant (Type* =
// "literal") anywhere under actors/ or gateway/ names a message the
// document must have, even one declared outside events.ServerFrameTypes and
// the protocol table (a Socket.IO-only event, say).
func TestFrameTypeConstants_AreDocumented(t *testing.T) {
	t.Parallel()
	d := embedded(t)
	documented := map[string]bool{}
	for _, ch := range []string{asyncapi.NativeChannel, asyncapi.SocketIOChannel} {
		for _, name := range append(d.ClientMessages(ch), d.ServerMessages(ch)...) {
			documented[name] = true
		}
	}
	for _, root := range []string{"../../actors", "../../gateway"} {
		for name, value := range typeConstants(t, root) {
			require.True(t, documented[value], "%s = %q is not in docs/asyncapi.yaml", name, value)
		}
	}
}

// typeConstants collects the string constants named Type* with a literal
// value in the non-test Go files under root.
func typeConstants(t *testing.T, root string) map[string]string {
	t.Helper()
	found := map[string]string{}
	err := filepath.WalkDir(root, func(path string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		collectTypeConstants(f, path, found)
		return nil
	})
	require.NoError(t, err)
	return found
}

func collectTypeConstants(f *ast.File, path string, found map[string]string) {
	for _, decl := range f.Decls {
		gen, ok := decl.(*ast.GenDecl)
		if !ok || gen.Tok != token.CONST {
			continue
		}
		for _, spec := range gen.Specs {
			vs := spec.(*ast.ValueSpec)
			for i, name := range vs.Names {
				if i >= len(vs.Values) || !strings.HasPrefix(name.Name, "Type") {
					continue
				}
				if lit, ok := vs.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
					value, _ := strconv.Unquote(lit.Value)
					found[path+": "+name.Name] = value
				}
			}
		}
	}
}

// TestEmbedded_MatchesTheAsyncAPI3Schema validates the whole document
// against the official AsyncAPI 3.0.0 JSON Schema (testdata/README.md).
func TestEmbedded_MatchesTheAsyncAPI3Schema(t *testing.T) {
	t.Parallel()
	f, err := os.Open("testdata/asyncapi-3.0.0.schema.json.gz")
	require.NoError(t, err)
	defer func() { _ = f.Close() }()
	gz, err := gzip.NewReader(f)
	require.NoError(t, err)
	spec, err := jsonschema.UnmarshalJSON(gz)
	require.NoError(t, err)
	c := jsonschema.NewCompiler()
	require.NoError(t, c.AddResource("file:///asyncapi-3.0.0.schema.json", spec))
	schema, err := c.Compile("file:///asyncapi-3.0.0.schema.json")
	require.NoError(t, err)

	var doc any
	require.NoError(t, yaml.Unmarshal(docs.AsyncAPI, &doc))
	b, err := json.Marshal(doc)
	require.NoError(t, err)
	asJSON, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	require.NoError(t, err)
	require.NoError(t, schema.Validate(asJSON))
}
