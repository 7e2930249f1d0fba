// Fails when the committed dist/ is stale: rebuilds the page into a
// temporary folder and compares every file with dist/, byte for byte.
// gateway/playpage/play_test.go runs it (TestBundle_UpToDate).
import assert from "node:assert/strict";
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { build } from "../build.mjs";

const dist = fileURLToPath(new URL("../dist", import.meta.url));

async function files(dir) {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name))).sort();
}

test("dist/ is what build.mjs makes of the sources (else run `make play` and commit gateway/playpage/dist)", async (t) => {
  const fresh = await mkdtemp(path.join(tmpdir(), "play-build-"));
  t.after(() => rm(fresh, { recursive: true, force: true }));
  await build(fresh);
  const names = await files(fresh);
  assert.deepEqual(await files(dist), names, "the same files");
  for (const name of names) {
    const [want, got] = await Promise.all([readFile(path.join(fresh, name)), readFile(path.join(dist, name))]);
    assert.ok(want.equals(got), `dist/${name} is stale: run \`make play\` and commit gateway/playpage/dist`);
  }
});
