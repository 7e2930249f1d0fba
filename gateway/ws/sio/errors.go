package sio

import "encoding/json"

// HTTPError is an Engine.IO error the server answers an HTTP request with
// (engine.io's Server.errorMessages): {"code":n,"message":".."}.
type HTTPError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
	// Status is the HTTP status the reference server pairs with the code.
	Status int `json:"-"`
}

// Engine.IO request errors, with the reference server's codes, messages and
// statuses.
var (
	ErrTransportUnknown    = HTTPError{Code: 0, Message: "Transport unknown", Status: 400}
	ErrSessionUnknown      = HTTPError{Code: 1, Message: "Session ID unknown", Status: 400}
	ErrBadHandshakeMethod  = HTTPError{Code: 2, Message: "Bad handshake method", Status: 400}
	ErrBadRequest          = HTTPError{Code: 3, Message: "Bad request", Status: 400}
	ErrForbidden           = HTTPError{Code: 4, Message: "Forbidden", Status: 403}
	ErrUnsupportedProtocol = HTTPError{Code: 5, Message: "Unsupported protocol version", Status: 400}
)

// JSON is the error's response body.
func (e HTTPError) JSON() []byte {
	b, _ := json.Marshal(e) // a struct of an int and a string always encodes
	return b
}
