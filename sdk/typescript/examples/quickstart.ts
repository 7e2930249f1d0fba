// The README's example, type-checked by `npm run build` (tsconfig.check.json).
import { Auth, isHit, RealtimeClient, RealtimeError } from "../src/node.js";

const url = "http://127.0.0.1:3000";
const auth = new Auth({ baseUrl: url });
await auth.signInGuest("my-device-0001");
const client = new RealtimeClient({ url, transport: "socketio", getToken: (o) => auth.accessToken(o) });
await client.connect();
client.on("close", ({ code, reconnecting }) => console.log("closed", code, reconnecting));
client.on("game:mole", async (mole) => {
  const result = await client.whack({ sessionId: mole.gameId, hole: mole.hole, moleId: mole.moleId });
  console.log(isHit(result) ? `hit, score ${result.score}` : `miss: ${result.reason}`);
});
const game = await client.startGame({ mode: "classic" }).catch((err: RealtimeError) => {
  throw new Error(`refused: ${err.code} ${err.message} retry after ${err.retryAfterMs ?? 0} ms`);
});
const over = await client.next("game:over", (o) => o.gameId === game.sessionId, 60_000);
console.log(over.results);
client.close();
