// The committed realtime types must be what the generator makes from
// docs/asyncapi.yaml today: a change to the document without
// `npm run generate` fails here (and so in `make test`).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

import { documentPath, generate, outputPath } from "../scripts/generate-realtime.mjs";

test("src/generated/realtime.ts is up to date with docs/asyncapi.yaml", async () => {
  const fresh = await generate(readFileSync(documentPath, "utf8"));
  assert.ok(readFileSync(outputPath, "utf8") === fresh, "stale: run `npm run generate` in sdk/typescript and commit src/generated/realtime.ts");
});

test("every client message and server event of the document is typed", async () => {
  const text = await generate(readFileSync(documentPath, "utf8"));
  for (const type of ["game:start", "game:whack", "game:resume", "leaderboard:subscribe", "ping"]) {
    assert.match(text, new RegExp(`"${type}": `), type);
  }
  assert.match(text, /"game:whack": Hit \| Miss;/);
  assert.match(text, /"game:mole": Mole;/);
});

test("src/generated/rest.ts is up to date with docs/openapi.yaml", async () => {
  const { default: openapiTS, astToString } = await import("openapi-typescript");
  const documentURL = new URL("../../../docs/openapi.yaml", import.meta.url);
  const fresh = astToString(await openapiTS(documentURL));
  const committed = readFileSync(new URL("../src/generated/rest.ts", import.meta.url), "utf8");
  assert.ok(committed.endsWith(fresh), "stale: run `npm run generate:rest` in sdk/typescript and commit src/generated/rest.ts");
});
