// What the openapi.* scripts share: reading the document, ajv set up for OpenAPI 3.1's schemas
// (JSON Schema 2020-12 plus the OAS vocabulary), local $refs, and matching a path to a template.
import { readFileSync } from "node:fs";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

export const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
// The id the document is registered under in ajv; its own refs ('#/components/...') resolve
// against it.
export const DOCUMENT_ID = "openapi.json";

export function readJson(path) {
  return JSON.parse(readFileSync(path, "utf8"));
}

// A JSON pointer token: "/v1/x" -> "~1v1~1x".
export function pointerToken(text) {
  return String(text).replaceAll("~", "~0").replaceAll("/", "~1");
}

export function pointer(...tokens) {
  return "#/" + tokens.map(pointerToken).join("/");
}

// Follows a local $ref ('#/components/responses/NotFound') to the object it names, with that
// object's own pointer (`at`: where `object` sits); an object without $ref is returned as is.
// Throws on a ref that names nothing.
export function resolveRef(doc, object, at = "#") {
  let current = object;
  let where = at;
  for (let hops = 0; current && typeof current === "object" && typeof current.$ref === "string"; hops++) {
    if (hops > 20 || !current.$ref.startsWith("#/")) throw new Error(`cannot follow $ref ${current.$ref}`);
    where = current.$ref;
    let target = doc;
    for (const raw of current.$ref.slice(2).split("/")) {
      const token = decodeURIComponent(raw).replaceAll("~1", "/").replaceAll("~0", "~");
      target = target?.[token];
    }
    if (target === undefined) throw new Error(`$ref ${current.$ref} names nothing in the document`);
    current = target;
  }
  return { object: current, pointer: where };
}

// ajv for the document's schemas. strictSchema: an unknown keyword (a typo such as 'requried') or
// format is an error, as DocumentValid wants; the answer validator reads schemas leniently.
export function openApiAjv(doc, { strictSchema = false } = {}) {
  const ajv = new Ajv2020({ allErrors: true, strict: false, strictSchema, validateFormats: true });
  addFormats(ajv);
  // OpenAPI's own formats (https://spec.openapis.org/registry/format/).
  ajv.addFormat("int32", { type: "number", validate: (n) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
  ajv.addFormat("int64", { type: "number", validate: (n) => Number.isInteger(n) });
  for (const name of ["float", "double"]) ajv.addFormat(name, { type: "number", validate: () => true });
  ajv.addFormat("password", true);
  // The OAS vocabulary's keywords (annotations here) and the document's own top-level keys, which
  // ajv meets when it compiles the document as the root of a $ref.
  for (const keyword of ["discriminator", "xml", "externalDocs", "example", ...Object.keys(doc)]) {
    if (!ajv.getKeyword(keyword)) ajv.addKeyword(keyword);
  }
  ajv.addSchema(doc, DOCUMENT_ID);
  return ajv;
}

// A validator for the schema at `localPointer` ('#/paths/...'), compiled in place so its refs
// resolve against the document.
export function compileAt(ajv, localPointer) {
  return ajv.compile({ $ref: DOCUMENT_ID + localPointer });
}

// The path template of the document that `path` (no query) matches: segment by segment, a literal
// segment wins over a '{param}' one (the first segment where two templates differ decides).
// Returns null when none matches.
export function matchPathTemplate(templates, path) {
  const segments = path.split("/");
  let best = null;
  let bestRank = null;
  for (const template of templates) {
    const parts = template.split("/");
    if (parts.length !== segments.length) continue;
    const rank = [];
    let matches = true;
    for (let i = 0; i < parts.length && matches; i++) {
      const whole = /^\{[^{}]+\}$/.test(parts[i]);
      if (whole) {
        matches = segments[i].length > 0;
        rank.push(1);
      } else if (parts[i].includes("{")) {
        // A segment such as '{id}.json': a literal prefix and suffix around the parameter.
        const [prefix, rest] = parts[i].split(/\{[^{}]+\}/, 2);
        matches = segments[i].startsWith(prefix) && segments[i].endsWith(rest) &&
                  segments[i].length > prefix.length + rest.length;
        rank.push(1);
      } else {
        matches = parts[i] === segments[i];
        rank.push(0);
      }
    }
    if (!matches) continue;
    if (best === null || compareRanks(rank, bestRank) < 0) {
      best = template;
      bestRank = rank;
    }
  }
  return best;
}

function compareRanks(a, b) {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

// ajv's errors as one line each: "/data/0/amount_minor must be integer".
export function describeAjvErrors(errors) {
  return (errors ?? []).map((e) => {
    const where = e.instancePath || "(the body)";
    const extra = e.keyword === "additionalProperties" ? ` ('${e.params.additionalProperty}')` :
      e.keyword === "enum" ? ` (${JSON.stringify(e.params.allowedValues)})` : "";
    return `${where} ${e.message}${extra}`;
  });
}
