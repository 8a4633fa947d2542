// The reference server under load, on loopback, one load generator for every setup so
// the figures compare (wrk -t2 -c16 when it is installed, as scripts/bench.sh does; else
// a Node generator in this process, said so): SQLite with one instance, PostgreSQL with
// one instance, PostgreSQL with two instances behind a simple round-robin proxy (Node),
// and, for the limit and the history, the same bytes of a 100-comment page served as a
// static file by Debian's nginx, and the reference builds (scripts/reference.sh: d658aa8,
// and the last release tag once there is one) on SQLite in the same run. Each: GET of a
// 100-comment thread, conditional GETs (If-None-Match with the list's ETag: the share
// answered 304), and POST; req/s, p50 and p99; then ours as a fraction of each.
// PostgreSQL comes from Debian's packages as a throwaway cluster (scripts/postgres.sh);
// without it those rows are left out, said so.
import { createServer, Agent, request as httpRequest } from 'node:http';
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CONCURRENCY = 16;
const THREAD_SIZE = 100;
const LIST = `/api/threads/bench/comments?limit=${THREAD_SIZE}`;

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
const has = (tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
const WRK = has('wrk');

/** Starts a server binary on `db`; its address and how to stop it. `flags` are only
 *  those every build since d658aa8 knows, and the newer ones for our own build. */
async function instance(binary, db, { rate = 'off', own = true } = {}) {
  const flags = ['--db', db, '--bind', '127.0.0.1:0', '--static-dir', '', '--rate-limit', rate, '--moderation', 'none', '--no-seed'];
  if (own) flags.push('--recommend-rate-limit', 'off');
  const child = spawn(binary, flags, { stdio: ['ignore', 'pipe', 'inherit'] });
  const address = await new Promise((resolve, reject) => {
    let out = '';
    child.on('exit', (code) => reject(new Error(`the server exited (${code}) on ${db}`)));
    child.stdout.on('data', (d) => { out += d; const m = out.match(/http:\/\/(127\.0\.0\.1:\d+)\//); if (m) resolve(m[1]); });
  });
  return { address, stop: () => child.kill('SIGTERM') };
}

/** A round-robin HTTP proxy in front of `upstreams` (keep-alive to each). */
async function proxy(upstreams) {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  let next = 0;
  const server = createServer((req, res) => {
    const [host, port] = upstreams[next++ % upstreams.length].split(':');
    const out = httpRequest({ host, port, method: req.method, path: req.url, headers: req.headers, agent }, (up) => {
      res.writeHead(up.statusCode, up.headers);
      up.pipe(res);
    });
    out.on('error', () => { res.writeHead(502); res.end(); });
    req.pipe(out);
  });
  server.keepAliveTimeout = 5000;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { address: `127.0.0.1:${server.address().port}`, stop: () => { server.close(); agent.destroy(); } };
}

/** One request (keep-alive); its status, ETag and body. */
function caller(address) {
  const [host, port] = address.split(':');
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const call = (method, path, body, headers = {}) => new Promise((resolve, reject) => {
    const req = httpRequest({ host, port, method, path, agent, headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, etag: res.headers.etag, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
  return { call, close: () => agent.destroy() };
}

/** `seconds` of load from `CONCURRENCY` connections with wrk: req/s, p50, p99 (ms),
 *  errors and the share answered 304. `script` is wrk's Lua, if any. */
async function wrkRun(address, path, seconds, { headers = [], script = null } = {}) {
  const args = ['-t2', `-c${CONCURRENCY}`, `-d${seconds}s`, '--latency'];
  for (const h of headers) args.push('-H', h);
  if (script) {
    const file = join(mkdtempSync(join(tmpdir(), 'rc-wrk-')), 'script.lua');
    writeFileSync(file, script);
    args.push('-s', file);
  }
  args.push(`http://${address}${path}`);
  // Not synchronous: the round-robin proxy runs in this process.
  const out = await new Promise((resolve, reject) => {
    const child = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    child.stdout.on('data', (d) => { text += d; });
    child.on('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`wrk exited ${code}`))));
  });
  const ms = (label) => {
    const m = out.match(new RegExp(`^\\s+${label}%\\s+([\\d.]+)(us|ms|s)`, 'm'));
    if (!m) return NaN;
    return Number(m[1]) * { us: 0.001, ms: 1, s: 1000 }[m[2]];
  };
  const rps = Number(out.match(/Requests\/sec:\s+([\d.]+)/)?.[1] ?? NaN);
  const non2xx = Number(out.match(/Non-2xx or 3xx responses:\s+(\d+)/)?.[1] ?? 0);
  const socket = out.match(/Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/);
  const errors = non2xx + (socket ? socket.slice(1).reduce((a, b) => a + Number(b), 0) : 0);
  return { rps, p50: ms(50), p99: ms(99), errors, notModified: NaN };
}

/** `seconds` of load from Node itself (no wrk). */
async function nodeRun(call, seconds, make) {
  const latencies = [];
  let errors = 0;
  let notModified = 0;
  let seq = 0;
  const end = performance.now() + seconds * 1000;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (performance.now() < end) {
      const [method, path, body, headers] = make(seq++);
      const t = performance.now();
      const { status } = await call(method, path, body, headers).catch(() => ({ status: 0 }));
      latencies.push(performance.now() - t);
      if (status === 304) notModified++;
      else if (status >= 400 || status === 0) errors++;
    }
  }));
  latencies.sort((a, b) => a - b);
  return { rps: latencies.length / seconds, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), errors, notModified: notModified / latencies.length };
}

/** wrk's script for posts: a fresh idempotency key and text each time. */
const POST_SCRIPT = (label) => `
local n = 0
local threads = 0
-- setup runs in the main state: each thread's own number is set as its global "tid".
setup = function(thread) thread:set("tid", threads); threads = threads + 1 end
request = function()
  n = n + 1
  local body = '{"author":"Poster ' .. (n % 50) .. '","body":"Load comment ' .. n .. ': long enough to pass the fifty character rule."}'
  return wrk.format("POST", "/api/threads/load/comments",
    {["Content-Type"] = "application/json", ["Idempotency-Key"] = "bench-${label}-" .. tid .. "-" .. n .. "-" .. os.time()}, body)
end`;

/** Seeds a 100-comment thread through `address`, then measures GET, conditional GET
 *  and POST for `seconds` each; the page's bytes come back for the static server. */
async function measure(label, address, seconds) {
  const { call, close } = caller(address);
  for (let i = 0; i < THREAD_SIZE; i++) {
    await call('POST', '/api/threads/bench/comments', JSON.stringify({ author: 'Seed', body: `Seed comment number ${i} for the GET benchmark, long enough.` }));
  }
  const { etag, body: page } = await call('GET', LIST);
  let get, conditional, post;
  if (WRK) {
    get = await wrkRun(address, LIST, seconds);
    conditional = await wrkRun(address, LIST, seconds, { headers: [`If-None-Match: ${etag}`] });
    post = await wrkRun(address, '/', seconds, { script: POST_SCRIPT(label.replace(/\W/g, '')) });
  } else {
    get = await nodeRun(call, seconds, () => ['GET', LIST]);
    conditional = await nodeRun(call, seconds, () => ['GET', LIST, null, { 'if-none-match': etag }]);
    post = await nodeRun(call, seconds, (i) => ['POST', '/api/threads/load/comments',
      JSON.stringify({ author: `Poster ${i % 50}`, body: `Load comment ${i}: long enough to pass the fifty character rule.` }),
      { 'idempotency-key': `bench-${label.length}-${i}` }]);
  }
  close();
  return { row: { label, get, conditional, post }, page };
}

/** nginx serving `page` as a static file: the row of its GETs, or a note. */
async function staticServer(page, seconds) {
  if (!has('nginx')) return { note: 'static file row left out: nginx is not installed (scripts/bench.sh installs Debian\'s nginx-light)' };
  const dir = mkdtempSync(join(tmpdir(), 'rc-bench-nginx-'));
  // nginx's workers run as another user (www-data) when started as root.
  chmodSync(dir, 0o755);
  mkdirSync(join(dir, 'root'));
  writeFileSync(join(dir, 'root', 'page.json'), page);
  const port = await new Promise((resolve) => { const s = createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); }); });
  writeFileSync(join(dir, 'nginx.conf'), `worker_processes 2;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  server { listen 127.0.0.1:${port}; location / { root ${dir}/root; default_type application/json; } }
}
`);
  const child = spawn('nginx', ['-c', join(dir, 'nginx.conf'), '-p', dir], { stdio: 'ignore' });
  const address = `127.0.0.1:${port}`;
  const { call, close } = caller(address);
  for (let i = 0; i < 50; i++) {
    const ok = await call('GET', '/page.json').then((r) => r.status === 200, () => false);
    if (ok) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const get = WRK ? await wrkRun(address, '/page.json', seconds) : await nodeRun(call, seconds, () => ['GET', '/page.json']);
  close();
  child.kill('SIGTERM');
  return { row: { label: 'Static file, nginx (the same bytes)', get } };
}

/** The reference builds scripts/reference.sh made: [{label, binary}]. */
function referenceBuilds(root) {
  const built = spawnSync(join(root, 'scripts/reference.sh'), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (built.status !== 0) return [];
  return built.stdout.trim().split('\n').filter(Boolean).map((line) => {
    const [label, commit, binary] = line.split(' ');
    return { label: `${label === 'reference' ? 'd658aa8' : label} (${commit.slice(0, 7)}), SQLite, 1 instance`, binary };
  });
}

/** Every setup's figures; `notes` say what was left out. */
export async function serverFigures(root, seconds) {
  const rows = [];
  const notes = [];
  if (!WRK) notes.push('wrk is not installed: the load comes from Node in this process (slower than the server: figures are the generator\'s)');
  const ours = join(root, 'target/release/reader-comments-server');
  const dir = mkdtempSync(join(tmpdir(), 'rc-bench-'));
  const sqlite = await instance(ours, join(dir, 'bench.sqlite3'));
  const first = await measure('SQLite, 1 instance', sqlite.address, seconds);
  rows.push(first.row);
  sqlite.stop();

  const refs = [];
  if (process.env.BENCH_REFERENCE !== '0') {
    for (const [n, ref] of referenceBuilds(root).entries()) {
      const server = await instance(ref.binary, join(dir, `reference-${n}.sqlite3`), { own: false });
      const { row } = await measure(ref.label, server.address, seconds);
      server.stop();
      rows.push(row);
      refs.push(row);
    }
  }
  const still = await staticServer(first.page, seconds);
  if (still.row) rows.push(still.row);
  else notes.push(still.note);

  const cluster = mkdtempSync(join(tmpdir(), 'rc-bench-postgres-'));
  let base;
  try {
    base = execFileSync(join(root, 'scripts/postgres.sh'), ['start', cluster], { encoding: 'utf8' }).trim();
  } catch (e) {
    notes.push(`PostgreSQL rows left out: ${e.message.split('\n')[0]}`);
    return { rows, notes, ratios: ratios(first.row, refs, still.row, null) };
  }
  let pgRow = null;
  try {
    for (const name of ['bench_one', 'bench_two', 'bench_limited']) execFileSync('psql', [`${base}/postgres`, '-q', '-c', `CREATE DATABASE ${name}`]);
    const one = await instance(ours, `${base}/bench_one`);
    pgRow = (await measure('PostgreSQL, 1 instance', one.address, seconds)).row;
    rows.push(pgRow);
    one.stop();
    // The limit every instance shares costs one statement per post: measured with a
    // limit no client reaches, one client (the load generator) on one row: the worst case.
    const limited = await instance(ours, `${base}/bench_limited`, { rate: '100000/s' });
    rows.push((await measure('PostgreSQL, 1 instance, shared rate limit on', limited.address, seconds)).row);
    limited.stop();
    const a = await instance(ours, `${base}/bench_two`);
    const b = await instance(ours, `${base}/bench_two`);
    const front = await proxy([a.address, b.address]);
    rows.push((await measure('PostgreSQL, 2 instances + proxy', front.address, seconds)).row);
    front.stop(); a.stop(); b.stop();
  } finally {
    execFileSync(join(root, 'scripts/postgres.sh'), ['stop', cluster]);
  }
  return { rows, notes, ratios: ratios(first.row, refs, still.row, pgRow) };
}

/** Ours (SQLite) as a fraction of each reference, of the static server, and PostgreSQL
 *  as a fraction of SQLite. */
function ratios(ours, refs, still, pg) {
  const out = [];
  const x = (a, b) => (a / b).toFixed(2);
  for (const ref of refs) {
    out.push(`ours / ${ref.label.split(',')[0]}: GET ${x(ours.get.rps, ref.get.rps)}×, POST ${x(ours.post.rps, ref.post.rps)}×`);
  }
  if (still) out.push(`ours / static file (nginx): GET ${x(ours.get.rps, still.get.rps)}×`);
  if (pg) out.push(`PostgreSQL / SQLite (ours): GET ${x(pg.get.rps, ours.get.rps)}×, POST ${x(pg.post.rps, ours.post.rps)}×`);
  return out;
}

/** The table's lines. */
export function serverLines(figures, seconds) {
  const generator = WRK ? 'wrk -t2' : 'one Node load generator';
  const lines = [`Server on loopback (${CONCURRENCY} connections, ${seconds} s each, ${generator}; a ${THREAD_SIZE}-comment thread)`];
  const f = (r) => `${r.rps.toFixed(0).padStart(6)} req/s  p50 ${r.p50.toFixed(2).padStart(6)} ms  p99 ${r.p99.toFixed(2).padStart(6)} ms  errors ${r.errors}`;
  for (const row of figures.rows) {
    lines.push(`  ${row.label}`);
    lines.push(`    GET          ${f(row.get)}`);
    if (row.conditional) {
      const share = Number.isNaN(row.conditional.notModified) ? '' : `  304 for ${(row.conditional.notModified * 100).toFixed(1)}%`;
      lines.push(`    GET if-none  ${f(row.conditional)}${share}`);
    }
    if (row.post) lines.push(`    POST         ${f(row.post)}`);
  }
  for (const ratio of figures.ratios ?? []) lines.push(`  ${ratio}`);
  for (const note of figures.notes ?? []) lines.push(`  ${note}`);
  return lines;
}

// `node bench/server.mjs`: these figures alone (scripts/bench.sh prints them with the rest).
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const seconds = Number(process.env.BENCH_LOAD_SECONDS || 5);
  const figures = await serverFigures(join(dirname(fileURLToPath(import.meta.url)), '..'), seconds);
  console.log(serverLines(figures, seconds).join('\n'));
}
