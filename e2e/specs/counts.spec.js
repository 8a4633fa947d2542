// Comment counts on a listing page (issue 24): reader-comments-count.js, no WebAssembly,
// in Chromium against the real server and SQLite file. 20 articles' badges make one
// request (GET /api/counts, cacheable) and show the right numbers, in English, Hindi and
// Urdu (the page's `lang`); a published reply counts, a held comment does not; a badge
// whose endpoint fails stays empty; another endpoint (routed in the test: a third
// party's server speaking the contract, not ours) is counted from its first page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setUp, newPage, postViaApi } from '../harness.js';

const BODY = 'A thoughtful comment that is long enough for the minimum of fifty characters';
let env;
before(async () => { env = await setUp({ moderation: 'links' }); });
after(async () => { await env?.tearDown(); });

test('20 badges, one request, the right numbers in English, Hindi and Urdu; a failed endpoint shows nothing', async () => {
  // listing-N has N-1 published comments (listing-1 none, listing-2 one, ...), and a held one on 3.
  for (let n = 2; n <= 20; n++) {
    for (let k = 1; k < n; k++) assert.equal((await postViaApi(env.api(`listing-${n}`), `Reader ${k}`, `${BODY} (${k})`)).status, 201);
  }
  assert.equal((await postViaApi(env.api('listing-3'), 'Held', `${BODY} https://example.com`)).status, 202);
  const { page, problems, requests } = await newPage(env);
  await page.goto(`${env.pages.origin}/listing.html`);
  const badges = page.locator('ol reader-comments-count');
  await badges.nth(19).filter({ hasText: /comments$/ }).waitFor();
  const texts = await badges.allTextContents();
  assert.deepEqual(texts, Array.from({ length: 20 }, (_, i) => (i === 1 ? '1 comment' : `${i} comments`)));
  const asked = requests.filter((r) => new URL(r.url()).pathname === '/api/counts');
  assert.equal(asked.length, 1, 'one request for the whole page');
  assert.equal(requests.filter((r) => r.url().endsWith('.wasm')).length, 0, 'no WebAssembly');
  const hindi = page.locator('p[lang="hi"] [data-reader-comments-count]');
  const urdu = page.locator('p[lang="ur"] [data-reader-comments-count]');
  await urdu.nth(1).filter({ hasText: /./ }).waitFor();
  assert.deepEqual(await hindi.allTextContents(), ['1 टिप्पणी', '0 टिप्पणी']);
  assert.deepEqual(await urdu.allTextContents(), ['1 تبصرہ', '0 تبصرے']);
  assert.equal(await page.locator('p reader-comments-count').textContent(), '', 'a failed request shows nothing');
  const response = await (await fetch(`${env.server.origin}/api/counts?threads=listing-3,listing-1`)).json();
  assert.deepEqual(response, { counts: { 'listing-1': 0, 'listing-3': 2 } }, 'the held comment is not counted');
  assert.equal((await fetch(`${env.server.origin}/api/counts?threads=`)).status, 400);
  assert.deepEqual(problems, []);
});

test('another endpoint is counted from its first page, with "+" when it has more', async () => {
  const { page, context, problems } = await newPage(env);
  // A third party's endpoint speaking the contract, served by the test (not a fault).
  await context.route('**/not-ours.json', (route) => route.fulfill({
    contentType: 'application/json',
    body: JSON.stringify({ comments: [{ id: '1', author: 'A', body: 'x', replies: [{ id: '2', author: 'B', body: 'y' }] }, { id: '3', author: 'C', body: 'z' }], next: 'c2' }),
  }));
  await page.goto(`${env.pages.origin}/listing.html`);
  const badge = page.locator('p reader-comments-count');
  await badge.filter({ hasText: /./ }).waitFor();
  assert.equal(await badge.textContent(), '3+ comments');
  assert.deepEqual(problems, []);
});
