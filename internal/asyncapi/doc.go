// Package asyncapi loads docs/asyncapi.yaml, the AsyncAPI 3.0 description of
// the realtime gateways, and validates frames against it. Its one job is to
// keep the document and the server honest with each other:
//
//   - Load checks that the document is structurally AsyncAPI 3.0 (version,
//     every $ref resolves, operations name messages of their own channel,
//     every message has a name and a payload schema that compiles);
//   - the package's tests check that every client message of the protocol
//     table (actors/player) and every server frame type (actors/events) is
//     documented, with the error codes and close codes;
//   - Conversation, Check and the Validate* helpers validate real frames, so
//     the end-to-end tests check every frame they receive.
//
// A native frame {"t","id","d"} is looked up by "t" among the messages of the
// "native" channel; when its id answers a request the conversation saw, it
// must be one of the replies that request's operation lists. A Socket.IO
// event ["type", payload] is looked up by type among the messages of the
// "socketio" channel's send operations, and an ack's arguments among the
// replies of the request's operation.
package asyncapi
