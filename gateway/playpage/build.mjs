// Builds the play page into dist/ (committed; the Go package here embeds
// it): src/main.ts bundled with the SDK's sources (and their dependencies,
// from sdk/typescript/node_modules) by esbuild into assets/play.js,
// src/play.css minified into assets/play.css, and src/index.html copied.
// dist/manifest.json records the SHA-256 of every output: the Go package
// serves them as ETags and its test fails when dist/ was edited by hand;
// test/build.test.mjs (run from Go) fails when a rebuild would change dist/.
//
//   node build.mjs               rebuild dist/
//   node build.mjs --out DIR     build into DIR instead

import { createHash } from "node:crypto";
import { cp, mkdir, readFile, readdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const here = path.dirname(fileURLToPath(import.meta.url));

/** build writes the page into out (emptied first) with its manifest. */
export async function build(out) {
  await rm(out, { recursive: true, force: true });
  await mkdir(path.join(out, "assets"), { recursive: true });
  await esbuild.build({
    entryPoints: [
      { in: path.join(here, "src/main.ts"), out: "play" },
      { in: path.join(here, "src/play.css"), out: "play" },
    ],
    outdir: path.join(out, "assets"),
    bundle: true,
    format: "esm",
    platform: "browser",
    target: ["es2022", "chrome100", "firefox100", "safari15"],
    minify: true,
    legalComments: "eof",
    logLevel: "warning",
  });
  await cp(path.join(here, "src/index.html"), path.join(out, "index.html"));
  const manifest = { outputs: await hashTree(out) };
  await writeFile(path.join(out, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
}

// hashTree maps each file under dir (relative paths with /) to its SHA-256.
async function hashTree(dir) {
  const hashes = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const abs = path.join(entry.parentPath, entry.name);
    const rel = path.relative(dir, abs).split(path.sep).join("/");
    hashes.push([rel, createHash("sha256").update(await readFile(abs)).digest("hex")]);
  }
  hashes.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(hashes);
}

// Run as a script (not imported by the test): build into --out or dist/.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const at = process.argv.indexOf("--out");
  await build(at > 0 ? path.resolve(process.argv[at + 1]) : path.join(here, "dist"));
}
