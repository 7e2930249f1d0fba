// Package party is the party grain: friends who queue together (issue #15),
// one grain per party, identity its code.
//
// Takes (from player actors, protos): *protos.PartyJoin (create opens the
// party, refused with unavailable when the code is taken; a join needs the
// party to exist, party_not_found, and to have room for 8, party_full;
// answered with ack {"code"} and, to every member, party:update),
// *protos.PartyLeave (the member leaves; the next one leads when the
// leader leaves; the last one out ends the party), *protos.PartyMembersQuery
// (answered with *protos.PartyMembersReply, the leader first: the leader's
// player actor reads it off its mailbox to queue the whole party as one
// ticket).
// Emits: protos.ClientEvent to members (ack, error, party:update), with
// session_id "party:<code>" so a player actor can tell the party's frames
// apart.
//
// Durability: a party lives only in memory. If its activation is lost the
// party is gone (a later join answers party_not_found and friends create
// a new one); nothing is recorded about parties.
//
// Supervision: default; the grain does no I/O and never blocks.
//
// Invariants: at most 8 members, each player once; the leader is the first
// member.
package party
