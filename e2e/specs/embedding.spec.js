// News-site developers' pages: several widgets, the script twice, a strict CSP, a
// hostile stylesheet, widgets added and removed by an app, bad configuration, lazy load.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setUp, newPage, widget, widgetRows, postViaApi } from '../harness.js';

let env;
before(async () => { env = await setUp(); });
after(async () => { await env?.tearDown(); });

const LONG = 'A comment long enough for the fifty character minimum of this thread, yes.';

test('two widgets on one page are independent, and including the script twice is harmless', async () => {
  await postViaApi(env.api('two-a'), 'Only In A', LONG, { origin: env.pages.origin });
  const { page, problems, requests } = await newPage(env);
  await page.goto(`${env.pages.origin}/two.html`);
  const a = widget(page, 0);
  const b = widget(page, 1);
  await widgetRows(page, 0).first().waitFor();
  await b.locator('.rc-state--empty').waitFor();
  assert.equal(await a.locator('.rc-comment__author').textContent(), 'Only In A');
  assert.equal(requests.filter((r) => r.url().endsWith('.wasm')).length, 1, 'the wasm loads once');
  assert.equal(await page.locator('reader-comments, [data-reader-comments]').count(), 2);
  // Typing in one does not touch the other; posting in B lands only in B.
  await b.getByLabel('Your name').fill('Only In B');
  await b.getByLabel('Your comment', { exact: true }).fill(LONG + ' B');
  assert.equal(await a.getByLabel('Your comment', { exact: true }).inputValue(), '');
  await b.locator('button[type=submit]').click();
  await b.locator('.rc-comment__author', { hasText: 'Only In B' }).waitFor();
  assert.equal(await a.locator('.rc-comment').count(), 1);
  // Ids are unique across the page's shadow roots, labels point at their own fields.
  const ids = await page.evaluate(() => [...document.querySelectorAll('reader-comments, [data-reader-comments]')]
    .flatMap((h) => [...h.shadowRoot.querySelectorAll('[id]')].map((e) => e.id)));
  assert.equal(new Set(ids).size, ids.length);
  assert.deepEqual(problems, []);
  await page.close();
});

test('an endpoint written with spaces around it is fetched once, and a sloppy page lang still starts it', async () => {
  const { page, problems, requests } = await newPage(env);
  await page.goto(`${env.pages.origin}/padded.html`);
  const w = widget(page);
  await w.locator('.rc-comment').nth(4).waitFor();
  // Let any second fetch happen before counting.
  await page.waitForTimeout(300);
  const gets = requests.filter((r) => r.url().includes('/api/threads/') && r.method() === 'GET');
  assert.equal(gets.length, 1, gets.map((r) => r.url()).join(', '));
  assert.equal(await w.locator('section').getAttribute('lang'), 'en');
  assert.deepEqual(problems, []);
  await page.close();
});

test('under the strict CSP from README it loads, posts, and causes no violation', async () => {
  const { page, problems } = await newPage(env);
  const violations = [];
  page.on('console', (m) => { if (/Content.Security.Policy|Refused/i.test(m.text())) violations.push(m.text()); });
  await page.goto(`${env.pages.origin}/strict-csp.html`);
  await page.evaluate(() => document.addEventListener('securitypolicyviolation', (e) => {
    window.__violations = (window.__violations || []).concat(`${e.violatedDirective} ${e.blockedURI}`);
  }));
  const w = widget(page);
  await w.locator('.rc-state--empty').waitFor();
  await w.getByLabel('Your name').fill('CSP Reader');
  await w.getByLabel('Your comment', { exact: true }).fill(LONG);
  await w.locator('button[type=submit]').click();
  await w.locator('.rc-comment__author', { hasText: 'CSP Reader' }).waitFor();
  // The stylesheet applied (it is the widget's origin, allowed by style-src).
  const radius = await w.locator('.rc-avatar').evaluate((e) => getComputedStyle(e).borderRadius);
  assert.equal(radius, '50%');
  assert.deepEqual(await page.evaluate(() => window.__violations || []), []);
  assert.deepEqual(violations, []);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a hostile host stylesheet cannot hide or restyle it, and it does not restyle the host', async () => {
  const { page } = await newPage(env);
  await page.goto(`${env.pages.origin}/hostile.html`);
  for (const index of [0, 1]) {
    const w = widget(page, index);
    await w.locator('.rc-comment').first().waitFor();
    assert.ok(await w.locator('.rc-comment').first().isVisible(), `widget ${index} comments are visible`);
    // The comments may be the loader's first paint; the form comes with the widget.
    await w.locator('textarea').waitFor({ state: 'attached' });
    assert.ok(await w.locator('textarea').isVisible(), `widget ${index} form is visible`);
    const size = await w.locator('.rc-comment__body').first().evaluate((e) => getComputedStyle(e).fontSize);
    assert.equal(size, '16px', 'host font-size rules do not reach inside');
    const box = await w.locator('.rc-avatar').first().boundingBox();
    assert.ok(box && box.width >= 30 && box.height >= 30, 'the avatar keeps its size');
  }
  const host = await page.locator('#host-heading').evaluate((e) => [getComputedStyle(e).color, getComputedStyle(e).fontSize]);
  assert.deepEqual(host, ['rgb(1, 2, 3)', '17px']);
  await page.close();
});

test('an element an app adds later is mounted, and one it removes is torn down', async () => {
  const { page, problems } = await newPage(env);
  await page.goto(`${env.pages.origin}/spa.html`);
  await page.waitForFunction(() => window.__readerComments !== undefined);
  await page.evaluate((api) => {
    const el = document.createElement('reader-comments');
    el.setAttribute('endpoint', api);
    el.id = 'late';
    document.getElementById('app').append(el);
  }, env.api());
  const w = page.locator('#late');
  await w.locator('.rc-comment').nth(4).waitFor();
  // Removing it stops it: typing then re-adding a new one gives a fresh, working widget.
  await page.evaluate(() => document.getElementById('late').remove());
  await page.waitForTimeout(200);
  await page.evaluate((api) => {
    const el = document.createElement('div');
    el.setAttribute('data-reader-comments', '');
    el.setAttribute('data-endpoint', api);
    el.id = 'again';
    document.getElementById('app').append(el);
  }, env.api());
  await page.locator('#again').locator('.rc-comment').nth(4).waitFor();
  assert.deepEqual(problems, []);
  await page.close();
});

test('changing the endpoint attribute of a mounted element shows the other thread', async () => {
  await postViaApi(env.api('switched'), 'Other Thread', LONG, { origin: env.pages.origin });
  const { page, problems } = await newPage(env);
  await page.goto(`${env.pages.origin}/index.html`);
  const w = widget(page);
  await w.locator('.rc-comment').nth(4).waitFor();
  await page.evaluate((api) => document.querySelector('reader-comments').setAttribute('endpoint', api), env.api('switched'));
  await w.locator('.rc-comment__author', { hasText: 'Other Thread' }).waitFor();
  assert.equal(await w.locator('.rc-comment').count(), 1);
  assert.deepEqual(problems, []);
  await page.close();
});

test('bad configuration shows a clear message inside the element', async () => {
  const { page } = await newPage(env);
  await page.goto(`${env.pages.origin}/bad-config.html`);
  const first = widget(page, 0).locator('[role=alert]');
  await first.waitFor();
  assert.match(await first.textContent(), /Reader Comments cannot start: .*no endpoint/);
  const second = widget(page, 1).locator('[role=alert]');
  await second.waitFor();
  assert.match(await second.textContent(), /min-length="fifty" is not a whole number/);
  await page.close();
});

test('with loading="lazy", nothing loads until the element nears the viewport', async () => {
  const { page, requests } = await newPage(env);
  await page.goto(`${env.pages.origin}/lazy.html`);
  await page.waitForTimeout(800);
  assert.equal(requests.filter((r) => /\.wasm$|\/api\//.test(r.url())).length, 0, 'nothing fetched yet');
  await page.locator('reader-comments').scrollIntoViewIfNeeded();
  await widget(page).locator('.rc-comment').nth(4).waitFor();
  await page.close();
});

test('no cookies are set and no request leaves loopback', async () => {
  const { page, context, problems } = await newPage(env);
  await page.goto(`${env.pages.origin}/index.html`);
  await widget(page).locator('.rc-comment').nth(4).waitFor();
  assert.deepEqual(await context.cookies(), []);
  assert.deepEqual(problems, []);
  await context.close();
});

test('faked endpoint with numeric ids beyond 2^53: every digit is kept', async () => {
  const { page, context } = await newPage(env);
  await page.route('**/api/threads/india-canada-liaison/comments', (r) => r.fulfill({
    status: 200, contentType: 'application/json',
    body: '{"comments":[{"id":12345678901234567890123,"author":"Big Id","body":"a numeric id too large for a double"}],"next":null}',
  }));
  await page.goto(`${env.pages.origin}/index.html`);
  const item = widget(page).locator('.rc-comment').first();
  await item.waitFor();
  assert.equal(await item.getAttribute('data-id'), '12345678901234567890123');
  await context.close();
});
