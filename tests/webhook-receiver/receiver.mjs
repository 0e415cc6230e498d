// A merchant's webhook receiver, as a merchant would write it: Node's http and the standardwebhooks
// library (npm), verifying every delivery with `new Webhook(secret).verify(body, headers)`.
//
//   node receiver.mjs [--port N] [--secret whsec_...]... [--quiet]
//
// Prints "listening PORT" once it listens. Every delivery (any POST but /control and /verify) is
// verified with each --secret and recorded in memory; --quiet records only a count (benchmarks).
//   GET  /received              -> [{path, id, type, recovery_id, timestamp, verified_with: [i...], status, body, headers}]
//   GET  /count                 -> {"received": n, "verified": n}
//   POST /control {"status": 500, "times": 2}   answer 500 to the next 2 deliveries, then 200
//   POST /control {"status": 410}               answer 410 from now on (times absent: always)
//   POST /control {"hold": true}                hold every delivery open, never answering
//   POST /control {}                            back to answering 200 at once
//   POST /verify {secret, body, headers}        -> {"verified": bool, "error": "..."}: the library's
//                                                  verdict on any delivery (e.g. a tampered one)
import http from "node:http";
import { Webhook } from "standardwebhooks";

const args = process.argv.slice(2);
let port = 0;
const secrets = [];
let quiet = false;
for (let i = 0; i < args.length; ++i) {
  if (args[i] === "--port") port = Number(args[++i]);
  else if (args[i] === "--secret") secrets.push(args[++i]);
  else if (args[i] === "--quiet") quiet = true;
}
const verifiers = secrets.map((s) => new Webhook(s));

const received = [];
let count = 0;
let verifiedCount = 0;
let behaviour = {};
const held = [];

function readBody(req) {
  return new Promise((resolve) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
  });
}

function answer(res, status, value) {
  const text = JSON.stringify(value);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

function verifiedWith(body, headers) {
  const ok = [];
  verifiers.forEach((v, i) => {
    try {
      v.verify(body, headers);
      ok.push(i);
    } catch {
      // not signed with this secret (or tampered)
    }
  });
  return ok;
}

const server = http.createServer(async (req, res) => {
  const body = await readBody(req);
  if (req.method === "GET" && req.url === "/received") return answer(res, 200, received);
  if (req.method === "GET" && req.url === "/count") return answer(res, 200, { received: count, verified: verifiedCount });
  if (req.method === "POST" && req.url === "/control") {
    behaviour = body ? JSON.parse(body) : {};
    if (!behaviour.hold) for (const h of held.splice(0)) h.destroy();
    return answer(res, 200, behaviour);
  }
  if (req.method === "POST" && req.url === "/verify") {
    const q = JSON.parse(body);
    try {
      new Webhook(q.secret).verify(q.body, q.headers);
      return answer(res, 200, { verified: true });
    } catch (e) {
      return answer(res, 200, { verified: false, error: String(e.message || e) });
    }
  }
  if (req.method !== "POST") return answer(res, 404, { error: "not found" });

  ++count;
  const ok = verifiedWith(body, req.headers);
  if (ok.length > 0) ++verifiedCount;
  let status = 200;
  if (behaviour.hold) status = 0;
  else if (behaviour.status && (behaviour.times === undefined || behaviour.times > 0)) {
    status = behaviour.status;
    if (behaviour.times !== undefined) behaviour.times -= 1;
  }
  if (!quiet) {
    let event = {};
    try {
      event = JSON.parse(body);
    } catch {
      // recorded as received; the test sees the body
    }
    received.push({
      path: req.url,
      id: req.headers["webhook-id"] ?? null,
      type: event.type ?? null,
      recovery_id: event.data?.recovery_id ?? null,
      timestamp: req.headers["webhook-timestamp"] ?? null,
      verified_with: ok,
      status,
      body,
      headers: {
        "webhook-id": req.headers["webhook-id"],
        "webhook-timestamp": req.headers["webhook-timestamp"],
        "webhook-signature": req.headers["webhook-signature"],
        "content-type": req.headers["content-type"],
      },
    });
  }
  if (status === 0) {
    held.push(req.socket);
    return;
  }
  answer(res, status, { ok: status >= 200 && status < 300 });
});
server.keepAliveTimeout = 30000;
server.listen(port, "127.0.0.1", () => {
  console.log(`listening ${server.address().port}`);
});
