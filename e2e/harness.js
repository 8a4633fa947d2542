// The end-to-end harness: a real reference server (release build) on its own port with
// a fresh SQLite file, serving the widget's files and the API; a second origin (a small
// Node server) serving the host pages; and Debian's Chromium driven by playwright-core.
import { execFileSync, spawn } from 'node:child_process';
import { createServer, request as httpRequest } from 'node:http';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import { PNG } from 'pngjs';
import pixelmatch from 'pixelmatch';

const here = dirname(fileURLToPath(import.meta.url));
export const root = join(here, '..');
export const fixtures = join(root, 'fixtures');

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-dev-shm-usage',
];

export function fixture(name) {
  return JSON.parse(readFileSync(join(fixtures, name), 'utf8'));
}

/** Starts the reference server; resolves with its origin once it listens. */
export async function startServer({ db, allowOrigin = [], rateLimit = 'off', moderation = 'links', seed = true, editWindow = null, cacheMaxAge = null, trustedProxy = null, extra = [] } = {}) {
  const args = ['--db', db, '--bind', '127.0.0.1:0', '--static-dir', join(root, 'dist'),
    '--rate-limit', rateLimit, '--moderation', moderation, ...extra];
  if (trustedProxy !== null) args.push('--trusted-proxy', trustedProxy);
  if (editWindow !== null) args.push('--edit-window', String(editWindow));
  if (cacheMaxAge !== null) args.push('--cache-max-age', String(cacheMaxAge));
  for (const o of allowOrigin) args.push('--allow-origin', o);
  if (!seed) args.push('--no-seed');
  const child = spawn(join(root, 'target/release/reader-comments-server'), args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let errors = '';
  child.stderr.on('data', (d) => { errors += d; });
  const origin = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/http:\/\/(127\.0\.0\.1:\d+)\//);
      if (m) resolve(`http://${m[1]}`);
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${errors}`)));
  });
  return { origin, child, stop: () => new Promise((r) => { child.once('exit', r); child.kill('SIGTERM'); }) };
}

/** Serves e2e/pages/NAME.html on its own origin, with {{WIDGET}} and {{API}} filled in
 *  and the page's CSP (pages/NAME.csp, same placeholders) as a header when it has one.
 *  {{FRAGMENT:THREAD}} is the thread's HTML, fetched from the real server for each
 *  request (Accept: text/html, the page's address as the article), as a site's edge or
 *  CMS includes it. */
export async function startPages(values) {
  const fill = (text) => text.replaceAll('{{WIDGET}}', values.widget).replaceAll('{{API}}', values.api);
  const include = async (html, page) => {
    const m = html.match(/\{\{FRAGMENT:([a-z0-9-]+)\}\}/);
    if (!m) return html;
    const url = `${values.api}/api/threads/${m[1]}/comments?article=${encodeURIComponent(page)}`;
    const fragment = await (await fetch(url, { headers: { accept: 'text/html' } })).text();
    return html.replace(m[0], fragment);
  };
  const server = createServer(async (req, res) => {
    const name = new URL(req.url, 'http://x').pathname.replace(/^\//, '').replace(/\.html$/, '') || 'index';
    if (!/^[a-z0-9-]+$/.test(name)) { res.writeHead(404); res.end(); return; }
    let html;
    try { html = readFileSync(join(here, 'pages', `${name}.html`), 'utf8'); } catch { res.writeHead(404); res.end('no page'); return; }
    const headers = { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' };
    try { headers['content-security-policy'] = fill(readFileSync(join(here, 'pages', `${name}.csp`), 'utf8').trim()); } catch { /* no CSP */ }
    const page = `http://${req.headers.host}/${name}.html`;
    try { html = await include(fill(html), page); } catch (e) { res.writeHead(502); res.end(String(e)); return; }
    res.writeHead(200, headers);
    res.end(html);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return { origin, stop: () => new Promise((r) => server.close(r)) };
}

/** A reverse proxy in front of `target` (an origin) that says every request comes from
 *  `address` (`X-Forwarded-For`), as a site's proxy or CDN does for each reader: start
 *  the server with `trustedProxy: '127.0.0.1'` to believe it. Returns its origin. */
export async function startForwarder(target, address) {
  const { hostname, port } = new URL(target);
  const server = createServer((req, res) => {
    const headers = { ...req.headers, 'x-forwarded-for': address };
    const out = httpRequest({ host: hostname, port, method: req.method, path: req.url, headers }, (up) => {
      res.writeHead(up.statusCode, up.headers);
      up.pipe(res);
    });
    out.on('error', () => { res.writeHead(502); res.end(); });
    req.pipe(out);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { origin: `http://127.0.0.1:${server.address().port}`, stop: () => new Promise((r) => server.close(r)) };
}

/** The whole set-up for one spec file: server, page origin, browser. */
export async function setUp(options = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'rc-e2e-'));
  const db = join(dir, 'comments.sqlite3');
  // The page origin must be known before the server starts (its CORS allow-list), so
  // pages are served first with the API origin filled in lazily.
  const values = { widget: '', api: '' };
  const pages = await startPages(values);
  // Three origins, as on a news site: the page, the widget's files (a CDN), the API.
  const server = await startServer({ db, allowOrigin: [pages.origin], ...options });
  const cdn = await startServer({ db: join(dir, 'cdn.sqlite3'), seed: false });
  values.widget = cdn.origin;
  values.api = server.origin;
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  return {
    db, server, cdn, pages, browser,
    api: (thread = 'india-canada-liaison') => `${server.origin}/api/threads/${thread}/comments`,
    async tearDown() {
      await browser.close();
      await server.stop();
      await cdn.stop();
      await pages.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A new page that fails the test on any dialog, page error, or request to a host
 *  other than loopback; returns it with the list of requests it made. */
export async function newPage(env, { context: existing } = {}) {
  const context = existing ?? await env.browser.newContext();
  const page = await context.newPage();
  const problems = [];
  const requests = [];
  page.on('dialog', async (d) => { problems.push(`dialog: ${d.message()}`); await d.dismiss(); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (r) => {
    requests.push(r);
    const url = new URL(r.url());
    if (!['127.0.0.1', 'localhost'].includes(url.hostname) && !['data:', 'blob:'].includes(url.protocol)) {
      problems.push(`request to another host: ${r.url()}`);
    }
  });
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|panicked/i.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  return { page, context, problems, requests };
}

/** The widget's shadow-piercing locators (Playwright pierces open shadow roots). */
export function widget(page, index = 0) {
  return page.locator('reader-comments, [data-reader-comments]').nth(index);
}

/** The rows the widget itself rendered: not the loader's read-only first paint
 *  (loader/reader-comments.js), which may show the first rows before the widget mounts
 *  and stops at the first comment with replies. Wait on these before reading the list. */
export function widgetRows(page, index = 0) {
  return widget(page, index).locator('[part="root"] .rc-comment');
}

/** Resolves once the widget's own form is there: in the release build the section first
 *  shows the form's shell, and the writing part of the wasm comes when a reader shows the
 *  intent to write (src/writer.rs); focusing the text field is such an intent. The
 *  counter of the form (not the shell's) carries data-count. */
export async function writing(w) {
  await w.locator('.rc-form:not(.rc-form--reply) textarea').focus();
  await w.locator('.rc-form:not(.rc-form--reply) .rc-counter[data-count]').waitFor();
}

/** Replaces the page's widget with a new one showing another thread (with more
 *  `attributes` when given, e.g. a short timeout). */
export async function showThread(page, api, attributes = {}) {
  await page.evaluate(([endpoint, more]) => {
    document.querySelector('reader-comments').remove();
    const el = document.createElement('reader-comments');
    for (const [name, value] of Object.entries(more)) el.setAttribute(name, value);
    el.setAttribute('endpoint', endpoint);
    document.body.append(el);
  }, [api, attributes]);
}

/** A new page with the demo article, its widget showing `api`'s thread. */
export async function openThread(env, api, options = {}) {
  const opened = await newPage(env, options);
  await opened.page.goto(`${env.pages.origin}/index.html`);
  await showThread(opened.page, api, options.attributes);
  return { ...opened, w: widget(opened.page) };
}

export async function postViaApi(url, author, body, headers = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ author, body }),
  });
  return { status: res.status, body: await res.json().catch(() => null), headers: res.headers };
}

/** Posts a published comment (a reply when `parent` is given) to `thread`; its id. */
export async function postComment(env, thread, author, body, parent) {
  const res = await fetch(env.api(thread), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ author, body, ...(parent ? { parent_id: parent } : {}) }),
  });
  assert.equal(res.status, 201, `posting to ${thread}`);
  return (await res.json()).id;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The elements in the widget's list that the widget did not make itself: its own are
 *  the row's structure and its controls (buttons and lists of replies with its classes).
 *  Anything else was made from endpoint text, which must never happen. */
export function madeFromText(page) {
  return page.evaluate(() => [...document.querySelector('reader-comments').shadowRoot.querySelectorAll('.rc-list *')]
    .filter((e) => !['li', 'span', 'div', 'p', 'bdi', 'time'].includes(e.localName))
    .filter((e) => !(['button', 'ol'].includes(e.localName) && /^rc-/.test(e.className)))
    .map((e) => e.localName));
}

/** Adds a moderator with the server's own command line (the password on stdin). */
export function addModerator(env, name, password) {
  execFileSync(join(root, 'target/release/reader-comments-server'), ['--db', env.db, 'moderator', 'add', name], { input: `${password}\n` });
}

/** Signs `page` in on the server's moderation pages; resolves on the queue. */
export async function signIn(env, page, name, password) {
  await page.goto(`${env.server.origin}/admin/sign-in`);
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: /^Waiting for moderation/ }).waitFor();
}

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
/** The WCAG 2.0, 2.1 and 2.2 A and AA rules of axe-core. */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** axe-core's WCAG 2.2 AA violations on the page's first element matching `selector`
 *  (the widget by default; `null`: the whole document), one line each. */
export async function axeViolations(page, selector = 'reader-comments') {
  await page.addScriptTag({ path: axePath });
  return page.evaluate(async ([tags, selector]) => {
    const root = selector ? document.querySelector(selector) : document;
    const r = await window.axe.run(root, { runOnly: { type: 'tag', values: tags } });
    return r.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  }, [WCAG_TAGS, selector]);
}

const BASELINES = join(root, 'e2e', 'screenshots');
const SHOTS = join(root, 'e2e', 'test-results', 'screenshots');

/** Compares a screenshot with its reviewed baseline in e2e/screenshots (written when
 *  UPDATE_SCREENSHOTS=1, or when there is none outside CI); the new one is kept in
 *  e2e/test-results/screenshots for a look. At most 0.1 % of the pixels may differ. */
export function compareScreenshot(name, png) {
  mkdirSync(SHOTS, { recursive: true });
  writeFileSync(join(SHOTS, name), png);
  const baseline = join(BASELINES, name);
  if (process.env.UPDATE_SCREENSHOTS === '1' || (!existsSync(baseline) && process.env.CI !== 'true')) {
    mkdirSync(BASELINES, { recursive: true });
    writeFileSync(baseline, png);
    return;
  }
  assert.ok(existsSync(baseline), `${name}: no reviewed screenshot in e2e/screenshots`);
  const [want, got] = [PNG.sync.read(readFileSync(baseline)), PNG.sync.read(png)];
  assert.deepEqual([got.width, got.height], [want.width, want.height], `${name}: the size changed`);
  const differing = pixelmatch(want.data, got.data, null, want.width, want.height, { threshold: 0.1 });
  assert.ok(differing <= want.width * want.height * 0.001,
    `${name}: ${differing} pixels differ from the reviewed screenshot (e2e/test-results/screenshots/${name})`);
}

/** Screenshots `locator` (no animations, no caret) and compares it with its baseline. */
export async function shoot(locator, name) {
  compareScreenshot(name, await locator.screenshot({ animations: 'disabled', caret: 'hide' }));
}
