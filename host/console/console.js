// Tinko ops console. The host serves this under a strict CSP (no inline script or style),
// so all behaviour is wired here with addEventListener, and every piece of server text
// enters the page through textContent / text nodes, never innerHTML: org names,
// references and error details are untrusted.
'use strict';

const TOKEN_KEY = 'tinko.opsToken'; // sessionStorage only: gone when the tab closes
const REFUSED = 'That ops token was refused.';
const DASH = '\u2014';
const DAY_MS = 864e5;
const SVG_NS = 'http://www.w3.org/2000/svg';
const $ = (id) => document.getElementById(id);

// Bumped on sign-out so responses still in flight from the old session are dropped;
// orgSeq/detailSeq do the same when the user picks another org or recovery quickly.
let epoch = 0, orgSeq = 0, detailSeq = 0;
let currentOrg = null;

class Stale extends Error {}     // response belongs to a session/view that is gone
class Refused extends Error {}   // 401: already handled by returning to the login
class Problem extends Error {}   // API problem+json or network failure; message is for people

// ---------- DOM helpers ----------

function el(tag, attrs = {}, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const k of kids) if (k !== null && k !== undefined) e.append(k); // strings become text nodes
  return e;
}

function svgEl(tag, attrs = {}, ...kids) {
  const e = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  e.append(...kids);
  return e;
}

const dash = (v) => (v === null || v === undefined || v === '' ? DASH : String(v));
const num = (v) => el('td', { class: 'num' }, dash(v));
const rowHead = (...kids) => el('th', { scope: 'row' }, ...kids);

// Rows are arrays of cells; a cell is a ready <td>/<th>, another node, or a value.
function fillRows(tbody, rows, emptyText) {
  const cols = tbody.closest('table').querySelectorAll('thead th').length;
  tbody.replaceChildren(...rows.map((cells) => el('tr', {}, ...cells.map((c) =>
    c instanceof HTMLTableCellElement ? c : el('td', {}, c instanceof Node ? c : dash(c))))));
  if (!rows.length) tbody.append(el('tr', {}, el('td', { colspan: cols, class: 'empty' }, emptyText)));
}

// A state is shown as text in a tinted tag; the tint is a hint, never the only signal.
function stateTag(state) {
  const safe = String(state || '').toLowerCase().replace(/[^a-z_-]/g, '');
  return el('span', { class: `tag tag-${safe}` }, dash(state));
}

// ---------- Formatting ----------

// Times are shown in UTC, like the API and the analytics days, so everyone reads the same clock.
function utcText(iso) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}
const when = (iso) => (iso ? el('time', { datetime: iso }, utcText(iso)) : DASH);

// Amounts arrive in minor units; the currency decides how many of them make a major unit.
function money(amount, currency) {
  if (amount === null || amount === undefined || !currency) return DASH;
  try {
    const digits = new Intl.NumberFormat('en', { style: 'currency', currency })
      .resolvedOptions().maximumFractionDigits;
    return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(amount / 10 ** digits);
  } catch {
    return `${amount} ${currency} (minor units)`; // unknown currency code
  }
}

const pct = (r) => (r === null || r === undefined ? DASH
  : new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1 }).format(r));

function duration(sec) {
  if (sec === null || sec === undefined) return DASH;
  const s = Math.round(sec);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  const [big, unit, small, smallUnit] = s < 86400 ? [3600, 'h', 60, 'min'] : [86400, 'd', 3600, 'h'];
  const rest = Math.floor((s % big) / small);
  return `${Math.floor(s / big)} ${unit}${rest ? ` ${rest} ${smallUnit}` : ''}`;
}

const utcDay = (offsetDays) => new Date(Date.now() + offsetDays * DAY_MS).toISOString().slice(0, 10);
const enc = encodeURIComponent;

// ---------- Messages ----------

const clearMessages = () => { $('status').textContent = ''; $('error').textContent = ''; };
const say = (text) => { $('status').textContent = text; };

function report(err) {
  if (err instanceof Stale || err instanceof Refused) return;
  if (!(err instanceof Problem)) console.error(err); // a bug here, not an API answer
  $('error').textContent = err.message || 'Something went wrong.';
}

function problemText(body, status) {
  let text = (body && (body.detail || body.title)) || `Request failed (HTTP ${status}).`;
  const errs = body && body.errors;
  // `errors` is optional and its shape varies: list of strings/objects, or field -> messages.
  const list = Array.isArray(errs)
    ? errs.map((e) => (typeof e === 'string' ? e
      : [e.field || e.pointer || e.name, e.detail || e.message].filter(Boolean).join(': ')))
    : errs && typeof errs === 'object'
      ? Object.entries(errs).map(([k, v]) => `${k}: ${[].concat(v).join(', ')}`) : [];
  if (list.length) text += ` (${list.join('; ')})`;
  return text;
}

// ---------- API ----------

// `body` goes as JSON; `bytes` (a File) as application/octet-stream, with `extraHeaders`.
async function request(path, { method = 'GET', body, bytes, extraHeaders = {},
  token = sessionStorage.getItem(TOKEN_KEY) } = {}) {
  const started = epoch;
  const headers = { Accept: 'application/json, application/problem+json', Authorization: `Bearer ${token}`,
    ...extraHeaders };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (bytes !== undefined) headers['Content-Type'] = 'application/octet-stream';
  let res;
  try {
    res = await fetch(path, {
      method, headers, cache: 'no-store', credentials: 'omit',
      body: bytes !== undefined ? bytes : body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new Problem('Could not reach the Tinko host. Check the connection and try again.');
  }
  if (started !== epoch) throw new Stale();
  if (res.status === 401) { toLogin(REFUSED); throw new Refused(REFUSED); }
  const text = await res.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { /* e.g. a proxy's HTML error page */ }
  if (!res.ok) throw new Problem(problemText(data, res.status));
  if (data === null) throw new Problem(`The host sent an unreadable answer (HTTP ${res.status}).`);
  return data;
}

// ---------- Sign in / out ----------

function showApp(on) {
  $('app').hidden = !on;
  $('sign-out').hidden = !on;
  $('login').hidden = on;
}

function toLogin(message) {
  epoch += 1;
  sessionStorage.removeItem(TOKEN_KEY);
  // Drop everything rendered for the old session so nothing lingers in the DOM.
  for (const id of ['plugins-body', 'plugin-forms', 'orgs-body', 'org-select', 'recoveries-body', 'steps-body',
    'messages-body', 'links-body', 'funnel-chart', 'headline', 'daily-chart', 'daily-body', 'endpoints-body',
    'deliveries-body']) $(id).replaceChildren();
  for (const id of ['plugins-note', 'orgs-note', 'recoveries-note', 'period', 'detail-summary', 'endpoints-note',
    'deliveries-note']) $(id).textContent = '';
  clearMessages();
  $('detail').hidden = true;
  showApp(false);
  currentOrg = null;
  if ($('login-error').textContent !== message) $('login-error').textContent = message;
  $('token').value = '';
  $('token').focus();
}

async function onLogin(ev) {
  ev.preventDefault();
  const token = $('token').value.trim();
  const form = ev.currentTarget;
  if (!token || form.getAttribute('aria-busy') === 'true') return;
  // fetch() rejects header values outside printable ASCII; say so instead of "cannot reach".
  if (!/^[\x21-\x7e]+$/.test(token)) {
    $('login-error').textContent = 'An ops token contains only printable ASCII characters, no spaces.';
    return;
  }
  $('login-error').textContent = '';
  form.setAttribute('aria-busy', 'true');
  try {
    const plugins = await request('/v1/plugins', { token });
    sessionStorage.setItem(TOKEN_KEY, token);
    enterConsole(plugins);
    $('plugins-title').focus(); // the form just vanished; give focus a sensible home
  } catch (err) {
    if (!(err instanceof Refused || err instanceof Stale)) $('login-error').textContent = err.message;
  } finally {
    form.removeAttribute('aria-busy');
  }
}

function enterConsole(plugins) {
  showApp(true);
  $('login-error').textContent = '';
  $('token').value = '';
  if (plugins) renderPlugins(plugins); else loadPlugins().catch(report);
  loadOrgs().catch(report);
}

// ---------- Plugins ----------

const loadPlugins = async () => renderPlugins(await request('/v1/plugins'));

function renderPlugins(body) {
  const rows = [...(body.data || [])].sort((a, b) =>
    String(a.name).localeCompare(String(b.name)) || b.generation - a.generation);
  fillRows($('plugins-body'), rows.map((p) => [rowHead(dash(p.name)), p.kind, p.version,
    num(p.generation), stateTag(p.state), num(p.in_flight), when(p.loaded_at)]), 'No plugins are loaded.');
  $('plugins-note').textContent = typeof body.resident_after_unload === 'number'
    ? `Libraries unloaded but still resident in memory: ${body.resident_after_unload}.` : '';

  // Rebuilding the forms would lose a chosen file (e.g. on Refresh), so each plugin keeps its form.
  const box = $('plugin-forms');
  const kept = new Map([...box.querySelectorAll('form')].map((f) => [f.dataset.plugin, f]));
  const names = [...new Set(rows.map((p) => String(p.name)))];
  box.replaceChildren(...names.map((name) => kept.get(name) || pluginForm(name)));
}

let formCount = 0;

// Swap uploads the chosen file's bytes (application/octet-stream); a host with
// TINKO_PLUGIN_TRUSTED_KEYS also needs its signature (what `tinko-plugin-sign sign` prints).
function pluginForm(name) {
  formCount += 1;
  const id = `plugin-file-${formCount}`; // names are server text; keep them out of ids
  const sigId = `plugin-signature-${formCount}`;
  const input = el('input', { id, type: 'file', name: 'file', required: '', accept: '.so,application/octet-stream',
    'data-key': `file:${name}` });
  const signature = el('input', { id: sigId, type: 'text', name: 'signature', autocomplete: 'off', spellcheck: 'false',
    placeholder: 'base64, when the host requires signed plugins', 'data-key': `signature:${name}` });
  const swap = el('button', { type: 'submit', 'data-key': `swap:${name}` }, `Swap ${name}`);
  const back = el('button', { type: 'button', class: 'secondary', 'data-key': `back:${name}` }, `Roll back ${name}`);
  const form = el('form', { class: 'plugin-form', 'data-plugin': name },
    el('label', { for: id }, `Plugin file for ${name}`), input,
    el('label', { for: sigId }, `Signature for ${name} (optional)`), signature,
    el('div', { class: 'actions' }, swap, back));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const file = input.files && input.files[0];
    if (!file) { report(new Problem(`Choose the plugin file to swap ${name} to.`)); return; }
    const sig = signature.value.trim();
    pluginAction(form, name, 'swap', { bytes: file, extraHeaders: sig ? { 'X-Tinko-Plugin-Signature': sig } : {} });
  });
  back.addEventListener('click', () => pluginAction(form, name, 'rollback'));
  return form;
}

async function pluginAction(form, name, action, upload = {}) {
  // aria-busy instead of disabling: a disabled button drops keyboard focus to <body>.
  if (form.getAttribute('aria-busy') === 'true') return;
  form.setAttribute('aria-busy', 'true');
  const focusKey = document.activeElement && document.activeElement.dataset
    ? document.activeElement.dataset.key : undefined;
  clearMessages();
  try {
    const p = await request(`/v1/plugins/${enc(name)}/${action}`, { method: 'POST', ...upload });
    if (action === 'swap') form.reset();
    say(`${p.name || name} is now version ${dash(p.version)}, generation ${dash(p.generation)}`);
    await loadPlugins();
  } catch (err) {
    report(err);
  } finally {
    form.removeAttribute('aria-busy');
  }
  // The forms were rebuilt; put focus back on the same control in the new one.
  const again = [...$('plugin-forms').querySelectorAll('[data-key]')].find((e) => e.dataset.key === focusKey);
  if (again && document.activeElement === document.body) again.focus();
}

// ---------- Orgs ----------

function swatch(color) {
  // Only plain hex reaches the fill attribute; anything else is just shown as text.
  if (!color || !/^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i.test(color)) return el('td', {}, color ? String(color) : 'None');
  const pic = svgEl('svg', { width: 16, height: 16, viewBox: '0 0 16 16', class: 'swatch', 'aria-hidden': 'true' },
    svgEl('rect', { x: 0.5, y: 0.5, width: 15, height: 15, rx: 3, fill: color }));
  return el('td', {}, pic, ` ${color}`);
}

async function loadOrgs() {
  const body = await request('/v1/admin/orgs?limit=100');
  const orgs = body.data || [];
  fillRows($('orgs-body'), orgs.map((o) => [rowHead(dash(o.slug)), o.name, swatch(o.brand_color),
    when(o.created_at)]), 'No orgs yet.');
  $('orgs-note').textContent = body.next_cursor ? 'Showing the first 100 orgs.' : '';
  $('org-select').replaceChildren(...orgs.map((o) => el('option', { value: o.slug }, dash(o.slug))));
  if (orgs.length) selectOrg(orgs[0].slug);
}

function selectOrg(slug) {
  const seq = ++orgSeq;
  currentOrg = slug;
  $('org-select').value = slug;
  $('detail').hidden = true;
  const stale = () => seq !== orgSeq;
  // Clear the previous org's numbers first so a failed load can never show them under this org.
  for (const id of ['funnel-chart', 'headline', 'daily-chart', 'daily-body']) $(id).replaceChildren();
  $('period').textContent = '';
  $('recoveries-note').textContent = '';
  fillRows($('recoveries-body'), [], 'Loading\u2026');
  for (const id of ['endpoints-note', 'deliveries-note']) $(id).textContent = '';
  fillRows($('endpoints-body'), [], 'Loading\u2026');
  fillRows($('deliveries-body'), [], 'Loading\u2026');
  // Independent: a failing analytics query must not hide the recoveries list, or vice versa.
  loadRecoveries(slug, stale).catch(report);
  loadSummary(slug, stale).catch(report);
  loadWebhooks(slug, stale).catch(report);
}

// ---------- Recoveries ----------

async function loadRecoveries(slug, stale) {
  const body = await request(`/v1/admin/orgs/${enc(slug)}/recoveries?limit=50`);
  if (stale()) return;
  const list = body.data || [];
  $('recoveries-note').textContent = `Latest ${list.length} for ${slug}, newest first.`;
  fillRows($('recoveries-body'), list.map((r) => {
    const btn = el('button', { type: 'button', class: 'link' }, dash(r.transaction_ref));
    btn.addEventListener('click', () => openDetail(slug, r.id, btn));
    return [rowHead(btn), stateTag(r.state), r.category, num(money(r.amount, r.currency)), r.psp, when(r.created_at)];
  }), 'No recoveries for this org yet.');
}

function ruleName(rule) {
  if (typeof rule !== 'object') return String(rule);
  const id = rule.id !== undefined && rule.id !== null ? `#${rule.id}` : '';
  if (rule.name) return id ? `${rule.name} (${id})` : String(rule.name);
  return id || JSON.stringify(rule);
}

function stepKind(s) {
  const kinds = [];
  if (s.retry_charge) kinds.push('Charge retry');
  if (s.channel) kinds.push(`Message by ${s.channel}`);
  return kinds.join(' + ') || DASH;
}

async function openDetail(slug, id, trigger) {
  const seq = ++detailSeq;
  clearMessages();
  try {
    const r = await request(`/v1/admin/orgs/${enc(slug)}/recoveries/${enc(id)}`);
    if (seq !== detailSeq || slug !== currentOrg) return;
    document.querySelectorAll('#recoveries-body [aria-current]').forEach((b) => b.removeAttribute('aria-current'));
    trigger.setAttribute('aria-current', 'true');
    $('detail-title').textContent = `Recovery ${dash(r.transaction_ref)}`;
    const parts = [`State: ${dash(r.state)}`, `Category: ${dash(r.category)}${r.hardness ? ` (${r.hardness})` : ''}`,
      `Amount: ${money(r.amount, r.currency)}`, `PSP: ${dash(r.psp)}`];
    if (r.decided_by_rule) parts.push(`Decided by rule: ${ruleName(r.decided_by_rule)}`);
    if (r.closed_at) parts.push(`Closed: ${utcText(r.closed_at)}`);
    $('detail-summary').textContent = `${parts.join(' \u00b7 ')}.`;
    fillRows($('steps-body'), (r.steps || []).map((s) => [num(s.sequence), stepKind(s), stateTag(s.state),
      num(s.attempts), s.outcome, s.detail, when(s.due_at), when(s.completed_at)]), 'No steps planned.');
    fillRows($('messages-body'), (r.notifications || []).map((n) => [n.channel, n.plugin, n.recipient,
      stateTag(n.status), n.provider_message_id, n.error]), 'No messages sent.');
    fillRows($('links-body'), (r.links || []).map((l) => [num(l.id), when(l.expires_at), num(l.open_count),
      l.checkout_reference]), 'No pay links.');
    $('detail').hidden = false;
    $('detail-title').focus();
  } catch (err) {
    report(err);
  }
}

// ---------- Webhook endpoints ----------

// An org's endpoints (why Tinko disabled one, e.g. a 410 or three days of failures) and what was
// recently delivered to them. Never a secret: the ops API does not return them.
async function loadWebhooks(slug, stale) {
  const [endpoints, deliveries] = await Promise.all([
    request(`/v1/admin/orgs/${enc(slug)}/webhook-endpoints?limit=50`),
    request(`/v1/admin/orgs/${enc(slug)}/webhook-deliveries?limit=50`)]);
  if (stale()) return;
  const list = endpoints.data || [];
  $('endpoints-note').textContent = list.length ? `${list.length} endpoint${list.length === 1 ? '' : 's'} of ${slug}.` : '';
  fillRows($('endpoints-body'), list.map((e) => [rowHead(dash(e.url)), (e.events || []).join(', '),
    stateTag(e.disabled ? 'disabled' : 'enabled'),
    e.disabled ? (e.disabled_reason || 'Disabled by the org') : DASH, when(e.created_at)]),
  'No webhook endpoints for this org.');
  const recent = deliveries.data || [];
  $('deliveries-note').textContent = recent.length ? `Latest ${recent.length} for ${slug}, newest first.` : '';
  fillRows($('deliveries-body'), recent.map((d) => [rowHead(dash(d.event_id)), d.event_type, d.endpoint_url,
    stateTag(d.state), num(d.last_status), num(d.attempt_count), d.last_error, when(d.next_attempt_at)]),
  'No webhook deliveries for this org yet.');
}

// ---------- Analytics ----------

async function loadSummary(slug, stale) {
  const s = await request(`/v1/admin/orgs/${enc(slug)}/analytics/summary?from=${utcDay(-29)}&to=${utcDay(0)}`);
  if (stale()) return;
  $('period').textContent = `${slug}, ${s.from} to ${s.to} (UTC days, inclusive).`;
  renderFunnel(s);
  renderDaily(s);
}

const RECOVERED_BY = [['charge_retry', 'Recovered by a charge retry'], ['link', 'Recovered through a link'],
  ['new_card', 'Recovered with a new card'], ['outside', 'Recovered outside Tinko']];

function renderFunnel(s) {
  const links = s.links || {};
  const bars = [['Recoveries started', s.recoveries], ['Links sent', links.sent], ['Links opened', links.opened],
    ['Pay pressed', links.pay_clicks], ['Recovered', s.recovered]].map(([label, v]) => [label, Number(v) || 0]);
  const max = Math.max(1, ...bars.map((b) => b[1]));
  const W = 480, labelW = 150, valueW = 52, barH = 26, gap = 10;
  const barMax = W - labelW - valueW;
  const chart = svgEl('svg', { viewBox: `0 0 ${W} ${bars.length * (barH + gap) - gap}`, class: 'chart', role: 'img',
    'aria-label': `Recovery funnel, ${s.from} to ${s.to}: ${bars.map(([l, v]) => `${l} ${v}`).join(', ')}.` });
  bars.forEach(([label, v], i) => {
    const y = i * (barH + gap);
    const w = v ? Math.max(2, (v / max) * barMax) : 0;
    chart.append(
      svgEl('text', { x: labelW - 8, y: y + barH / 2, 'text-anchor': 'end', 'dominant-baseline': 'central' }, label),
      svgEl('rect', { x: labelW, y, width: barMax, height: barH, class: 'track' }),
      svgEl('rect', { x: labelW, y, width: w, height: barH, class: i === bars.length - 1 ? 'bar bar-final' : 'bar' }),
      svgEl('text', { x: labelW + w + 6, y: y + barH / 2, 'dominant-baseline': 'central', class: 'value' }, String(v)));
  });
  $('funnel-chart').replaceChildren(chart);

  const amounts = Object.entries(s.recovered_amount || {}).map(([cur, a]) => money(a, cur));
  const facts = [
    ['Recovery rate', `${pct(s.recovery_rate)} (${dash(s.recovered)} of ${dash(s.recoveries)})`],
    ['Recovered amount', amounts.join(', ') || DASH],
    ['Median time to recovery', duration(s.median_seconds_to_recovery)],
    ['Link open rate', pct(links.open_rate)],
    ['Link conversion', pct(links.conversion)],
    // How the recovered ones came back (recovered_by): count and amount per bucket.
    ...RECOVERED_BY.map(([key, label]) => {
      const b = (s.recovered_by || {})[key] || {};
      const paid = Object.entries(b.recovered_amount || {}).map(([cur, a]) => money(a, cur));
      return [label, `${dash(b.recovered)}${paid.length ? ` (${paid.join(', ')})` : ''}`];
    }),
  ];
  $('headline').replaceChildren(...facts.map(([k, v]) => el('div', {}, el('dt', {}, k), el('dd', {}, v))));
}

function renderDaily(s) {
  const days = [...(s.by_day || [])].sort((a, b) => String(a.day).localeCompare(String(b.day)));
  const from = s.from || (days[0] && days[0].day);
  const to = s.to || (days.length ? days[days.length - 1].day : from);
  const start = Date.parse(from);
  const index = (day) => Math.round((Date.parse(day) - start) / DAY_MS);
  const span = Math.max(1, index(to));
  const W = 480, H = 200, left = 44, right = 14, top = 10, bottom = 30;
  const x = (day) => left + (index(day) / span) * (W - left - right);
  // Recovered counts recoveries closed that day, which can exceed that day's starts; cap the plot at 100%.
  const y = (rate) => top + (1 - Math.min(1, rate)) * (H - top - bottom);

  // Days with no recoveries started have no rate (0 of 0), so they are gaps in the line,
  // not a misleading 0%; a day with gaps on both sides still shows as a dot.
  const plotted = days.filter((d) => d.started > 0).map((d) => ({ ...d, rate: d.recovered / d.started }));
  const rates = plotted.map((d) => d.rate);
  const label = plotted.length
    ? `Recovery rate by day, ${from} to ${to}: ${plotted.length} days with recoveries started, rate from `
      + `${pct(Math.min(...rates))} to ${pct(Math.max(...rates))}. Days with none started are gaps.`
    : `Recovery rate by day, ${from} to ${to}: no recoveries started.`;
  const chart = svgEl('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img', 'aria-label': label });
  for (const r of [0, 0.5, 1]) {
    chart.append(svgEl('line', { x1: left, x2: W - right, y1: y(r), y2: y(r), class: 'grid' }),
      svgEl('text', { x: left - 6, y: y(r), 'text-anchor': 'end', 'dominant-baseline': 'central' }, `${r * 100}%`));
  }
  chart.append(svgEl('text', { x: left, y: H - 8, 'text-anchor': 'start' }, dash(from)),
    svgEl('text', { x: W - right, y: H - 8, 'text-anchor': 'end' }, dash(to)));
  let path = '';
  let prev = null;
  for (const d of plotted) {
    const i = index(d.day);
    path += `${prev !== null && i - prev === 1 ? 'L' : 'M'}${x(d.day).toFixed(1)} ${y(d.rate).toFixed(1)} `;
    prev = i;
  }
  if (path) chart.append(svgEl('path', { d: path.trim(), class: 'line' }));
  for (const d of plotted) chart.append(svgEl('circle', { cx: x(d.day), cy: y(d.rate), r: 3, class: 'dot' }));
  $('daily-chart').replaceChildren(chart);

  fillRows($('daily-body'), days.map((d) => [d.day, d.started, d.recovered,
    d.started > 0 ? pct(d.recovered / d.started) : DASH]), 'No data for this period.');
}

// ---------- Start ----------

$('login-form').addEventListener('submit', onLogin);
$('sign-out').addEventListener('click', () => toLogin(''));
$('plugins-refresh').addEventListener('click', () => { clearMessages(); loadPlugins().catch(report); });
$('org-select').addEventListener('change', (ev) => { clearMessages(); selectOrg(ev.target.value); });
if (sessionStorage.getItem(TOKEN_KEY)) enterConsole(null);
