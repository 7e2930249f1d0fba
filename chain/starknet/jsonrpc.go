package starknet

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
)

// maxReplyBytes caps a node's reply: a call result is a handful of felts.
const maxReplyBytes = 1 << 20

// rpcRequest is a JSON-RPC 2.0 request.
type rpcRequest struct {
	JSONRPC string `json:"jsonrpc"`
	ID      int    `json:"id"`
	Method  string `json:"method"`
	Params  any    `json:"params"`
}

// rpcReply is a JSON-RPC 2.0 response.
type rpcReply struct {
	Result json.RawMessage `json:"result"`
	Error  *RPCError       `json:"error"`
}

// RPCError is an error object returned by a StarkNet node.
type RPCError struct {
	Code    int             `json:"code"`
	Message string          `json:"message"`
	Data    json.RawMessage `json:"data,omitempty"`
}

// Error describes the node's error.
func (e *RPCError) Error() string { return fmt.Sprintf("rpc error %d: %s", e.Code, e.Message) }

// StarkNet JSON-RPC error codes the verifier acts on (spec v0.8).
const (
	codeContractNotFound   = 20
	codeEntrypointNotFound = 21
	codeContractError      = 40
	codeExecutionError     = 41
)

// call posts one JSON-RPC request and decodes its result into out. Transport
// failures, non-200 answers and unparsable replies wrap ErrUnavailable; an
// error object comes back as *RPCError.
func (v *Verifier) call(ctx context.Context, method string, params, out any) error {
	return postRPC(ctx, v.client, v.url, method, params, out)
}

// postRPC posts one JSON-RPC request to url; see Verifier.call.
func postRPC(ctx context.Context, client *http.Client, url, method string, params, out any) error {
	body, err := json.Marshal(rpcRequest{JSONRPC: "2.0", ID: 1, Method: method, Params: params})
	if err != nil {
		return fmt.Errorf("encode %s: %w", method, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("build %s request: %w", method, err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("%s: %w: %w", method, ErrUnavailable, err)
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusOK {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxReplyBytes))
		return fmt.Errorf("%s: %w: http status %d", method, ErrUnavailable, resp.StatusCode)
	}
	return decodeReply(method, io.LimitReader(resp.Body, maxReplyBytes), out)
}

// decodeReply reads a JSON-RPC reply into out.
func decodeReply(method string, r io.Reader, out any) error {
	var reply rpcReply
	if err := json.NewDecoder(r).Decode(&reply); err != nil {
		return fmt.Errorf("%s: %w: decode reply: %w", method, ErrUnavailable, err)
	}
	if reply.Error != nil {
		return fmt.Errorf("%s: %w", method, reply.Error)
	}
	if err := json.Unmarshal(reply.Result, out); err != nil {
		return fmt.Errorf("%s: %w: decode result: %w", method, ErrUnavailable, err)
	}
	return nil
}

// rpcCode returns the node's error code in err, if any.
func rpcCode(err error) (int, bool) {
	var re *RPCError
	if errors.As(err, &re) {
		return re.Code, true
	}
	return 0, false
}
