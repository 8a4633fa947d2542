// The reference server under load, on loopback, one load generator for every setup so
// the figures compare: SQLite with one instance, PostgreSQL with one instance, and
// PostgreSQL with two instances behind a simple round-robin proxy (Node, in this
// process). Each: GET of a 100-comment thread, conditional GETs (If-None-Match with the
// list's ETag: the share answered 304), and POST; req/s, p50 and p99.
// PostgreSQL comes from Debian's packages as a throwaway cluster (scripts/postgres.sh);
// without it those rows are left out, said so.
import { createServer, Agent, request as httpRequest } from 'node:http';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CONCURRENCY = 16;
const THREAD_SIZE = 100;

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;

/** Starts `reader-comments-server` on `db`; its address and how to stop it. */
async function instance(root, db, rate = 'off') {
  const child = spawn(join(root, 'target/release/reader-comments-server'),
    ['--db', db, '--bind', '127.0.0.1:0', '--static-dir', '', '--rate-limit', rate, '--recommend-rate-limit', 'off',
      '--moderation', 'none', '--no-seed'],
    { stdio: ['ignore', 'pipe', 'inherit'] });
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

/** Seeds a 100-comment thread through `address`, then measures GET, conditional GET
 *  and POST for `seconds` each. */
async function measure(label, address, seconds) {
  const [host, port] = address.split(':');
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const call = (method, path, body, headers = {}) => new Promise((resolve, reject) => {
    const req = httpRequest({ host, port, method, path, agent, headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, etag: res.headers.etag }));
    });
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
  for (let i = 0; i < THREAD_SIZE; i++) {
    await call('POST', '/api/threads/bench/comments', JSON.stringify({ author: 'Seed', body: `Seed comment number ${i} for the GET benchmark, long enough.` }));
  }
  const list = `/api/threads/bench/comments?limit=${THREAD_SIZE}`;
  const { etag } = await call('GET', list);
  async function run(make) {
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
  const get = await run(() => ['GET', list]);
  const conditional = await run(() => ['GET', list, null, { 'if-none-match': etag }]);
  const post = await run((i) => ['POST', '/api/threads/load/comments',
    JSON.stringify({ author: `Poster ${i % 50}`, body: `Load comment ${i}: long enough to pass the fifty character rule.` }),
    { 'idempotency-key': `bench-${label.length}-${i}` }]);
  agent.destroy();
  return { label, get, conditional, post };
}

/** Every setup's figures; `note` says what was left out. */
export async function serverFigures(root, seconds) {
  const rows = [];
  const dir = mkdtempSync(join(tmpdir(), 'rc-bench-'));
  const sqlite = await instance(root, join(dir, 'bench.sqlite3'));
  rows.push(await measure('SQLite, 1 instance', sqlite.address, seconds));
  sqlite.stop();

  const cluster = mkdtempSync(join(tmpdir(), 'rc-bench-postgres-'));
  let base;
  try {
    base = execFileSync(join(root, 'scripts/postgres.sh'), ['start', cluster], { encoding: 'utf8' }).trim();
  } catch (e) {
    return { rows, note: `PostgreSQL rows left out: ${e.message.split('\n')[0]}` };
  }
  try {
    for (const name of ['bench_one', 'bench_two', 'bench_limited']) execFileSync('psql', [`${base}/postgres`, '-q', '-c', `CREATE DATABASE ${name}`]);
    const one = await instance(root, `${base}/bench_one`);
    rows.push(await measure('PostgreSQL, 1 instance', one.address, seconds));
    one.stop();
    // The limit every instance shares costs one statement per post: measured with a
    // limit no client reaches, one client (the load generator) on one row: the worst case.
    const limited = await instance(root, `${base}/bench_limited`, '100000/s');
    rows.push(await measure('PostgreSQL, 1 instance, shared rate limit on', limited.address, seconds));
    limited.stop();
    const a = await instance(root, `${base}/bench_two`);
    const b = await instance(root, `${base}/bench_two`);
    const front = await proxy([a.address, b.address]);
    rows.push(await measure('PostgreSQL, 2 instances + proxy', front.address, seconds));
    front.stop(); a.stop(); b.stop();
  } finally {
    execFileSync(join(root, 'scripts/postgres.sh'), ['stop', cluster]);
  }
  return { rows, note: '' };
}

/** The table's lines. */
export function serverLines(figures, seconds) {
  const lines = [`Server on loopback (${CONCURRENCY} connections, ${seconds} s each, one Node load generator; a ${THREAD_SIZE}-comment thread)`];
  const f = (r) => `${r.rps.toFixed(0).padStart(6)} req/s  p50 ${r.p50.toFixed(2).padStart(6)} ms  p99 ${r.p99.toFixed(2).padStart(6)} ms  errors ${r.errors}`;
  for (const row of figures.rows) {
    lines.push(`  ${row.label}`);
    lines.push(`    GET          ${f(row.get)}`);
    lines.push(`    GET if-none  ${f(row.conditional)}  304 for ${(row.conditional.notModified * 100).toFixed(1)}%`);
    lines.push(`    POST         ${f(row.post)}`);
  }
  if (figures.note) lines.push(`  ${figures.note}`);
  return lines;
}

// `node bench/server.mjs`: these figures alone (scripts/bench.sh prints them with the rest).
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const seconds = Number(process.env.BENCH_LOAD_SECONDS || 5);
  const figures = await serverFigures(join(dirname(fileURLToPath(import.meta.url)), '..'), seconds);
  console.log(serverLines(figures, seconds).join('\n'));
}
