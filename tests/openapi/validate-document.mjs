// node validate-document.mjs <openapi.json>
//
// Checks the OpenAPI document the build produced (build/openapi.json, from docs/openapi.yaml):
//   - against the OpenAPI 3.1 schema, with @seriousme/openapi-schema-validator;
//   - every local $ref names something;
//   - every schema compiles as JSON Schema 2020-12 (ajv, strict: an unknown keyword such as
//     'requried' or an unknown format is an error), and every example validates against its schema;
//   - what the 3.1 schema cannot check: operationIds unique, each '{param}' of a path template
//     declared as a path parameter; and this project's rules (issue 17's contract): each operation
//     has an operationId, a summary, a declared tag and an example.
// Prints each error and exits 1 if there is any.
import { Validator } from "@seriousme/openapi-schema-validator";
import { HTTP_METHODS, compileAt, describeAjvErrors, openApiAjv, pointer, readJson, resolveRef } from "./openapi-lib.mjs";

const documentPath = process.argv[2];
if (!documentPath) {
  console.error("usage: node validate-document.mjs <openapi.json>");
  process.exit(2);
}
const doc = readJson(documentPath);
const errors = [];

// 1. The OpenAPI 3.1 schema.
const validator = new Validator();
const result = await validator.validate(structuredClone(doc));
if (!result.valid) {
  for (const e of [result.errors].flat()) {
    if (typeof e === "string") errors.push(`OpenAPI validator: ${e}`);   // e.g. a $ref it cannot resolve
    else errors.push(`OpenAPI 3.1 schema: ${e.instancePath || "(the document)"} ${e.message}` +
                     (e.params ? ` ${JSON.stringify(e.params)}` : ""));
  }
}

// 2. Local $refs.
function walk(value, at, visit) {
  if (value === null || typeof value !== "object") return;
  visit(value, at);
  for (const [key, child] of Object.entries(value)) walk(child, `${at}/${key.replaceAll("~", "~0").replaceAll("/", "~1")}`, visit);
}
walk(doc, "#", (value, at) => {
  if (typeof value.$ref !== "string") return;
  try {
    resolveRef(doc, value, at);
  } catch (e) {
    errors.push(`${at}: ${e.message}`);
  }
});

// 3. Schemas and examples, with ajv.
const ajv = openApiAjv(doc, { strictSchema: true });
function checkSchema(schemaPointer, examples) {
  let validate;
  try {
    validate = compileAt(ajv, schemaPointer);
  } catch (e) {
    errors.push(`${schemaPointer}: the schema does not compile: ${e.message}`);
    return;
  }
  for (const [name, value] of examples) {
    if (!validate(value)) {
      for (const error of describeAjvErrors(validate.errors)) errors.push(`${name}: does not match its schema: ${error}`);
    }
  }
}
for (const [name, schema] of Object.entries(doc.components?.schemas ?? {})) {
  const at = pointer("components", "schemas", name);
  checkSchema(at, (schema?.examples ?? []).map((example, i) => [`${at}/examples/${i}`, example]));
}
// Media types (request bodies and responses) and parameters, wherever they sit.
walk(doc, "#", (value, at) => {
  if (at.startsWith("#/components/schemas") || !value.schema || typeof value.schema !== "object") return;
  if (!(at.includes("/content/") || "in" in value || at.includes("/headers/"))) return;
  const examples = [];
  if ("example" in value) examples.push([`${at}/example`, value.example]);
  for (const [name, example] of Object.entries(value.examples ?? {})) {
    try {
      const resolved = resolveRef(doc, example, `${at}/examples/${name}`).object;
      if ("value" in resolved) examples.push([`${at}/examples/${name}`, resolved.value]);
    } catch {
      // reported with the $refs above
    }
  }
  checkSchema(`${at}/schema`, examples);
});

// 4. Operations.
const declaredTags = new Set((doc.tags ?? []).map((t) => t.name));
const operationIds = new Map();
function hasExample(value) {
  let found = false;
  walk(value, "#", (v) => {
    if ("example" in v || (v.examples && typeof v.examples === "object" && !Array.isArray(v.examples))) found = true;
  });
  return found;
}
for (const [template, rawItem] of Object.entries(doc.paths ?? {})) {
  let item;
  try {
    item = resolveRef(doc, rawItem).object;
  } catch {
    continue;
  }
  const templateParams = [...template.matchAll(/\{([^{}]+)\}/g)].map((m) => m[1]);
  for (const method of HTTP_METHODS) {
    const operation = item[method];
    if (!operation) continue;
    const name = `${method.toUpperCase()} ${template}`;
    if (!operation.operationId) errors.push(`${name}: no operationId`);
    else if (operationIds.has(operation.operationId)) {
      errors.push(`${name}: operationId '${operation.operationId}' is also ${operationIds.get(operation.operationId)}'s`);
    } else operationIds.set(operation.operationId, name);
    if (!operation.summary) errors.push(`${name}: no summary`);
    if (!operation.tags?.length) errors.push(`${name}: no tags`);
    for (const tag of operation.tags ?? []) {
      if (!declaredTags.has(tag)) errors.push(`${name}: tag '${tag}' is not in the document's tags`);
    }
    if (!hasExample(operation.requestBody ? resolveOrNull(operation.requestBody) : null) &&
        !Object.values(operation.responses ?? {}).some((r) => hasExample(resolveOrNull(r)))) {
      errors.push(`${name}: no example (of the request body or of an answer)`);
    }
    const pathParams = [...(item.parameters ?? []), ...(operation.parameters ?? [])]
      .map(resolveOrNull).filter((p) => p?.in === "path").map((p) => p.name);
    for (const param of templateParams) {
      if (!pathParams.includes(param)) errors.push(`${name}: the path parameter '${param}' is not declared (in: path)`);
    }
    for (const param of pathParams) {
      if (!templateParams.includes(param)) errors.push(`${name}: declares the path parameter '${param}', which the path does not have`);
    }
  }
}
function resolveOrNull(value) {
  try {
    return resolveRef(doc, value).object;
  } catch {
    return null;
  }
}

for (const error of errors) console.log(error);
const operations = operationIds.size;
console.log(`${documentPath}: ${errors.length} errors (${Object.keys(doc.paths ?? {}).length} paths, ${operations} operations with an operationId)`);
process.exit(errors.length === 0 ? 0 : 1);
