// Hostile text from the shared list, posted to the real server as a name and as a body,
// must render literally: no dialog, no element made from it, no request elsewhere.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setUp, newPage, widget, widgetRows, fixture, postViaApi, openThread, madeFromText } from '../harness.js';

let env;
before(async () => { env = await setUp({ moderation: 'none' }); });
after(async () => { await env?.tearDown(); });

const payloads = fixture('xss-payloads.json');
const PAD = ' — padding so that the body passes the fifty-character minimum.';
const hasControl = (s) => /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/.test(s);

test('every payload posted as a name and as a body renders as literal text', async () => {
  const url = env.api('xss');
  const accepted = [];
  for (const [i, p] of payloads.entries()) {
    // A name is one line: tabs and line breaks in it are refused, so they become spaces.
    const author = p.replace(/[\t\n\r]/g, ' ').trim().slice(0, 80);
    const res = await postViaApi(url, author, p + PAD, { origin: env.pages.origin, 'idempotency-key': `xss-${i}` });
    if (hasControl(p)) {
      assert.equal(res.status, 400, `control characters are refused: ${JSON.stringify(p)}`);
      continue;
    }
    assert.equal(res.status, 201, `${JSON.stringify(p)} -> ${JSON.stringify(res.body)}`);
    accepted.push({ author: res.body.author, body: res.body.body });
  }
  assert.ok(accepted.length >= payloads.length - 2, `only ${accepted.length} accepted`);

  const { page, problems, w } = await openThread(env, url);
  await w.locator('.rc-comment').nth(accepted.length - 1).waitFor();
  // The first page holds 50; all payloads fit.
  assert.deepEqual(await w.locator('.rc-comment__author').allTextContents(), accepted.map((a) => a.author));
  assert.deepEqual(await w.locator('.rc-comment__body').allTextContents(), accepted.map((a) => a.body));
  assert.deepEqual(await madeFromText(page), [], 'no element was made from endpoint text');
  await page.waitForTimeout(500);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a payload typed into the form is posted and shown literally', async () => {
  const { page, problems } = await newPage(env);
  await page.goto(`${env.pages.origin}/index.html`);
  const w = widget(page);
  await widgetRows(page).first().waitFor();
  const name = '<img src=x onerror=alert(1)>';
  const body = `<script>alert('XSS')</script> and "><svg/onload=alert(2)> in one comment, literally.`;
  await w.getByLabel('Your name').fill(name);
  await w.getByLabel('Your comment', { exact: true }).fill(body);
  await w.locator('button[type=submit]').click();
  await w.locator('.rc-comment__body', { hasText: body }).waitFor();
  assert.equal(await w.locator('.rc-comment__author', { hasText: name }).count(), 1);
  assert.equal(await w.locator('.rc-avatar').last().textContent(), '<');
  await page.waitForTimeout(300);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a right-to-left override in a name cannot flip the rest of the row', async () => {
  const url = env.api('bidi');
  const res = await postViaApi(url, '\u202Eadmin', 'The time and the body after this name must read left to right as written.',
    { origin: env.pages.origin });
  assert.equal(res.status, 201);
  const { page, w } = await openThread(env, url);
  const author = w.locator('.rc-comment__author').first();
  await author.waitFor();
  assert.equal(await author.evaluate((e) => e.localName), 'bdi');
  assert.equal(await author.evaluate((e) => getComputedStyle(e).unicodeBidi), 'isolate');
  assert.equal(await w.locator('.rc-comment__body').first().evaluate((e) => getComputedStyle(e).direction), 'ltr');
  await page.close();
});
