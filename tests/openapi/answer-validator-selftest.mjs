// node answer-validator-selftest.mjs
//
// Shows validate-answers.mjs can fail: on fixtures/document.json, each answer of
// fixtures/wrong-answers (wrong type, missing required field, undocumented status, path and method,
// wrong media type, a body that is not JSON, ...) must be reported on its own line with the words
// its "expect" field gives; fixtures/right-answers must pass; an empty directory must fail, and so
// must a suite named on the command line that recorded nothing.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const fixtures = join(here, "fixtures");
const documentPath = join(fixtures, "document.json");
const failures = [];

function run(answersDir, ...suites) {
  const r = spawnSync(process.execPath, [join(here, "validate-answers.mjs"), documentPath, answersDir, ...suites],
                      { encoding: "utf8" });
  return { status: r.status, output: r.stdout + r.stderr };
}

const wrongFile = "WrongAnswersEndToEndTest.jsonl";
const wrong = run(join(fixtures, "wrong-answers"));
if (wrong.status !== 1) failures.push(`wrong answers: the validator exited ${wrong.status}, not 1`);
const reported = wrong.output.split("\n");
readFileSync(join(fixtures, "wrong-answers", wrongFile), "utf8").split("\n").forEach((line, index) => {
  if (!line.trim()) return;
  const answer = JSON.parse(line);
  const prefix = `${wrongFile}:${index + 1}: `;
  if (!reported.some((r) => r.startsWith(prefix) && r.includes(answer.expect))) {
    failures.push(`not reported: ${answer.method} ${answer.path} ${answer.status} should give "${answer.expect}"`);
  }
});

const right = run(join(fixtures, "right-answers"));
if (right.status !== 0) failures.push(`right answers: the validator exited ${right.status}, not 0:\n${right.output}`);

const none = run(join(fixtures, "no-such-directory"));
if (none.status !== 1 || !none.output.includes("no answers were recorded")) {
  failures.push(`no answers: the validator exited ${none.status} with:\n${none.output}`);
}

// Named suites: only their files are read, and one that recorded nothing fails.
const named = run(join(fixtures, "right-answers"), "RightAnswersEndToEndTest");
if (named.status !== 0) failures.push(`a named suite: the validator exited ${named.status}, not 0:\n${named.output}`);
const silent = run(join(fixtures, "right-answers"), "RightAnswersEndToEndTest", "SilentEndToEndTest");
if (silent.status !== 1 || !silent.output.includes("SilentEndToEndTest recorded no answers")) {
  failures.push(`a suite that recorded nothing: the validator exited ${silent.status} with:\n${silent.output}`);
}

if (failures.length > 0) {
  console.log("The answer validator's output on the wrong answers was:\n" + wrong.output);
  for (const failure of failures) console.log("FAIL " + failure);
  process.exit(1);
}
console.log(`the answer validator reported each of the wrong answers, passed the right ones and failed on none`);
