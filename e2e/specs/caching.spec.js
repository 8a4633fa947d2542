// Lists a CDN can serve, in the browser against the real server and SQLite file, run
// with a ten-minute --cache-max-age so that a list kept by the browser would show: after
// a reader posts, a reload shows their comment (neither the loader nor the widget takes
// a list from the browser's cache without asking the endpoint), and an unchanged list
// is asked for with its ETag and comes back as 304, without a body.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setUp, newPage, widget } from '../harness.js';

let env;
before(async () => { env = await setUp({ cacheMaxAge: 600 }); });
after(async () => { await env?.tearDown(); });

test('after posting, a reload shows the new comment although the list may be cached for ten minutes', async () => {
  const { page, context, problems } = await newPage(env);
  const lists = [];
  page.on('request', (r) => {
    if (r.method() === 'GET' && r.url().includes('/api/threads/')) lists.push(r);
  });
  await page.goto(`${env.pages.origin}/index.html`);
  const w = widget(page);
  await w.locator('.rc-comment').nth(4).waitFor();
  const first = await lists[0].response();
  assert.match(first.headers()['cache-control'], /public, max-age=600/, 'the server lets caches keep the list');
  assert.ok(first.headers().etag, 'with an ETag');

  // Unchanged: the reload asks again with the ETag, and the server answers 304.
  await page.reload();
  await w.locator('.rc-comment').nth(4).waitFor();
  const asked = lists.at(-1);
  assert.equal(asked.headers()['if-none-match'] ?? (await asked.allHeaders())['if-none-match'], first.headers().etag,
    'the browser asks with the ETag it holds');
  await asked.response();
  const sizes = await asked.sizes();
  assert.equal(sizes.responseBodySize, 0, `the server answered 304 without a body: ${JSON.stringify(sizes)}`);
  assert.ok((await first.request().sizes()).responseBodySize > 0, 'where the first answer had one');

  const text = 'Posted just before a reload: the list the browser kept must not hide this comment.';
  await w.getByLabel('Your name').fill('Cache Reader');
  await w.getByLabel('Your comment', { exact: true }).fill(text);
  await w.locator('button[type=submit]').click();
  await w.locator('.rc-ok', { hasText: 'has been posted' }).waitFor();
  await page.reload();
  await w.locator('.rc-comment').nth(5).waitFor({ timeout: 10_000 });
  assert.equal(await w.locator('.rc-comment__body', { hasText: text }).count(), 1, 'the new comment is shown after the reload');
  assert.deepEqual(problems, []);
  await context.close();
});
