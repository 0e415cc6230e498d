#!/usr/bin/env node
// A fake Hello Pay, the (made-up) provider hello-psp talks to: enough of its API to take a payment
// from checkout to webhook on one machine. Node.js alone, no packages.
//
//   node fake-provider.js [--port 0] [--api-key key_test] [--webhook-secret whsec_test]
//
// prints "listening on http://127.0.0.1:PORT" once it serves (--port 0 picks a free port).
//
//   POST /v1/payments          (Bearer api key) a payment -> 201 {id, status, checkout_url, expires_at};
//                              the same Idempotency-Key answers the same payment again
//   GET  /v1/payments/{id}     (Bearer api key) the payment as stored: what the plugin sent
//                              (webhook_url among it), its status and the webhook deliveries made
//   GET  /checkout/{id}        the hosted page the customer is sent to: the amount and a Pay button
//   POST /checkout/{id}/pay    the customer pays: the payment is paid, a signed payment.paid event
//                              is posted to its webhook_url, and the customer goes to its return_url
'use strict';
const http = require('node:http');
const crypto = require('node:crypto');

const option = (name, fallback) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 && at + 1 < process.argv.length ? process.argv[at + 1] : fallback;
};
const apiKey = option('api-key', 'key_test');
const webhookSecret = option('webhook-secret', 'whsec_test');

const payments = new Map();        // id -> payment
const byIdempotencyKey = new Map(); // Idempotency-Key -> payment id
let baseUrl = '';
let events = 0;

const send = (res, status, body, headers = {}) => {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

// Hello-Signature: t=<unix seconds>,v1=hex(HMAC-SHA256(secret, "<t>.<body>")), as hello-psp checks it.
const signature = (body) => {
  const t = Math.floor(Date.now() / 1000);
  const v1 = crypto.createHmac('sha256', webhookSecret).update(`${t}.${body}`).digest('hex');
  return `t=${t},v1=${v1}`;
};

async function deliverEvent(payment, type) {
  const body = JSON.stringify({
    id: `evt_${++events}`, type, created: Math.floor(Date.now() / 1000),
    data: { id: payment.id, amount: payment.amount, currency: payment.currency,
            reference: payment.reference, metadata: payment.metadata },
  });
  let status = 0;
  try {
    const answer = await fetch(payment.webhook_url, {
      method: 'POST', body, headers: { 'Content-Type': 'application/json', 'Hello-Signature': signature(body) },
    });
    status = answer.status;
  } catch (e) {
    console.log(`webhook to ${payment.webhook_url} failed: ${e.message}`);
  }
  payment.webhook_deliveries.push({ type, status });
  console.log(`${type} for ${payment.id} -> ${payment.webhook_url}: HTTP ${status}`);
}

function createPayment(req, res, body) {
  let p;
  try { p = JSON.parse(body); } catch { return send(res, 400, { error: 'invalid_json' }); }
  for (const field of ['currency', 'reference', 'return_url', 'webhook_url'])
    if (typeof p[field] !== 'string' || p[field] === '') return send(res, 400, { error: 'missing_field', field });
  if (!Number.isInteger(p.amount) || p.amount <= 0) return send(res, 400, { error: 'missing_field', field: 'amount' });

  const key = req.headers['idempotency-key'];
  if (key && byIdempotencyKey.has(key)) return send(res, 201, view(payments.get(byIdempotencyKey.get(key))));
  const id = `pay_${payments.size + 1}`;
  const payment = { ...p, id, status: 'open', checkout_url: `${baseUrl}/checkout/${id}`,
                    expires_at: p.expires_at || Math.floor(Date.now() / 1000) + 3600, webhook_deliveries: [] };
  payments.set(id, payment);
  if (key) byIdempotencyKey.set(key, id);
  send(res, 201, view(payment));
}

const view = (p) => ({ id: p.id, status: p.status, checkout_url: p.checkout_url, expires_at: p.expires_at });

const server = http.createServer((req, res) => {
  let body = '';
  req.on('data', (chunk) => { body += chunk; });
  req.on('end', async () => {
    const path = new URL(req.url, 'http://x').pathname;
    let m;
    if (path.startsWith('/v1/') && req.headers.authorization !== `Bearer ${apiKey}`)
      return send(res, 401, { error: 'invalid_api_key' });
    if (req.method === 'POST' && path === '/v1/payments') return createPayment(req, res, body);
    if (req.method === 'GET' && (m = path.match(/^\/v1\/payments\/([\w-]+)$/)) && payments.has(m[1]))
      return send(res, 200, payments.get(m[1]));
    if ((m = path.match(/^\/checkout\/([\w-]+)(\/pay)?$/)) && payments.has(m[1])) {
      const payment = payments.get(m[1]);
      if (req.method === 'GET' && !m[2]) {
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
        return res.end(`<!doctype html><title>Hello Pay</title><h1>Pay ${payment.amount / 100} ${payment.currency}</h1>` +
                       `<form method="post" action="/checkout/${payment.id}/pay"><button>Pay</button></form>`);
      }
      if (req.method === 'POST' && m[2]) {
        if (payment.status !== 'paid') {
          payment.status = 'paid';
          await deliverEvent(payment, 'payment.paid');
        }
        res.writeHead(303, { Location: payment.return_url });
        return res.end();
      }
    }
    send(res, 404, { error: 'not_found' });
  });
});

server.listen(Number(option('port', '0')), '127.0.0.1', () => {
  baseUrl = `http://127.0.0.1:${server.address().port}`;
  console.log(`listening on ${baseUrl}`);
});
process.on('SIGTERM', () => process.exit(0));
