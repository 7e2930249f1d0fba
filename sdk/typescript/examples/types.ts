// Compile-time checks of the SDK's typing (type-checked by `npm run
// build`, never run): payloads, replies and events follow
// docs/asyncapi.yaml, and mistakes do not compile.
import { RealtimeClient, Rest, createRestClient, Auth, type Hit, type Miss, type Mole, type SessionAck } from "../src/node.js";

declare const client: RealtimeClient;

export async function checks(): Promise<void> {
  const ack: SessionAck = await client.request("game:start", { mode: "classic" });
  const whacked: Hit | Miss = await client.whack({ sessionId: ack.sessionId, hole: 0, moleId: 1 });
  client.on("game:mole", (mole: Mole) => mole.upMs);
  client.on("close", ({ code, reason, reconnecting }) => [code, reason, reconnecting]);
  // @ts-expect-error: game:start takes a mode
  await client.request("game:start", { sessionId: "x" });
  // @ts-expect-error: no such message
  await client.request("game:fly", {});
  // @ts-expect-error: a mole has no score
  client.on("game:mole", (mole) => mole.score);
  // @ts-expect-error: boards are global, daily, weekly or monthly
  await client.subscribeLeaderboard("yearly");
  const rest = new Rest(createRestClient(new Auth({ baseUrl: "" }), ""));
  const page = await rest.leaderboard("global", { limit: 10 });
  void [whacked, page.entries[0]?.rank];
}
