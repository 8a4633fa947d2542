// The Reader Comments benchmark: one run in headless Chromium, several repetitions per
// figure (median and min–max), for 10, 100, 1,000 and 10,000 comments from a local
// endpoint, against a plain hand-written JavaScript page building the same DOM; plus
// the widget's bytes and the reference server's throughput. Prints a table and saves
// bench/results/latest.json. Figures, not assertions: nothing here passes or fails.
import { createServer } from 'node:http';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { gzipSync, brotliCompressSync, constants as z } from 'node:zlib';
import { tmpdir, cpus } from 'node:os';
import { join, dirname, extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { comments, threaded } from './data.mjs';
import { serverFigures, serverLines } from './server.mjs';

const require = createRequire(join(dirname(fileURLToPath(import.meta.url)), '../e2e/package.json'));
const { chromium } = require('playwright-core');
const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const REPS = Number(process.env.BENCH_REPS || 5);
const SIZES = (process.env.BENCH_SIZES || '10,100,1000,10000').split(',').map(Number);

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { median: q(0.5), min: s[0], max: s[s.length - 1], p95: q(0.95), n: s.length };
};
const fmt = (x, d = 1) => (x === undefined || Number.isNaN(x) ? '–' : x.toFixed(d));
const range = (st, d = 1) => `${fmt(st.median, d)} (${fmt(st.min, d)}–${fmt(st.max, d)})`;

// ---- sizes -------------------------------------------------------------------------
// What a page fetches before any interaction (the first load: loader, glue, the wasm's
// main part, the stylesheet, and the small module that fetches the later parts), and
// the parts fetched when a reader starts to write (issue 22: src/writer.rs).
function sizes() {
  const dist = join(root, 'dist');
  const first = { wasm: 'reader-comments-app_bg.wasm', 'JS glue': 'reader-comments-app.js', loader: 'reader-comments.js', CSS: 'reader-comments.css', 'split link': '__wasm_split.js' };
  const later = Object.fromEntries(readdirSync(dist).filter((f) => /^(split|chunk)_\w+\.wasm$/.test(f)).map((f) => [f.replace(/\.wasm$/, ''), f]));
  const out = {};
  const sum = () => ({ raw: 0, gzip: 0, brotli: 0 });
  const totals = { 'first load': sum(), 'writing part': sum(), total: sum() };
  for (const [group, pick] of [['first load', first], ['writing part', later]]) {
    for (const [label, file] of Object.entries(pick)) {
      if (!existsSync(join(dist, file))) continue;
      const bytes = readFileSync(join(dist, file));
      const row = {
        raw: bytes.length,
        gzip: gzipSync(bytes, { level: 9 }).length,
        brotli: brotliCompressSync(bytes, { params: { [z.BROTLI_PARAM_QUALITY]: 11 } }).length,
      };
      out[label] = row;
      for (const k of Object.keys(row)) { totals[group][k] += row[k]; totals.total[k] += row[k]; }
    }
  }
  const measure = (bytes) => ({
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [z.BROTLI_PARAM_QUALITY]: 11 } }).length,
  });
  // The listing pages' count badges (issue 24): a script of its own, in no widget total.
  const count = join(dist, 'reader-comments-count.js');
  if (existsSync(count)) totals['count badges'] = measure(readFileSync(count));
  // A language's strings (issue 24): fetched beside the first load by a page in that
  // language only (an English page fetches none); the largest file, and Hindi's.
  const locales = join(dist, 'locales');
  if (existsSync(locales)) {
    const files = readdirSync(locales).map((f) => [f.replace(/\.json$/, ''), measure(readFileSync(join(locales, f)))]);
    const largest = files.sort((a, b) => b[1].brotli - a[1].brotli)[0];
    if (largest) totals[`language file, largest (${largest[0]})`] = largest[1];
    const hindi = files.find(([lang]) => lang === 'hi');
    if (hindi) totals['language file (hi)'] = hindi[1];
  }
  return { ...out, ...totals };
}

// ---- local endpoint and pages ------------------------------------------------------
const cache = new Map();
function json(key, make) {
  if (!cache.has(key)) cache.set(key, JSON.stringify(make()));
  return cache.get(key);
}
const MIME = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css', '.html': 'text/html; charset=utf-8' };

const compressed = new Map();
/** With `compress`, text and wasm go brotli-encoded to a client that accepts it, as a CDN
 *  would send them: what the throttled-network figures need (bytes on the wire). */
function startSite({ compress = false } = {}) {
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    const send = (status, type, body) => {
      const headers = { 'content-type': type, 'cache-control': 'no-store' };
      if (compress && status === 200 && /\bbr\b/.test(req.headers['accept-encoding'] || '')) {
        const key = `${url.pathname}?${url.search}`;
        if (!compressed.has(key)) compressed.set(key, brotliCompressSync(Buffer.from(body), { params: { [z.BROTLI_PARAM_QUALITY]: 11 } }));
        headers['content-encoding'] = 'br';
        body = compressed.get(key);
      }
      res.writeHead(status, headers);
      res.end(body);
    };
    let m;
    if ((m = url.pathname.match(/^\/data\/(\d+)$/))) {
      const n = Number(m[1]);
      return send(200, 'application/json', json(`all-${n}`, () => ({ comments: comments(n), next: null })));
    }
    if ((m = url.pathname.match(/^\/threaded\/(\d+)$/))) {
      const n = Number(m[1]);
      return send(200, 'application/json', json(`threaded-${n}`, () => ({ comments: threaded(n), next: null,
        capabilities: { replies: true } })));
    }
    if ((m = url.pathname.match(/^\/huge\/(\d+)$/))) {
      // A hostile endpoint: N comments of a megabyte each.
      const n = Number(m[1]);
      return send(200, 'application/json', json(`huge-${n}`, () => ({ comments: comments(n).map((c) => ({ ...c, body: 'x'.repeat(1 << 20) })) })));
    }
    if ((m = url.pathname.match(/^\/paged\/(\d+)$/))) {
      const n = Number(m[1]);
      const from = Number(url.searchParams.get('cursor') || 0);
      const size = Math.min(100, n - from);
      const next = from + size < n ? String(from + size) : null;
      return send(200, 'application/json', json(`paged-${n}-${from}`, () => ({ comments: comments(size, from), next })));
    }
    if ((m = url.pathname.match(/^\/page\/(widget|plain)$/))) {
      const html = readFileSync(join(here, `${m[1]}.html`), 'utf8')
        .replace('{{ENDPOINT}}', url.searchParams.get('endpoint'))
        .replace('{{PAGESIZE}}', url.searchParams.get('pagesize') || '100');
      return send(200, MIME['.html'], html);
    }
    const file = url.pathname.startsWith('/dist/') ? join(root, url.pathname) : url.pathname.startsWith('/bench/') ? join(root, url.pathname) : null;
    if (file && !file.includes('..')) {
      try { return send(200, MIME[extname(file)] || 'application/octet-stream', readFileSync(file)); } catch { /* 404 */ }
    }
    send(404, 'text/plain', 'not found');
  });
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r({ server, origin: `http://127.0.0.1:${server.address().port}` })));
}

// ---- in-page probes ----------------------------------------------------------------
const PROBE = () => {
  window.__marks = { longest: 0 };
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) __marks.longest = Math.max(__marks.longest, e.duration);
    }).observe({ type: 'longtask', buffered: true });
  } catch { /* no long-task timing */ }
  const want = Number(new URL(location.href).searchParams.get('n') || 1);
  const scope = () => (document.querySelector('reader-comments') ?? document.getElementById('plain'))?.shadowRoot;
  const tick = () => {
    const r = scope();
    const now = performance.now();
    if (r) {
      if (!__marks.first && r.querySelector('.rc-comment')) __marks.first = now;
      if (!__marks.form && r.querySelector('textarea')) __marks.form = now;
      const last = new URL(location.href).searchParams.get('last');
      const done = last ? r.querySelector(`.rc-comment[data-id="${last}"]`) : r.querySelector(`.rc-list > .rc-comment:nth-child(${want})`);
      if (!__marks.all && done) __marks.all = now;
    }
    if (!__marks.all || !__marks.form) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
};

/** Focuses the page's text field and resolves with the ms until its counter works: the
 *  widget's form takes over from its shell once the writing part is here (the form's
 *  counter carries data-count); the plain page's works at once. */
async function focusToCounter(page) {
  return page.evaluate(async () => {
    const r = (document.querySelector('reader-comments') ?? document.getElementById('plain')).shadowRoot;
    const widget = !!document.querySelector('reader-comments');
    const t = performance.now();
    r.querySelector('textarea').focus();
    while (widget && !r.querySelector('.rc-counter[data-count]')) await new Promise((d) => requestAnimationFrame(d));
    return performance.now() - t;
  });
}

async function typing(page, prefill, keys) {
  await focusToCounter(page);
  return page.evaluate(async ({ prefill, keys }) => {
    const r = (document.querySelector('reader-comments') ?? document.getElementById('plain')).shadowRoot;
    const area = r.querySelector('textarea');
    const counter = r.querySelector('.rc-counter');
    area.value = prefill;
    area.dispatchEvent(new InputEvent('input', { bubbles: true }));
    await new Promise((d) => setTimeout(d, 100));
    let longTasks = 0;
    const obs = new PerformanceObserver((l) => { longTasks += l.getEntries().length; });
    obs.observe({ type: 'longtask' });
    const times = [];
    for (let i = 0; i < keys; i++) {
      const before = counter.textContent;
      area.value += 'k';
      const t = performance.now();
      area.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText', data: 'k' }));
      let spins = 0;
      while (counter.textContent === before && spins < 1000) { spins++; await Promise.resolve(); }
      while (counter.textContent === before && performance.now() - t < 1000) await new Promise((d) => setTimeout(d, 0));
      times.push(performance.now() - t);
      await new Promise((d) => setTimeout(d, 0));
    }
    await new Promise((d) => setTimeout(d, 100));
    obs.disconnect();
    return { times, longTasks };
  }, { prefill, keys });
}

async function coldLoad(browser, origin, kind, n, endpointKind = 'data', pageSize = null) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.addInitScript(PROBE);
  const endpoint = `${origin}/${endpointKind}/${n}`;
  // The render figures show all N at once (page-size=N), as the plain page does.
  const size = pageSize ?? n;
  const want = endpointKind === 'paged' || pageSize ? Math.min(100, n, size) : n;
  // A threaded answer is all painted when its last comment (id n, a reply or not) is.
  const last = endpointKind === 'threaded' ? `&last=${n}` : '';
  await page.goto(`${origin}/page/${kind}?endpoint=${encodeURIComponent(endpoint)}&n=${want}&pagesize=${size}${last}`);
  await page.waitForFunction(() => window.__marks.all && window.__marks.form, null, { timeout: 120_000, polling: 50 });
  const marks = await page.evaluate(() => window.__marks);
  return { context, page, marks };
}

async function memory(page) {
  return page.evaluate(() => {
    if (window.gc) window.gc();
    const js = performance.memory ? performance.memory.usedJSHeapSize : NaN;
    const m = window.__readerComments && window.__readerComments.memory;
    const wasm = m ? m.buffer.byteLength : 0;
    return { js, wasm };
  });
}

async function loadMore(page) {
  return page.evaluate(async () => {
    const r = (document.querySelector('reader-comments') ?? document.getElementById('plain')).shadowRoot;
    const button = r.querySelector('.rc-more button');
    const t = performance.now();
    button.click();
    await new Promise((done) => {
      const check = () => (r.querySelector('.rc-list > .rc-comment:nth-child(200)') ? done() : requestAnimationFrame(check));
      check();
    });
    return performance.now() - t;
  });
}

// ---- main --------------------------------------------------------------------------
const results = { date: new Date().toISOString(), machine: `${cpus().length} × ${cpus()[0]?.model}`, reps: REPS, sizes: sizes(), pages: {}, typing: {}, loadMore: {}, longPage: null, server: null };
const { server: site, origin } = await startSite();
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--enable-precise-memory-info', '--js-flags=--expose-gc'],
});

for (const n of SIZES) {
  for (const kind of ['widget', 'plain']) {
    const runs = { first: [], form: [], all: [], js: [], wasm: [] };
    for (let rep = 0; rep < REPS; rep++) {
      const { context, page, marks } = await coldLoad(browser, origin, kind, n);
      runs.first.push(marks.first); runs.form.push(marks.form); runs.all.push(marks.all);
      const mem = await memory(page);
      runs.js.push(mem.js / 1024 / 1024); runs.wasm.push(mem.wasm / 1024 / 1024);
      await context.close();
    }
    results.pages[`${kind}-${n}`] = Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, stats(v)]));
    process.stderr.write(`  ${kind} n=${n} done\n`);
  }
}

if (process.env.BENCH_THREADED !== '0') {
  // 1,000 comments of which a third are replies, embedded under their comment (contract
  // v1.1), both pages drawing the same nesting; all painted = the last comment is there.
  // (BENCH_THREADED=0 leaves it out, to measure a build from before replies.)
  results.threaded = {};
  for (const kind of ['widget', 'plain']) {
    const all = [];
    for (let rep = 0; rep < REPS; rep++) {
      const { context, marks } = await coldLoad(browser, origin, kind, 1000, 'threaded', 1000);
      all.push(marks.all);
      await context.close();
    }
    results.threaded[kind] = stats(all);
  }
}

{
  // 10,000 comments in one response at the default page-size (100): the first page
  // shows, the rest wait behind "Load more"; how long the longest main-thread task is.
  const first = [], longest = [];
  for (let rep = 0; rep < REPS; rep++) {
    const { context, page, marks } = await coldLoad(browser, origin, 'widget', 10000, 'data', 100);
    await page.waitForTimeout(300);
    first.push(marks.all);
    longest.push(await page.evaluate(() => window.__marks.longest));
    await context.close();
  }
  results.longPage = { first: stats(first), longestTask: stats(longest) };
}

{
  // A cold load over a slow mobile connection, where the bytes are felt: Chromium's
  // network emulation (150 ms round trip, 1.6 Mbps down, 750 kbps up), every file
  // brotli-compressed as a CDN sends it, 5 comments; ours against the plain page.
  const { server: slow, origin: slowOrigin } = await startSite({ compress: true });
  results.slow = {};
  for (const kind of ['widget', 'plain']) {
    const all = [], form = [], counter = [];
    for (let rep = 0; rep < REPS; rep++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false, latency: 150, downloadThroughput: 1.6e6 / 8, uploadThroughput: 750e3 / 8,
      });
      await page.addInitScript(PROBE);
      const endpoint = `${slowOrigin}/data/5`;
      await page.goto(`${slowOrigin}/page/${kind}?endpoint=${encodeURIComponent(endpoint)}&n=5&pagesize=5`);
      await page.waitForFunction(() => window.__marks.all && window.__marks.form, null, { timeout: 120_000, polling: 50 });
      const marks = await page.evaluate(() => window.__marks);
      all.push(marks.all);
      form.push(marks.form);
      counter.push(await focusToCounter(page));
      await context.close();
    }
    results.slow[kind] = { all: stats(all), form: stats(form), counter: stats(counter) };
  }
  slow.close();
}

{
  // A hostile endpoint: three comments of 1 MB (shown cut, "Show all" under each) and
  // ten (10 MB, over the 4 MiB the widget reads: refused with a message). The longest
  // main-thread task of each cold load, and when the outcome shows.
  results.hostile = {};
  for (const count of [3, 10]) {
    const longest = [], shown = [];
    for (let rep = 0; rep < REPS; rep++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.addInitScript(PROBE);
      const endpoint = `${origin}/huge/${count}`;
      await page.goto(`${origin}/page/widget?endpoint=${encodeURIComponent(endpoint)}&n=${count}&pagesize=100`);
      await page.waitForFunction(() => {
        const r = document.querySelector('reader-comments')?.shadowRoot;
        return r && (r.querySelector('.rc-comment__more') || r.querySelector('.rc-state--error'));
      }, null, { timeout: 60_000, polling: 20 });
      shown.push(await page.evaluate(() => performance.now()));
      await page.waitForTimeout(300);
      longest.push(await page.evaluate(() => window.__marks.longest));
      await context.close();
    }
    results.hostile[count] = { shown: stats(shown), longestTask: stats(longest) };
  }
}

for (const kind of ['widget', 'plain']) {
  // Focus → working counter on loopback, over cold loads (the writing part is fetched on
  // the first focus), then the keystrokes.
  const ready = [];
  for (let rep = 0; rep < REPS; rep++) {
    const { context, page } = await coldLoad(browser, origin, kind, 10);
    ready.push(await focusToCounter(page));
    await context.close();
  }
  const { context, page } = await coldLoad(browser, origin, kind, 10);
  const short = await typing(page, '', 200);
  const long = await typing(page, 'x'.repeat(5000), 200);
  results.typing[kind] = { ready: stats(ready), short: { ...stats(short.times), longTasks: short.longTasks }, long: { ...stats(long.times), longTasks: long.longTasks } };
  await context.close();
  const more = [];
  for (let rep = 0; rep < REPS; rep++) {
    const c = await coldLoad(browser, origin, kind, 1000, 'paged');
    more.push(await loadMore(c.page));
    await c.context.close();
  }
  results.loadMore[kind] = stats(more);
}
{
  // The takeover of the server's HTML (comments without JavaScript, issue 24): an
  // article whose <reader-comments> holds the real server's HTML of a 5-comment thread
  // (fetched with Accept: text/html, as an edge includes it), a footer below. The sum of
  // the page's layout shifts (CLS, PerformanceObserver `layout-shift`) from navigation
  // until a second after the widget is shown; beside it, the same page without the HTML.
  // The article's origin first: the server allows it (CORS).
  let api = '', fragment = '', endpoint = '';
  const article = '<h1>India, Canada to Deploy Security Liaison Officers</h1>' + '<p>The article\'s text, a paragraph of it.</p>'.repeat(3);
  const page = (inner) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>takeover</title>
    <script src="${api}/reader-comments.js" defer></script></head><body>${article}
    <reader-comments endpoint="${endpoint}">${inner}</reader-comments><footer><p>The site's footer.</p></footer></body></html>`;
  const pages = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(page(req.url.includes('with') && !req.url.includes('without') ? fragment : ''));
  });
  await new Promise((r) => pages.listen(0, '127.0.0.1', r));
  const at = `http://127.0.0.1:${pages.address().port}`;
  const dir = mkdtempSync(join(tmpdir(), 'rc-bench-takeover-'));
  const child = spawn(join(root, 'target/release/reader-comments-server'), ['--db', join(dir, 'c.sqlite3'), '--bind', '127.0.0.1:0',
    '--static-dir', join(root, 'dist'), '--rate-limit', 'off', '--moderation', 'none', '--no-seed', '--allow-origin', at], { stdio: ['ignore', 'pipe', 'inherit'] });
  api = await new Promise((resolve, reject) => {
    let out = '';
    child.on('exit', (code) => reject(new Error(`the server exited (${code})`)));
    child.stdout.on('data', (d) => { out += d; const m = out.match(/http:\/\/(127\.0\.0\.1:\d+)\//); if (m) resolve(`http://${m[1]}`); });
  });
  endpoint = `${api}/api/threads/takeover/comments`;
  for (const c of comments(5)) {
    await fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ author: c.author, body: c.body }) });
  }
  fragment = await (await fetch(`${endpoint}?article=${encodeURIComponent(`${at}/with`)}`, { headers: { accept: 'text/html' } })).text();
  results.takeover = {};
  for (const kind of ['with', 'without']) {
    const cls = [], shown = [];
    for (let rep = 0; rep < REPS; rep++) {
      const context = await browser.newContext();
      const tab = await context.newPage();
      await tab.addInitScript(() => {
        window.__cls = 0;
        new PerformanceObserver((list) => {
          for (const e of list.getEntries()) if (!e.hadRecentInput) window.__cls += e.value;
        }).observe({ type: 'layout-shift', buffered: true });
      });
      await tab.goto(`${at}/${kind}`);
      await tab.waitForFunction(() => {
        const root = document.querySelector('reader-comments')?.shadowRoot?.querySelector('[part="root"]');
        if (root && !root.hidden && root.querySelector('.rc-comment') && !window.__shown) window.__shown = performance.now();
        return window.__shown;
      }, null, { polling: 'raf', timeout: 60_000 });
      await tab.waitForTimeout(1000);
      const got = await tab.evaluate(() => [window.__cls, window.__shown]);
      cls.push(got[0]);
      shown.push(got[1]);
      await context.close();
    }
    results.takeover[kind] = { cls: stats(cls), shown: stats(shown) };
  }
  pages.close();
  child.kill('SIGTERM');
}
await browser.close();
site.close();
// BENCH_SERVER=0 leaves the server's figures out (A/B runs of the widget alone).
results.server = process.env.BENCH_SERVER === '0' ? null : await serverFigures(root, Number(process.env.BENCH_LOAD_SECONDS || 5));

// ---- report ------------------------------------------------------------------------
const kb = (b) => (b / 1024).toFixed(1);
const lines = [];
lines.push(`Reader Comments benchmark — ${results.date} — ${results.machine} — ${REPS} repetitions, median (min–max)`);
lines.push('', 'Size (KiB)        raw     gzip   brotli');
for (const [label, row] of Object.entries(results.sizes)) lines.push(`  ${label.padEnd(12)} ${kb(row.raw).padStart(7)} ${kb(row.gzip).padStart(8)} ${kb(row.brotli).padStart(8)}`);
lines.push('', 'Page (ms from navigation start; MiB)      ours                     plain JS                 ours/plain');
for (const n of SIZES) {
  const a = results.pages[`widget-${n}`], b = results.pages[`plain-${n}`];
  for (const [k, label] of [['first', 'first comment painted'], ['form', 'form shown'], ['all', `all ${n} painted`]]) {
    lines.push(`  n=${String(n).padEnd(6)} ${label.padEnd(22)} ${range(a[k]).padEnd(24)} ${range(b[k]).padEnd(24)} ${(a[k].median / b[k].median).toFixed(2)}×`);
  }
  lines.push(`  n=${String(n).padEnd(6)} ${'JS heap + wasm (MiB)'.padEnd(22)} ${`${fmt(a.js.median)} + ${fmt(a.wasm.median)}`.padEnd(24)} ${`${fmt(b.js.median)} + ${fmt(b.wasm.median)}`.padEnd(24)} ${((a.js.median + a.wasm.median) / (b.js.median + b.wasm.median)).toFixed(2)}×`);
}
if (results.threaded) {
  const a = results.threaded.widget, b = results.threaded.plain;
  lines.push(`  threaded: 1,000 comments, a third of them replies, all painted   ours ${range(a)}    plain ${range(b)}    ${(a.median / b.median).toFixed(2)}×`);
}
lines.push('', `Focus → working counter, loopback (ms)  ours ${range(results.typing.widget.ready)}    plain ${range(results.typing.plain.ready)}`);
lines.push('', 'Keystroke → counter (ms, 200 keys)   ours median / p95 / long tasks     plain median / p95 / long tasks');
for (const k of ['short', 'long']) {
  const a = results.typing.widget[k], b = results.typing.plain[k];
  lines.push(`  ${(k === 'short' ? 'empty comment' : 'inside 5,000 chars').padEnd(34)} ${fmt(a.median, 3)} / ${fmt(a.p95, 3)} / ${a.longTasks}`.padEnd(72) + `${fmt(b.median, 3)} / ${fmt(b.p95, 3)} / ${b.longTasks}`);
}
if (results.longPage) {
  lines.push('', `10,000 comments in one response, default page-size 100: first 100 painted ${range(results.longPage.first)} ms, longest task ${range(results.longPage.longestTask)} ms`);
  const slowRatio = (k) => fmt(results.slow.widget[k].median / results.slow.plain[k].median, 2);
  lines.push('', 'Slow mobile connection (150 ms round trip, 1.6 Mbps down; brotli), 5 comments, ms from navigation start',
    `  all 5 painted        ours ${range(results.slow.widget.all)}    plain ${range(results.slow.plain.all)}    ${slowRatio('all')}×`,
    `  form shown           ours ${range(results.slow.widget.form)}    plain ${range(results.slow.plain.form)}    ${slowRatio('form')}×`,
    `  focus → counter      ours ${range(results.slow.widget.counter)}    plain ${range(results.slow.plain.counter)}   (ms after the focus)`,
    `  usable form          ours ${fmt(results.slow.widget.form.median + results.slow.widget.counter.median)}    plain ${fmt(results.slow.plain.form.median + results.slow.plain.counter.median)}    ${fmt((results.slow.widget.form.median + results.slow.widget.counter.median) / (results.slow.plain.form.median + results.slow.plain.counter.median), 2)}×   (shown, then focused at once)`);
  for (const [count, what] of [[3, 'shown cut'], [10, 'refused as too large']]) {
    const h = results.hostile[count];
    lines.push(`${count} comments of 1 MB each (${what}): outcome at ${range(h.shown)} ms, longest task ${range(h.longestTask)} ms`);
  }
}
if (results.takeover) {
  const t = results.takeover;
  lines.push('', 'Takeover of the server\'s HTML (5 comments, a footer below; layout shift from navigation to a second after the widget shows)',
    `  with the HTML inside    CLS ${range(t.with.cls, 3)}    widget shown at ${range(t.with.shown)} ms`,
    `  without it              CLS ${range(t.without.cls, 3)}    widget shown at ${range(t.without.shown)} ms`);
}
lines.push('', `Load more (append 100 to 100, ms)    ours ${range(results.loadMore.widget)}    plain ${range(results.loadMore.plain)}    ${(results.loadMore.widget.median / results.loadMore.plain.median).toFixed(2)}×`);
if (results.server) lines.push('', ...serverLines(results.server, Number(process.env.BENCH_LOAD_SECONDS || 5)));
console.log(lines.join('\n'));
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(join(here, 'results', 'latest.json'), JSON.stringify(results, null, 2));
console.log('\nSaved bench/results/latest.json');
