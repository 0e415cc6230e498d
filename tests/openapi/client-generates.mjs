// node client-generates.mjs <openapi.json> <output dir>
//
// What the README promises: @hey-api/openapi-ts (the version package.json pins) makes a TypeScript
// client from the document. Checks the client has a function for every operationId of the document
// and type-checks it with tsc --strict.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { HTTP_METHODS, readJson } from "./openapi-lib.mjs";

const [documentPath, outputDir] = process.argv.slice(2);
if (!documentPath || !outputDir) {
  console.error("usage: node client-generates.mjs <openapi.json> <output dir>");
  process.exit(2);
}
const here = dirname(fileURLToPath(import.meta.url));
const bin = (name) => join(here, "node_modules", ".bin", name);

function run(command, args) {
  const r = spawnSync(command, args, { encoding: "utf8", cwd: here });
  if (r.status !== 0) {
    console.log(`${command} ${args.join(" ")} exited ${r.status ?? r.signal}:\n${r.stdout}${r.stderr}`);
    process.exit(1);
  }
}

const doc = readJson(documentPath);
const operationIds = Object.values(doc.paths ?? {}).flatMap((item) =>
  HTTP_METHODS.map((m) => item?.[m]?.operationId).filter(Boolean));
if (operationIds.length === 0) {
  console.log(`${documentPath} has no operations with an operationId: no client to make`);
  process.exit(1);
}

rmSync(outputDir, { recursive: true, force: true });
run(bin("openapi-ts"), ["-i", documentPath, "-o", outputDir, "--no-log-file", "--silent"]);
const sdkFile = join(outputDir, "sdk.gen.ts");
if (!existsSync(sdkFile)) {
  console.log(`the generator wrote no ${sdkFile}`);
  process.exit(1);
}
const sdk = readFileSync(sdkFile, "utf8");
const missing = operationIds.filter((id) => !new RegExp(`export const ${id}\\b`).test(sdk));
for (const id of missing) console.log(`the client has no function for operationId ${id}`);

run(bin("tsc"), ["--noEmit", "--strict", "--target", "es2022", "--module", "esnext", "--moduleResolution", "bundler",
                 "--lib", "es2022,dom,dom.iterable", "--skipLibCheck", join(outputDir, "index.ts")]);

console.log(`${outputDir}: a client with ${operationIds.length - missing.length} of ${operationIds.length} operations, type-checked`);
process.exit(missing.length === 0 ? 0 : 1);
