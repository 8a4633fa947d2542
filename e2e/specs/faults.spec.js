// Faults between the widget and its endpoint. Each fault is faked by Playwright routing
// (named "faked" below); everything else is the real server and SQLite file. Each must
// show its message, keep the draft, and never double-post when the reader retries.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setUp, newPage, widget } from '../harness.js';

let env;
before(async () => { env = await setUp(); });
after(async () => { await env?.tearDown(); });

async function storedBodies(thread) {
  const res = await fetch(`${env.api(thread)}?limit=100`);
  return (await res.json()).comments.map((c) => c.body);
}

async function openFaultsPage() {
  const opened = await newPage(env);
  await opened.page.goto(`${env.pages.origin}/timeout.html`);
  await widget(opened.page).locator('textarea').waitFor();
  return opened;
}

/** Fills the form, posts under `fault`, checks the message and the kept draft, then
 *  lifts the fault, retries, and checks the comment is stored exactly once. */
async function postThrough(name, fault, expected, lift) {
  const { page, context } = await openFaultsPage();
  const w = widget(page);
  const body = `Comment written during the ${name} fault, long enough to be accepted by the rule.`;
  const keys = [];
  page.on('request', (r) => { if (r.method() === 'POST') keys.push(r.headers()['idempotency-key']); });
  await w.getByLabel('Your name').fill('Fault Tester');
  await w.getByLabel('Your comment', { exact: true }).fill(body);
  await fault(page, context);
  await w.locator('button[type=submit]').click();
  const failure = w.locator('.rc-fail');
  await failure.filter({ hasText: expected }).waitFor({ timeout: 10_000 });
  assert.match(await failure.textContent(), /Your comment was not posted\..*still here/);
  assert.equal(await w.getByLabel('Your comment', { exact: true }).inputValue(), body, 'the draft stays in the field');
  const saved = await page.evaluate(() => Object.entries(localStorage).map(([, v]) => v).join(''));
  assert.ok(saved.includes(JSON.stringify(body).slice(1, -1)), 'the draft is in localStorage');
  await lift(page, context);
  await w.locator('button[type=submit]').click();
  await w.locator('.rc-ok', { hasText: 'has been posted' }).waitFor();
  await w.locator('.rc-comment__body', { hasText: body }).waitFor();
  const stored = (await storedBodies('faults')).filter((b) => b === body);
  assert.equal(stored.length, 1, 'stored exactly once');
  assert.ok(keys.length >= 1 && keys.every((k) => k && k === keys[0]), `one Idempotency-Key for every attempt: ${keys}`);
  await context.close();
}

const onPost = (handler) => async (page) => {
  await page.route('**/api/threads/faults/comments', (route) =>
    route.request().method() === 'POST' ? handler(route) : route.continue());
};
const unroute = async (page) => { await page.unrouteAll({ behavior: 'ignoreErrors' }); };

test('faked 500 with a problem document: the reader is told the service had a problem', async () => {
  await postThrough('500', onPost((r) => r.fulfill({ status: 500, contentType: 'application/problem+json',
    body: '{"title":"Internal Server Error","status":500}' })), 'had a problem (error 500)', unroute);
});

test('faked HTML error page from a proxy: a plain message, not the HTML', async () => {
  await postThrough('html', onPost((r) => r.fulfill({ status: 502, contentType: 'text/html',
    body: '<!doctype html><title>502</title><h1>Bad Gateway</h1>' })), 'had a problem (error 502)', unroute);
});

test('faked timeout (the endpoint never answers): abandoned after the bound with a message', async () => {
  await postThrough('timeout', onPost(() => { /* never answered */ }), 'took too long', unroute);
});

test('faked offline browser: the reader is told they are offline', async () => {
  await postThrough('offline', async (_page, context) => { await context.setOffline(true); },
    'appear to be offline', async (_page, context) => { await context.setOffline(false); });
});

test('faked 429 with Retry-After: the reader is told how long to wait', async () => {
  await postThrough('429', onPost((r) => r.fulfill({ status: 429, contentType: 'application/problem+json',
    headers: { 'retry-after': '30', 'access-control-expose-headers': 'retry-after' },
    body: '{"title":"Too many requests","status":429}' })), 'wait 30 seconds', unroute);
});

test('faked truncated JSON after the real server stored the comment: the retry does not store it twice', async () => {
  await postThrough('truncated', onPost(async (route) => {
    const real = await route.fetch();
    const text = await real.text();
    await route.fulfill({ response: real, body: text.slice(0, Math.floor(text.length / 2)) });
  }), 'cannot read', unroute);
});

test('faked 500 on the list: an error with Retry, which then loads the comments', async () => {
  const { page, context } = await newPage(env);
  await page.route('**/api/threads/india-canada-liaison/comments', (r) => r.fulfill({ status: 500, body: 'oops' }));
  await page.goto(`${env.pages.origin}/index.html`);
  const w = widget(page);
  await w.locator('.rc-state--error', { hasText: 'Comments could not be loaded.' }).waitFor();
  assert.equal(await w.locator('textarea').count(), 1, 'the form stays usable');
  await page.unrouteAll();
  await w.getByRole('button', { name: 'Try again' }).click();
  await w.locator('.rc-comment').nth(4).waitFor();
  await context.close();
});

test('a real endpoint that is down: the post fails clearly and the draft is intact after a reload', async () => {
  const { page, context } = await newPage(env);
  await page.goto(`${env.pages.origin}/down.html`);
  const w = widget(page);
  await w.locator('.rc-state--error', { hasText: 'could not be reached' }).waitFor();
  const body = 'The server is down but my words must not be lost, whatever happens next.';
  await w.getByLabel('Your name').fill('Persistent Reader');
  await w.getByLabel('Your comment', { exact: true }).fill(body);
  await w.locator('button[type=submit]').click();
  await w.locator('.rc-fail', { hasText: 'could not be reached' }).waitFor();
  await page.reload();
  await w.locator('textarea').waitFor();
  await page.waitForFunction(() => document.querySelector('reader-comments').shadowRoot
    .querySelector('textarea').value.length > 0);
  assert.equal(await w.getByLabel('Your comment', { exact: true }).inputValue(), body);
  assert.equal(await w.getByLabel('Your name').inputValue(), 'Persistent Reader');
  await context.close();
});

test('faked 422 with field errors from the endpoint: each message is shown next to its field', async () => {
  const { page, context } = await openFaultsPage();
  const w = widget(page);
  await page.route('**/api/threads/faults/comments', (r) => (r.request().method() === 'POST'
    ? r.fulfill({ status: 422, contentType: 'application/problem+json', body: JSON.stringify({
      title: 'Invalid', status: 422,
      errors: [{ field: 'author', code: 'reserved', message: 'That name is reserved by the newsroom' }] }) })
    : r.continue()));
  await w.getByLabel('Your name').fill('Editor');
  await w.getByLabel('Your comment', { exact: true }).fill('A comment whose name the endpoint refuses for its own reasons, politely.');
  await w.locator('button[type=submit]').click();
  const error = w.locator('.rc-field').first().locator('.rc-error'); // the name's field
  await error.filter({ hasText: 'That name is reserved by the newsroom' }).waitFor();
  assert.equal(await w.getByLabel('Your name').getAttribute('aria-invalid'), 'true');
  assert.equal(await w.getByLabel('Your comment', { exact: true }).inputValue(), 'A comment whose name the endpoint refuses for its own reasons, politely.');
  await context.close();
});

test('when localStorage throws (faked), the widget still works and keeps the draft in memory', async () => {
  const { page, context } = await newPage(env);
  await page.addInitScript(() => {
    const fail = () => { throw new DOMException('QuotaExceededError', 'QuotaExceededError'); };
    Storage.prototype.setItem = fail;
    Storage.prototype.getItem = fail;
  });
  await page.goto(`${env.pages.origin}/timeout.html`);
  const w = widget(page);
  await w.getByLabel('Your name').fill('No Storage');
  await w.getByLabel('Your comment', { exact: true }).fill('Storage is broken in this browser, yet my comment must still post fine.');
  await w.locator('button[type=submit]').click();
  await w.locator('.rc-ok', { hasText: 'has been posted' }).waitFor();
  await context.close();
});

test('editing after a failed (faked 500) post makes a new draft with a new Idempotency-Key', async () => {
  const { page, context } = await openFaultsPage();
  const w = widget(page);
  const keys = [];
  page.on('request', (r) => { if (r.method() === 'POST') keys.push(r.headers()['idempotency-key']); });
  await onPost((r) => r.fulfill({ status: 500, body: 'oops' }))(page);
  await w.getByLabel('Your name').fill('Editor After Failure');
  await w.getByLabel('Your comment', { exact: true }).fill('First wording of a comment that failed to post because of the server.');
  await w.locator('button[type=submit]').click();
  await w.locator('.rc-fail', { hasText: 'error 500' }).waitFor();
  await unroute(page);
  const edited = 'Second wording, edited after the failure, which must post as its own draft.';
  await w.getByLabel('Your comment', { exact: true }).fill(edited);
  await w.locator('button[type=submit]').click();
  await w.locator('.rc-ok', { hasText: 'has been posted' }).waitFor();
  assert.equal(keys.length, 2);
  assert.notEqual(keys[0], keys[1]);
  assert.equal((await storedBodies('faults')).filter((b) => b === edited).length, 1);
  await context.close();
});

test('a draft whose post failed (faked 500) and is edited after a reload also gets a new key', async () => {
  const { page, context } = await openFaultsPage();
  const w = widget(page);
  const keys = [];
  page.on('request', (r) => { if (r.method() === 'POST') keys.push(r.headers()['idempotency-key']); });
  await onPost((r) => r.fulfill({ status: 500, body: 'oops' }))(page);
  await w.getByLabel('Your name').fill('Reloading Editor');
  await w.getByLabel('Your comment', { exact: true }).fill('Wording before the reload, which the server failed to take in.');
  await w.locator('button[type=submit]').click();
  await w.locator('.rc-fail', { hasText: 'error 500' }).waitFor();
  await unroute(page);
  await page.reload();
  await page.waitForFunction(() => document.querySelector('reader-comments')?.shadowRoot
    ?.querySelector('textarea')?.value.length > 0);
  const edited = 'Wording after the reload, edited, which must post under a fresh key.';
  await w.getByLabel('Your comment', { exact: true }).fill(edited);
  await w.locator('button[type=submit]').click();
  await w.locator('.rc-ok', { hasText: 'has been posted' }).waitFor();
  assert.equal(keys.length, 2);
  assert.notEqual(keys[0], keys[1]);
  await context.close();
});

test('an answer over 4 MiB (faked by routing) is refused with a message, and the form still works', async () => {
  const { page } = await newPage(env);
  const huge = JSON.stringify({ comments: [{ id: '1', author: 'Flood', body: 'x'.repeat(5 * 1024 * 1024) }] });
  await page.route('**/api/threads/huge-answer/comments', (route) =>
    route.fulfill({ status: 200, contentType: 'application/json', body: huge }));
  await page.goto(`${env.pages.origin}/index.html`);
  await page.evaluate((endpoint) => {
    const el = document.querySelector('reader-comments');
    el.setAttribute('endpoint', endpoint);
  }, env.api('huge-answer'));
  const w = widget(page);
  await w.locator('.rc-state--error', { hasText: 'too large to show' }).waitFor();
  assert.equal(await w.locator('.rc-comment').count(), 0);
  await w.getByLabel('Your comment', { exact: true }).fill('Still writable after a refused answer, and long enough to count.');
  // The counter comes with the writing part of the wasm, fetched on the focus.
  await w.locator('.rc-counter[data-count="64"]').waitFor();
  assert.equal(await w.locator('.rc-counter').textContent(), '64/50');
  await page.close();
});
