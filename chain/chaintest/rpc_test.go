package chaintest_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/chain/chaintest"
)

// rpcCall posts one JSON-RPC request and returns the reply's result and
// error.
func rpcCall(t *testing.T, url, method string, params any) (json.RawMessage, map[string]any) {
	t.Helper()
	body, err := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": 1, "method": method, "params": params})
	require.NoError(t, err)
	resp, err := http.Post(url, "application/json", bytes.NewReader(body)) //nolint:gosec // G107: the test node's URL
	require.NoError(t, err)
	defer func() { _ = resp.Body.Close() }()
	var reply struct {
		Result json.RawMessage `json:"result"`
		Error  map[string]any  `json:"error"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&reply))
	return reply.Result, reply.Error
}

// starknet_call takes only felts matching the v0.9.0 spec's FELT and
// ADDRESS pattern ^0x(0|[a-fA-F1-9]{1}[a-fA-F0-9]{0,62})$, as a node
// validating requests against the schema does.
func TestNode_CallRefusesNonCanonicalFelts(t *testing.T) {
	t.Parallel()
	node := chaintest.NewNode(t, "SN_SEPOLIA")
	acct := node.NewAccount(t, chaintest.KindArgent)
	selector := "0x28420862938116cb3bbdbedee07451ccc54d4e9412dbef71142ad1980a30941" // is_valid_signature
	call := func(address, sel string, calldata ...string) map[string]any {
		_, rpcErr := rpcCall(t, node.URL, "starknet_call", []any{map[string]any{
			"contract_address": address, "entry_point_selector": sel, "calldata": calldata}, "latest"})
		return rpcErr
	}
	canonical := "0x" + trimZeros(acct.Address[2:])
	ran := call(canonical, selector, "0x1", "0x2", "0x1", "0x2")
	require.InDelta(t, 40, ran["code"], 0, "canonical: the account runs (and reverts on the bogus signature)")
	for name, e := range map[string]map[string]any{
		"zero-padded address":  call(acct.Address, selector, "0x1", "0x2", "0x1", "0x2"),
		"zero-padded selector": call(canonical, "0x0"+selector[2:], "0x1", "0x2", "0x1", "0x2"),
		"zero-padded calldata": call(canonical, selector, "0x01", "0x2", "0x1", "0x2"),
		"decimal calldata":     call(canonical, selector, "1", "0x2", "0x1", "0x2"),
		"no 0x":                call(trimZeros(acct.Address[2:]), selector),
	} {
		require.NotNil(t, e, name)
		require.InDelta(t, -32602, e["code"], 0, name)
	}
}

func TestNode_SpecVersion(t *testing.T) {
	t.Parallel()
	node := chaintest.NewNode(t, "SN_SEPOLIA")
	result, rpcErr := rpcCall(t, node.URL, "starknet_specVersion", []any{})
	require.Nil(t, rpcErr)
	require.JSONEq(t, `"0.9.0"`, string(result))
	node.SetSpecVersion("0.8.1")
	result, _ = rpcCall(t, node.URL, "starknet_specVersion", []any{})
	require.JSONEq(t, `"0.8.1"`, string(result))
}

func trimZeros(hex string) string {
	for len(hex) > 1 && hex[0] == '0' {
		hex = hex[1:]
	}
	return hex
}
