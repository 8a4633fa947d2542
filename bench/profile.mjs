// Where the time goes: one cold load of the widget with N comments (default 1,000, all
// drawn) in headless Chromium under the CDP sampling profiler, using the build with
// function names kept that scripts/profile.sh writes to target/names/. Prints the
// functions with the most self time, then the widget's and Leptos' functions by
// inclusive time. A profile of one load: read the shape, not the last millisecond.
//   node bench/profile.mjs [N]
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { join, dirname, extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { comments } from './data.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const { chromium } = createRequire(join(root, 'e2e/package.json'))('playwright-core');
const n = Number(process.argv[2] || 1000);
const files = join(root, 'target/names');
const MIME = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css' };
const data = JSON.stringify({ comments: comments(n), next: null });
const page = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>profile</title>
<script src="/names/reader-comments.js" defer></script></head>
<body><reader-comments endpoint="/data" page-size="${n}"></reader-comments></body></html>`;

const server = createServer((req, res) => {
  const path = new URL(req.url, 'http://x').pathname;
  const send = (type, body) => {
    res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
    res.end(body);
  };
  if (path === '/') return send('text/html; charset=utf-8', page);
  if (path === '/data') return send('application/json', data);
  const name = path.startsWith('/names/') ? path.slice('/names/'.length) : '';
  if (name && !name.includes('/')) {
    try {
      return send(MIME[extname(name)] || 'application/octet-stream', readFileSync(join(files, name)));
    } catch {
      /* 404 below */
    }
  }
  res.writeHead(404);
  res.end();
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const tab = await browser.newPage();
const cdp = await tab.context().newCDPSession(tab);
await cdp.send('Profiler.enable');
await cdp.send('Profiler.setSamplingInterval', { interval: 25 });
await cdp.send('Profiler.start');
await tab.goto(`http://127.0.0.1:${server.address().port}/`);
await tab.waitForFunction(
  (n) => document.querySelector('reader-comments')?.shadowRoot?.querySelector(`.rc-list > .rc-comment:nth-child(${n})`),
  n,
  { timeout: 60_000 },
);
await tab.waitForTimeout(100);
const { profile } = await cdp.send('Profiler.stop');
await browser.close();
server.close();

const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map();
for (const node of profile.nodes) for (const child of node.children || []) parent.set(child, node.id);
const label = (node) => {
  const f = node.callFrame;
  const name = (f.functionName || '(anonymous)').replace(/::h[0-9a-f]{16}$/, '');
  return f.url ? `${name} (${f.url.split('/').pop()})` : name;
};
const self = new Map();
const inclusive = new Map();
let total = 0;
profile.samples.forEach((id, i) => {
  const ms = profile.timeDeltas[i] / 1000;
  total += ms;
  const leaf = label(byId.get(id));
  self.set(leaf, (self.get(leaf) || 0) + ms);
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const name = label(byId.get(cur));
    if (seen.has(name)) continue;
    seen.add(name);
    inclusive.set(name, (inclusive.get(name) || 0) + ms);
  }
});
const top = (map, keep, count) =>
  [...map.entries()].filter(([name]) => keep(name)).sort((a, b) => b[1] - a[1]).slice(0, count)
    .map(([name, ms]) => `  ${ms.toFixed(1).padStart(7)}  ${name.slice(0, 150)}`).join('\n');
console.log(`Cold load of ${n} comments: ${total.toFixed(1)} ms sampled (idle included)\n`);
console.log(`Self time, ms:\n${top(self, () => true, 25)}\n`);
console.log(`Inclusive time of the widget's and Leptos' functions, ms:\n${top(inclusive, (name) => /reader_comments|tachys|reactive_graph|leptos/.test(name), 25)}`);
