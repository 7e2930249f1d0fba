package chaintest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestLedger_ExecuteIsAtomic(t *testing.T) {
	t.Parallel()
	l := newLedger()
	a, b := "0x"+pad64("a"), "0x"+pad64("b")
	require.Empty(t, l.execute([]call{{to: a, tokenID: "0x1"}}))
	require.Empty(t, l.execute([]call{{root: &rootCall{board: "daily", period: "p1", root: "0xabc"}}}))
	require.Empty(t, l.execute([]call{{root: &rootCall{board: "daily", period: "p1", root: "0xabc"}}}), "the same root again is a no-op")
	tests := []struct {
		name   string
		calls  []call
		reason string
	}{
		{"same owner in a batch", []call{{to: b, tokenID: "0x2"}, {to: a, tokenID: "0x1"}}, RevertAlreadyMintedToOwner},
		{"another owner", []call{{to: b, tokenID: "0x3"}, {to: b, tokenID: "0x1"}}, RevertOwnedByAnother},
		{"twice in one batch", []call{{to: b, tokenID: "0x4"}, {to: b, tokenID: "0x4"}}, RevertAlreadyMintedToOwner},
		{"another root after a mint", []call{{to: b, tokenID: "0x5"}, {root: &rootCall{board: "daily", period: "p1", root: "0xbad"}}}, RevertRootAlreadySet},
	}
	for _, tt := range tests {
		require.Equal(t, tt.reason, l.execute(tt.calls), tt.name)
	}
	require.Equal(t, map[string]string{"0x1": a}, l.owners, "reverted batches minted nothing")
	require.Equal(t, map[string]string{"daily/p1": "0xabc"}, l.roots, "a reverted batch changed no root")
}

func TestNode_TxMethodsOverHTTP(t *testing.T) {
	t.Parallel()
	n := NewNode(t, "SN_SEPOLIA")
	tests := []struct {
		method string
		params string
		code   int
	}{
		{"starknet_getTransactionReceipt", `["0x123"]`, codeTxNotFound},
		{"starknet_getTransactionStatus", `{"transaction_hash":"0x123"}`, codeTxNotFound},
		{"starknet_addInvokeTransaction", `[{"type":"INVOKE","version":"0x1","sender_address":"0x1","nonce":"0x0"}]`, codeUnsupportedTxVer},
		{"starknet_getNonce", `["latest","0x999"]`, codeContractNotFound},
		{"starknet_estimateFee", `[[],[],"latest"]`, codeInvalidParams},
		{"starknet_nope", `[]`, codeMethodNotFound},
	}
	for _, tt := range tests {
		body := `{"jsonrpc":"2.0","id":1,"method":"` + tt.method + `","params":` + tt.params + `}`
		resp, err := http.Post(n.URL, "application/json", bytes.NewBufferString(body))
		require.NoError(t, err)
		var reply struct {
			Error *rpcError `json:"error"`
		}
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&reply))
		require.NoError(t, resp.Body.Close())
		require.NotNil(t, reply.Error, tt.method)
		require.Equal(t, tt.code, reply.Error.Code, tt.method)
	}
}

func pad64(s string) string {
	return string(bytes.Repeat([]byte("0"), 64-len(s))) + s
}
