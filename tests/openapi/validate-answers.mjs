// node validate-answers.mjs <openapi.json> <answers dir> [<Suite>...]
//
// Checks every answer the end-to-end suites recorded (<answers dir>/<Suite>.jsonl, one JSON line
// per answer: method, path, status, content_type, body; with suites named, only theirs, and each
// must have recorded some) against the OpenAPI document:
//   1. the path matches a path template (a literal segment wins over '{param}') and the method has
//      an operation there;
//   2. the status is under that operation's responses: the exact code, else 4XX/5XX, else
//      'default' (a 405 or 501 answer, which the server gives for any path, is checked against
//      components.schemas.Problem only);
//   3. a non-empty body's media type (without parameters) is a key of that response's content,
//      and a JSON body validates against its schema (ajv, JSON Schema 2020-12).
// Prints one line per mismatch (file:line: METHOD path status: what) and exits 1 if there is any,
// or if no answer was recorded at all (the suites did not run, or recorded nothing).
import { readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { HTTP_METHODS, compileAt, describeAjvErrors, matchPathTemplate, openApiAjv, pointer, readJson, resolveRef } from "./openapi-lib.mjs";

const [documentPath, answersDir, ...suites] = process.argv.slice(2);
if (!documentPath || !answersDir) {
  console.error("usage: node validate-answers.mjs <openapi.json> <answers dir>");
  process.exit(2);
}

const doc = readJson(documentPath);
const ajv = openApiAjv(doc);
const templates = Object.keys(doc.paths ?? {});
const validators = new Map();   // schema pointer -> compiled validator

function validatorAt(schemaPointer) {
  if (!validators.has(schemaPointer)) validators.set(schemaPointer, compileAt(ajv, schemaPointer));
  return validators.get(schemaPointer);
}

function isJsonMediaType(mediaType) {
  return mediaType === "application/json" || mediaType.endsWith("+json");
}

// What is wrong with the answer `a`, as a list of sentences (empty: it matches the document).
function mismatches(a) {
  const path = String(a.path ?? "").split("?")[0];
  const method = String(a.method ?? "").toLowerCase();
  const status = Number(a.status);
  const mediaType = String(a.content_type ?? "").split(";")[0].trim().toLowerCase();
  const body = a.body ?? "";

  if (status === 405 || status === 501) {
    // The server's own answers to a method or feature it lacks, for any path.
    if (mediaType !== "application/problem+json") return [`a ${status} answer must be application/problem+json, not '${mediaType}'`];
    return checkJson(body, "#/components/schemas/Problem", "components.schemas.Problem");
  }

  const template = matchPathTemplate(templates, path);
  if (template === null) return [`undocumented path: no path template of the document matches ${path}`];
  const pathItem = resolveRef(doc, doc.paths[template], pointer("paths", template));
  const operation = pathItem.object[method];
  if (!HTTP_METHODS.includes(method) || !operation) {
    return [`undocumented method: ${template} has no ${method.toUpperCase()} operation`];
  }
  const operationPointer = `${pathItem.pointer}/${method}`;
  const responses = operation.responses ?? {};
  const key = [String(status), `${String(status)[0]}XX`, "default"].find((k) => k in responses);
  if (key === undefined) {
    return [`undocumented status: ${method.toUpperCase()} ${template} documents ${Object.keys(responses).join(", ") || "no responses"}, not ${status}`];
  }
  const response = resolveRef(doc, responses[key], `${operationPointer}/responses/${key}`);
  if (body.length === 0) return [];

  const content = response.object.content ?? {};
  const documented = Object.keys(content).find((k) => k.toLowerCase() === mediaType);
  if (documented === undefined) {
    return [`wrong media type: '${mediaType}' is not documented for ${status} of ${method.toUpperCase()} ${template} ` +
            `(documented: ${Object.keys(content).join(", ") || "no body"})`];
  }
  if (!isJsonMediaType(mediaType) || !content[documented].schema) return [];
  return checkJson(body, `${response.pointer}/content/${documented.replaceAll("~", "~0").replaceAll("/", "~1")}/schema`,
                   `the ${status} ${documented} schema of ${method.toUpperCase()} ${template}`);
}

function checkJson(body, schemaPointer, schemaName) {
  let value;
  try {
    value = JSON.parse(body);
  } catch (e) {
    return [`the body is not JSON (${e.message})`];
  }
  let validate;
  try {
    validate = validatorAt(schemaPointer);
  } catch (e) {
    return [`${schemaName} does not compile: ${e.message}`];
  }
  if (validate(value)) return [];
  return describeAjvErrors(validate.errors).map((error) => `schema mismatch against ${schemaName}: ${error}`);
}

let files;
try {
  files = readdirSync(answersDir).filter((f) => f.endsWith(".jsonl")).sort();
} catch (e) {
  files = [];
}
const silent = [];   // named suites that recorded nothing
if (suites.length > 0) {
  silent.push(...suites.filter((suite) => !files.includes(`${suite}.jsonl`) ||
                                          readFileSync(join(answersDir, `${suite}.jsonl`), "utf8").trim() === ""));
  files = files.filter((f) => suites.includes(f.replace(/\.jsonl$/, "")));   // not a removed suite's
}

let answers = 0;
const failures = new Map();   // a mismatch -> where it was seen (a polling test repeats one many times)
function fail(where, text) {
  if (!failures.has(text)) failures.set(text, []);
  failures.get(text).push(where);
}
for (const file of files) {
  const lines = readFileSync(join(answersDir, file), "utf8").split("\n");
  lines.forEach((line, index) => {
    if (!line.trim()) return;
    const where = { file: basename(file), line: index + 1 };
    let answer;
    try {
      answer = JSON.parse(line);
    } catch (e) {
      fail(where, `not a JSON line (${e.message})`);
      return;
    }
    answers++;
    for (const problem of mismatches(answer)) {
      fail(where, `${String(answer.method).toUpperCase()} ${answer.path} ${answer.status}: ${problem}`);
    }
  });
}

let count = 0;
for (const [text, places] of failures) {
  count += places.length;
  const first = places[0];
  const also = places.slice(1, 6).map((p) => (p.file === first.file ? p.line : `${p.file}:${p.line}`));
  const more = places.length === 1 ? "" : ` (${places.length} times: also ${also.join(", ")}${places.length > 6 ? ", ..." : ""})`;
  console.log(`${first.file}:${first.line}: ${text}${more}`);
}
for (const suite of silent) console.log(`${suite} recorded no answers in ${answersDir}`);
if (answers === 0 && silent.length === 0) {
  console.log(`no answers were recorded in ${answersDir} (did the end-to-end suites run with TINKO_ANSWER_LOG?)`);
  process.exit(1);
}
console.log(`${answers} answers from ${files.length} files checked against ${documentPath}: ${count} mismatches`);
process.exit(count === 0 && silent.length === 0 && answers > 0 ? 0 : 1);
