// Comments without JavaScript (issue 24), in Chromium against the real server and SQLite
// file. The article page includes the server's HTML of the thread inside its
// <reader-comments> element, as a site's edge or CMS does (the page server fetches it
// for every request: harness.js, {{FRAGMENT:…}}). With JavaScript off, a reader sees the
// comments and posts one through the plain form, and a comment too short as the reader
// sees it comes back with its text. With JavaScript on, the widget takes over in place
// and a reader who began typing in the plain form before it arrived keeps the text.
// (How far the page moves at the takeover is measured by the benchmark: bench/run.mjs.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setUp, newPage, postViaApi, widget, axeViolations } from '../harness.js';

const BODY = 'A thoughtful comment that is long enough for the minimum of fifty characters';
// More than 50 UTF-16 units (so the browser's minlength lets it go) but fewer than 50
// characters as a reader sees them: the server refuses it, as the widget's counter would.
const SHORT = 'बहुत अच्छा लेख, धन्यवाद 👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽';
let env;
before(async () => {
  env = await setUp();
  assert.equal((await postViaApi(env.api('no-js'), 'Asha Rao', `${BODY} (the first)`)).status, 201);
});
after(async () => { await env?.tearDown(); });

test('without JavaScript the page shows the comments, posts one, and a too-short one comes back with its text', async () => {
  const graphemes = [...new Intl.Segmenter('hi', { granularity: 'grapheme' }).segment(SHORT)].length;
  assert.ok(SHORT.length >= 50 && graphemes < 50, `${SHORT.length} units, ${graphemes} characters`);
  const context = await env.browser.newContext({ javaScriptEnabled: false });
  const { page, problems, requests } = await newPage(env, { context });
  await page.goto(`${env.pages.origin}/no-js.html`);
  const comments = page.locator('reader-comments .rc-static__list > li');
  assert.equal(await comments.count(), 1);
  assert.equal(await comments.first().locator('[itemprop="author"] [itemprop="name"]').textContent(), 'Asha Rao');
  assert.match(await comments.first().locator('[itemprop="text"]').textContent(), /\(the first\)$/);
  assert.equal(await comments.first().getAttribute('itemtype'), 'https://schema.org/Comment');
  assert.equal(requests.filter((r) => r.url().endsWith('.wasm')).length, 0);

  await page.getByLabel('Your name').fill('Ravi Kumar');
  await page.getByLabel('Your comment').fill(`${BODY} (without JavaScript)`);
  await Promise.all([page.waitForURL(/\/no-js\.html#comment-\d+$/), page.getByRole('button', { name: 'Post Comment' }).click()]);
  const id = new URL(page.url()).hash.slice('#comment-'.length);
  const mine = page.locator(`reader-comments li#comment-${id}`);
  assert.match(await mine.locator('[itemprop="text"]').textContent(), /\(without JavaScript\)$/);
  assert.equal(await mine.locator('[itemprop="name"]').textContent(), 'Ravi Kumar');
  assert.equal(await comments.count(), 2);

  await page.getByLabel('Your name').fill('अनीता');
  await page.getByLabel('Your comment').fill(SHORT);
  await Promise.all([page.waitForURL(/\/api\/threads\/no-js\/comments$/), page.getByRole('button', { name: 'Post Comment' }).click()]);
  assert.equal(await page.title(), 'Your comment was not posted.');
  assert.equal(await page.getByLabel('Your comment').inputValue(), SHORT, 'the words come back');
  assert.equal(await page.getByLabel('Your name').inputValue(), 'अनीता');
  assert.equal(await page.getByRole('alert').textContent(), 'Add 26 more characters', 'counted as the reader sees it: 24');
  await page.getByRole('link', { name: 'Back to the article' }).click();
  await page.waitForURL(/\/no-js\.html$/);
  assert.equal(await comments.count(), 2, 'nothing was posted');
  assert.deepEqual(problems, []);
  await context.close();
});

test('the plain HTML is accessible on its own (the widget not loaded)', async () => {
  const { page, context, problems } = await newPage(env);
  // The loader is kept away (as when a browser cannot run it): the page stays as served.
  await context.route('**/reader-comments.js', (route) => route.abort());
  await page.goto(`${env.pages.origin}/no-js.html`);
  await page.locator('reader-comments .rc-static__form').waitFor();
  assert.deepEqual(await axeViolations(page), [], 'axe on the fragment');
  assert.deepEqual(problems.filter((p) => !/reader-comments\.js/.test(p)), []);
});

test('with JavaScript the widget takes over in place, and text typed in the plain form before it arrived is kept', async () => {
  const { page, context, problems } = await newPage(env);
  let release;
  const arrived = new Promise((go) => { release = go; });
  // The widget's code is held back until the reader has typed.
  await context.route('**/*.wasm', async (route) => { await arrived; await route.continue(); });
  await page.goto(`${env.pages.origin}/no-js.html`);
  const host = widget(page);
  const plain = page.locator('reader-comments .rc-static__form');
  await plain.getByLabel('Your name').fill('Meera Iyer');
  await plain.getByLabel('Your comment').fill(`${BODY} (typed before the widget came)`);
  release();
  const own = host.locator('[part="root"] .rc-form:not(.rc-form--reply) textarea');
  await own.filter({ hasText: '' }).first().waitFor();
  await host.locator('[part="root"] .rc-counter[data-count]').first().waitFor();
  assert.equal(await own.inputValue(), `${BODY} (typed before the widget came)`, 'the text is the widget\'s draft');
  assert.equal(await host.locator('[part="root"] input[autocomplete="name"]').first().inputValue(), 'Meera Iyer');
  assert.equal(await plain.isVisible(), false, 'the plain form has left the view');
  await host.locator('[part="root"] .rc-comment', { hasText: '(the first)' }).waitFor();
  await host.getByRole('button', { name: 'Post Comment' }).click();
  await host.locator('[part="root"] .rc-comment', { hasText: '(typed before the widget came)' }).waitFor();
  assert.deepEqual(problems, []);
});
