package chaintest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stellar/go-stellar-sdk/keypair"
	"github.com/stellar/go-stellar-sdk/network"
	protocol "github.com/stellar/go-stellar-sdk/protocols/rpc"
	"github.com/stellar/go-stellar-sdk/txnbuild"
	"github.com/stellar/go-stellar-sdk/xdr"
	"github.com/stretchr/testify/require"
)

// sorobanCall posts one JSON-RPC request and decodes its result or error.
func sorobanCall(t *testing.T, n *SorobanNode, method string, params any, result any) *rpcError {
	t.Helper()
	body, err := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": 1, "method": method, "params": params})
	require.NoError(t, err)
	resp, err := http.Post(n.URL, "application/json", bytes.NewReader(body))
	require.NoError(t, err)
	defer func() { _ = resp.Body.Close() }()
	var reply struct {
		Result json.RawMessage `json:"result"`
		Error  *rpcError       `json:"error"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&reply))
	if reply.Error == nil && result != nil {
		require.NoError(t, json.Unmarshal(reply.Result, result))
	}
	return reply.Error
}

// sorobanSignedMint is a mint by the minter kp at its next sequence number, with
// the footprint and auth a simulation gives, signed for passphrase.
func sorobanSignedMint(t *testing.T, n *SorobanNode, kp *keypair.Full, to string, lo uint64, passphrase string) xdr.TransactionEnvelope {
	t.Helper()
	id, err := xdr.AddressToAccountId(to)
	require.NoError(t, err)
	contract := sorobanContractAddress()
	call := xdr.InvokeContractArgs{ContractAddress: contract, FunctionName: "mint", Args: []xdr.ScVal{
		{Type: xdr.ScValTypeScvAddress, Address: &xdr.ScAddress{Type: xdr.ScAddressTypeScAddressTypeAccount, AccountId: &id}},
		{Type: xdr.ScValTypeScvU128, U128: &xdr.UInt128Parts{Lo: xdr.Uint64(lo)}}}}
	m, herr := decodeSorobanMint(xdr.HostFunction{Type: xdr.HostFunctionTypeHostFunctionTypeInvokeContract, InvokeContract: &call})
	require.Nil(t, herr)
	auth, err := sorobanMintAuth(m, kp.Address(), kp.Address(), 0)
	require.NoError(t, err)
	data := xdr.SorobanTransactionData{ResourceFee: xdr.Int64(SorobanResourceFee), Resources: xdr.SorobanResources{Footprint: sorobanFootprint(m)}}
	tx, err := txnbuild.NewTransaction(txnbuild.TransactionParams{
		SourceAccount:        &txnbuild.SimpleAccount{AccountID: kp.Address(), Sequence: n.AccountSequence(kp.Address())},
		IncrementSequenceNum: true, BaseFee: SorobanMinInclusionFee,
		Operations: []txnbuild.Operation{&txnbuild.InvokeHostFunction{HostFunction: m.hostFunction(),
			Auth: []xdr.SorobanAuthorizationEntry{auth}, Ext: xdr.TransactionExt{V: 1, SorobanData: &data}}},
		Preconditions: txnbuild.Preconditions{TimeBounds: txnbuild.NewInfiniteTimeout()},
	})
	require.NoError(t, err)
	tx, err = tx.Sign(passphrase, kp)
	require.NoError(t, err)
	return tx.ToXDR()
}

func (m sorobanMint) hostFunction() xdr.HostFunction {
	call := m.call
	return xdr.HostFunction{Type: xdr.HostFunctionTypeHostFunctionTypeInvokeContract, InvokeContract: &call}
}

// sorobanSend posts env and returns the node's answer and result code.
func sorobanSend(t *testing.T, n *SorobanNode, env xdr.TransactionEnvelope) (protocol.SendTransactionResponse, xdr.TransactionResultCode) {
	t.Helper()
	b64, err := xdr.MarshalBase64(env)
	require.NoError(t, err)
	var out protocol.SendTransactionResponse
	require.Nil(t, sorobanCall(t, n, "sendTransaction", protocol.SendTransactionRequest{Transaction: b64}, &out))
	var res xdr.TransactionResult
	if out.ErrorResultXDR != "" {
		require.NoError(t, xdr.SafeUnmarshalBase64(out.ErrorResultXDR, &res))
	}
	return out, res.Result.Code
}

func TestSorobanNode_ChecksHashAndSignature(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		tamper func(t *testing.T, env *xdr.TransactionEnvelope, n *SorobanNode, kp *keypair.Full) xdr.TransactionEnvelope
		code   xdr.TransactionResultCode
	}{
		{"untouched", func(_ *testing.T, env *xdr.TransactionEnvelope, _ *SorobanNode, _ *keypair.Full) xdr.TransactionEnvelope {
			return *env
		}, xdr.TransactionResultCodeTxSuccess},
		{"fee raised after signing", func(_ *testing.T, env *xdr.TransactionEnvelope, _ *SorobanNode, _ *keypair.Full) xdr.TransactionEnvelope {
			env.V1.Tx.Fee++
			return *env
		}, xdr.TransactionResultCodeTxBadAuth},
		{"recipient swapped after signing", func(t *testing.T, env *xdr.TransactionEnvelope, _ *SorobanNode, _ *keypair.Full) xdr.TransactionEnvelope {
			other, err := xdr.AddressToAccountId(keypair.MustRandom().Address())
			require.NoError(t, err)
			env.V1.Tx.Operations[0].Body.InvokeHostFunctionOp.HostFunction.InvokeContract.Args[0].Address.AccountId = &other
			return *env
		}, xdr.TransactionResultCodeTxBadAuth},
		{"signed for another network", func(t *testing.T, _ *xdr.TransactionEnvelope, n *SorobanNode, kp *keypair.Full) xdr.TransactionEnvelope {
			return sorobanSignedMint(t, n, kp, kp.Address(), 9, network.PublicNetworkPassphrase)
		}, xdr.TransactionResultCodeTxBadAuth},
		{"no signature", func(_ *testing.T, env *xdr.TransactionEnvelope, _ *SorobanNode, _ *keypair.Full) xdr.TransactionEnvelope {
			env.V1.Signatures = nil
			return *env
		}, xdr.TransactionResultCodeTxBadAuth},
		{"resource fee below the simulated one", func(_ *testing.T, env *xdr.TransactionEnvelope, _ *SorobanNode, _ *keypair.Full) xdr.TransactionEnvelope {
			env.V1.Tx.Ext.SorobanData.ResourceFee--
			return *env
		}, xdr.TransactionResultCodeTxInsufficientFee},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			n := NewSorobanNode(t, network.TestNetworkPassphrase)
			kp := keypair.MustRandom()
			n.FundAccount(kp.Address())
			n.SetSorobanMinter(kp.Address())
			env := sorobanSignedMint(t, n, kp, kp.Address(), 9, network.TestNetworkPassphrase)
			out, code := sorobanSend(t, n, tt.tamper(t, &env, n, kp))
			require.Equal(t, tt.code, code)
			if tt.code == xdr.TransactionResultCodeTxSuccess {
				require.Equal(t, sorobanStatusPending, out.Status)
				require.Equal(t, 1, n.Minted())
				return
			}
			require.Equal(t, sorobanStatusError, out.Status)
			require.Zero(t, n.Minted())
			require.Empty(t, n.Txs())
		})
	}
}

func TestSignedBy(t *testing.T) {
	t.Parallel()
	kp, other := keypair.MustRandom(), keypair.MustRandom()
	h := [32]byte{1, 2, 3}
	good, err := kp.SignDecorated(h[:])
	require.NoError(t, err)
	foreign, err := other.SignDecorated(h[:])
	require.NoError(t, err)
	forged := foreign
	forged.Hint = good.Hint
	require.True(t, sorobanSignedBy([]xdr.DecoratedSignature{foreign, good}, kp.Address(), h))
	require.False(t, sorobanSignedBy([]xdr.DecoratedSignature{foreign}, kp.Address(), h), "another key")
	require.False(t, sorobanSignedBy([]xdr.DecoratedSignature{forged}, kp.Address(), h), "another key under our hint")
	require.False(t, sorobanSignedBy([]xdr.DecoratedSignature{good}, kp.Address(), [32]byte{9}), "another hash")
	require.False(t, sorobanSignedBy([]xdr.DecoratedSignature{good}, "GNOTANADDRESS", h))
}

func TestSorobanNode_MethodsOverHTTP(t *testing.T) {
	t.Parallel()
	n := NewSorobanNode(t, network.TestNetworkPassphrase)
	var netw protocol.GetNetworkResponse
	require.Nil(t, sorobanCall(t, n, "getNetwork", map[string]any{}, &netw))
	require.Equal(t, network.TestNetworkPassphrase, netw.Passphrase)
	var latest protocol.GetLatestLedgerResponse
	require.Nil(t, sorobanCall(t, n, "getLatestLedger", nil, &latest))
	require.Equal(t, uint32(sorobanGenesisLedger), latest.Sequence)

	kp := keypair.MustRandom()
	n.FundAccount(kp.Address())
	require.Equal(t, int64(sorobanGenesisLedger)<<32, n.AccountSequence(kp.Address()))
	id, err := xdr.AddressToAccountId(kp.Address())
	require.NoError(t, err)
	key, err := id.LedgerKey()
	require.NoError(t, err)
	keyB64, err := xdr.MarshalBase64(key)
	require.NoError(t, err)
	var entries protocol.GetLedgerEntriesResponse
	require.Nil(t, sorobanCall(t, n, "getLedgerEntries", protocol.GetLedgerEntriesRequest{Keys: []string{keyB64}}, &entries))
	require.Len(t, entries.Entries, 1)
	var data xdr.LedgerEntryData
	require.NoError(t, xdr.SafeUnmarshalBase64(entries.Entries[0].DataXDR, &data))
	require.Equal(t, xdr.SequenceNumber(sorobanGenesisLedger<<32), data.Account.SeqNum)

	var tx protocol.GetTransactionResponse
	require.Nil(t, sorobanCall(t, n, "getTransaction", protocol.GetTransactionRequest{Hash: sorobanLedgerHash(1)}, &tx))
	require.Equal(t, protocol.TransactionStatusNotFound, tx.Status)

	errs := []struct {
		method string
		params any
		code   int
	}{
		{"getTransaction", protocol.GetTransactionRequest{Hash: "abc"}, codeInvalidParams},
		{"sendTransaction", protocol.SendTransactionRequest{Transaction: "AAAA"}, codeInvalidParams},
		{"simulateTransaction", []string{"positional"}, codeInvalidParams},
		{"getLedgerEntries", protocol.GetLedgerEntriesRequest{Keys: []string{"!"}}, codeInvalidParams},
		{"getEvents", map[string]any{}, codeMethodNotFound},
	}
	for _, e := range errs {
		got := sorobanCall(t, n, e.method, e.params, nil)
		require.NotNil(t, got, e.method)
		require.Equal(t, e.code, got.Code, e.method)
	}
}

func TestSorobanNode_SimulateAsksTheMinterForAuth(t *testing.T) {
	t.Parallel()
	n := NewSorobanNode(t, network.TestNetworkPassphrase)
	kp, minter := keypair.MustRandom(), keypair.MustRandom()
	n.FundAccount(kp.Address())
	n.SetSorobanMinter(minter.Address())
	env := sorobanSignedMint(t, n, kp, kp.Address(), 1, network.TestNetworkPassphrase)
	b64, err := xdr.MarshalBase64(env)
	require.NoError(t, err)
	var out protocol.SimulateTransactionResponse
	require.Nil(t, sorobanCall(t, n, "simulateTransaction", protocol.SimulateTransactionRequest{Transaction: b64}, &out))
	require.Empty(t, out.Error)
	require.Len(t, *out.Results[0].AuthXDR, 1)
	var auth xdr.SorobanAuthorizationEntry
	require.NoError(t, xdr.SafeUnmarshalBase64((*out.Results[0].AuthXDR)[0], &auth))
	require.Equal(t, xdr.SorobanCredentialsTypeSorobanCredentialsAddress, auth.Credentials.Type, "the minter must sign")

	// Sent anyway with the invoker's source-account auth: require_auth fails.
	out2, code := sorobanSend(t, n, env)
	require.Equal(t, sorobanStatusPending, out2.Status, "admitted: the host fails it")
	require.Equal(t, xdr.TransactionResultCodeTxSuccess, code)
	require.True(t, n.Txs()[0].Failed)
	require.Equal(t, "Error(Auth, InvalidAction)", n.Txs()[0].Reason)
	require.Zero(t, n.Minted())
}

func TestSorobanNode_Health(t *testing.T) {
	t.Parallel()
	node := NewSorobanNode(t, network.TestNetworkPassphrase)
	var h protocol.GetHealthResponse
	require.Nil(t, sorobanCall(t, node, protocol.GetHealthMethodName, nil, &h))
	require.Equal(t, "healthy", h.Status)
	require.Positive(t, h.LatestLedger)
	require.LessOrEqual(t, h.OldestLedger, h.LatestLedger)
	node.SetUnhealthy(true)
	e := sorobanCall(t, node, protocol.GetHealthMethodName, nil, nil)
	require.NotNil(t, e)
	require.Equal(t, -32603, e.Code)
	require.Contains(t, e.Message, "latency")
}
