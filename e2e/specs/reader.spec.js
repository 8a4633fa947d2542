// A reader on the demo thread: the seed comments, the counter, posting, reloading.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setUp, newPage, widget, widgetRows, fixture, postViaApi, openThread, writing } from '../harness.js';

let env;
before(async () => { env = await setUp(); });
after(async () => { await env?.tearDown(); });

const cases = Object.fromEntries(fixture('unicode-cases.json').map((c) => [c.name, c]));

async function open() {
  const opened = await newPage(env);
  await opened.page.goto(`${env.pages.origin}/index.html`);
  await widgetRows(opened.page).first().waitFor();
  return opened;
}

test('the seed comments render with the initials P, A, S, V, K and their names', async () => {
  const { page, problems } = await open();
  const w = widget(page);
  const top = w.locator('.rc-list > .rc-comment');
  assert.deepEqual(await top.locator('> .rc-avatar').allTextContents(), ['P', 'A', 'S', 'V', 'K']);
  assert.deepEqual(await top.locator('> .rc-comment__main > .rc-comment__meta > .rc-comment__author').allTextContents(),
    ['Priyanka N', 'Aman W', 'Sarah B', 'Vikram M', 'Kriti O']);
  // The demo's two replies sit under Priyanka's comment, in a list named for her.
  const replies = w.getByRole('list', { name: 'Replies to Priyanka N' });
  assert.deepEqual(await replies.locator('.rc-comment__author').allTextContents(), ['Meera S', 'Priyanka N']);
  assert.equal(await replies.locator('.rc-comment__to').textContent(), 'Replying to Meera S');
  await w.getByRole('heading', { name: 'Reader Comments (7)' }).waitFor();
  assert.match(await w.locator('.rc-guideline').textContent(), /keep comments respectful and on-topic/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the counter reads 0/50, 49/50 and 50/50, and counts emoji and Devanagari as readers do', async () => {
  const { page } = await open();
  const w = widget(page);
  await writing(w);
  const counter = w.locator('.rc-counter');
  const box = w.getByLabel('Your comment', { exact: true });
  assert.equal(await counter.textContent(), '0/50');
  assert.equal(await w.locator('.rc-hint').textContent(), 'Minimum 50 characters');
  await box.fill('a'.repeat(49));
  assert.equal(await counter.textContent(), '49/50');
  await box.fill('a'.repeat(50));
  assert.equal(await counter.textContent(), '50/50');
  for (const name of ['emoji-zwj-family', 'devanagari-hindi', 'gurmukhi-punjabi', 'boundary-25-emoji-is-50-utf16',
    'boundary-50-zwj-families', 'zero-width-padding-to-50', 'whitespace-only-50']) {
    await box.fill(cases[name].value);
    assert.equal(await counter.textContent(), `${cases[name].proposed_count}/50`, name);
  }
  // Typing key by key, and deleting, keep it in step.
  await box.fill('');
  await box.pressSequentially('नमस्ते');
  assert.equal(await counter.textContent(), '3/50');
  await box.press('Backspace');
  assert.equal(await counter.textContent(), `${[...new Intl.Segmenter('hi', { granularity: 'grapheme' }).segment('नमस्त')].length}/50`);
  await page.close();
});

test('49 characters cannot be posted: the reader is told next to the field and nothing is sent', async () => {
  const { page, requests } = await open();
  const w = widget(page);
  await w.getByLabel('Your name').fill('Test Reader');
  await w.getByLabel('Your comment', { exact: true }).fill('b'.repeat(49));
  await w.getByRole('button', { name: 'Post Comment' }).click();
  await w.locator('.rc-error', { hasText: 'Add 1 more character' }).waitFor();
  await page.waitForTimeout(300);
  assert.equal(requests.filter((r) => r.method() === 'POST').length, 0);
  assert.equal(await w.getByLabel('Your comment', { exact: true }).inputValue(), 'b'.repeat(49));
  await page.close();
});

test('a 50-character comment posts once despite a double click and Enter during a (delayed) flight, appears, and survives a reload', async () => {
  const { page, requests } = await open();
  // The real server answers in a millisecond; hold each POST back so the extra clicks
  // land while it is in flight.
  await page.route('**/comments', async (route) => {
    if (route.request().method() === 'POST') await new Promise((r) => setTimeout(r, 3000));
    await route.continue();
  });
  const w = widget(page);
  const text = 'Fifty characters exactly, counted as readers see!!';
  assert.equal([...text].length, 50);
  await w.getByLabel('Your name').fill('Meera T');
  await w.getByLabel('Your comment', { exact: true }).fill(text);
  const button = w.locator('button[type=submit]');
  assert.equal(await button.textContent(), 'Post Comment');
  // A double click and an Enter in the name field while the first post is in flight.
  await button.dblclick();
  await w.getByLabel('Your name').press('Enter');
  // aria-disabled keeps it operable for people; Playwright would wait, so force it.
  await button.click({ force: true });
  assert.equal(await button.getAttribute('aria-disabled'), 'true');
  await w.locator('.rc-fail', { hasText: 'being posted. Please wait' }).waitFor();
  assert.equal(await button.textContent(), 'Posting…');
  await w.locator('.rc-ok', { hasText: 'Your comment has been posted' }).waitFor();
  await w.locator('.rc-comment__body', { hasText: text }).waitFor();
  assert.equal(requests.filter((r) => r.method() === 'POST').length, 1);
  assert.equal(await w.getByLabel('Your comment', { exact: true }).inputValue(), '', 'the form clears after the confirmation');
  await page.unroute('**/comments');
  await page.reload();
  await w.locator('.rc-comment__body', { hasText: text }).waitFor();
  assert.equal(await w.locator('.rc-comment__body', { hasText: text }).count(), 1);
  const last = w.locator('.rc-comment').last();
  assert.equal(await last.locator('.rc-avatar').textContent(), 'M');
  assert.equal(await last.locator('.rc-comment__author').textContent(), 'Meera T');
  await page.close();
});

test('a comment held for moderation is shown to its author as pending', async () => {
  const { page } = await open();
  const w = widget(page);
  await w.getByLabel('Your name').fill('Link Poster');
  await w.getByLabel('Your comment', { exact: true }).fill('More background on this agreement at https://example.com/liaison-officers today.');
  await w.getByRole('button', { name: 'Post Comment' }).click();
  await w.locator('.rc-ok', { hasText: 'awaiting moderation' }).waitFor();
  const pending = w.locator('.rc-comment--pending');
  await pending.waitFor();
  assert.equal(await pending.locator('.rc-badge').textContent(), 'Waiting for review — only you can see this');
  await page.close();
});

test('a draft survives a reload before it is posted', async () => {
  const { page } = await open();
  const w = widget(page);
  await w.getByLabel('Your name').fill('Draft Keeper');
  await w.getByLabel('Your comment', { exact: true }).fill('Half-written thoughts');
  await page.reload();
  await widgetRows(page).first().waitFor();
  await page.waitForFunction(() => true);
  assert.equal(await w.getByLabel('Your comment', { exact: true }).inputValue(), 'Half-written thoughts');
  assert.equal(await w.getByLabel('Your name').inputValue(), 'Draft Keeper');
  assert.equal(await w.locator('.rc-counter').textContent(), '21/50');
  await page.close();
});

test('a thread longer than a page offers "Load more comments", which appends the next page', async () => {
  const url = env.api('long-thread');
  for (let i = 0; i < 57; i++) {
    const res = await postViaApi(url, `Reader ${i}`, `Comment number ${i} in a long thread, long enough to pass the rule.`,
      { origin: env.pages.origin });
    assert.equal(res.status, 201);
  }
  const { page, w } = await openThread(env, url);
  await w.locator('.rc-comment').nth(49).waitFor();
  assert.equal(await w.locator('.rc-comment').count(), 50);
  await w.getByRole('button', { name: 'Load more comments' }).click();
  await w.locator('.rc-comment').nth(56).waitFor();
  assert.equal(await w.locator('.rc-comment').count(), 57);
  assert.equal(await w.getByRole('button', { name: 'Load more comments' }).count(), 0, 'no more pages');
  assert.equal(await w.locator('.rc-comment__author').last().textContent(), 'Reader 56');
  await page.close();
});

test('at 320 px wide, long words and URLs wrap instead of overflowing', async () => {
  const url = env.api('narrow');
  const long = `https://example.com/${'a/'.repeat(300)} and Donaudampfschifffahrtsgesellschaftskapitän${'x'.repeat(200)}`;
  assert.equal((await postViaApi(url, 'W'.repeat(60), long, { origin: env.pages.origin })).status, 202, 'a link waits for moderation');
  const plain = `Unbroken${'y'.repeat(400)} words must wrap within the column at three hundred and twenty pixels.`;
  assert.equal((await postViaApi(url, 'W'.repeat(60), plain, { origin: env.pages.origin })).status, 201);
  const context = await env.browser.newContext({ viewport: { width: 320, height: 640 } });
  const { page, w } = await openThread(env, url, { context });
  await widgetRows(page).first().waitFor();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.equal(overflow, 0, 'no horizontal scrolling');
  const body = await w.locator('.rc-comment__body').first().boundingBox();
  assert.ok(body.x + body.width <= 320, `the body fits: ${JSON.stringify(body)}`);
  await context.close();
});

test('a draft is still there after leaving the page and coming back with the Back button', async () => {
  const { page } = await open();
  const w = widget(page);
  await w.getByLabel('Your name').fill('Back Button');
  await w.getByLabel('Your comment', { exact: true }).fill('Typed, then I followed a link and came back.');
  await page.goto(`${env.pages.origin}/spa.html`);
  await page.goBack();
  await w.locator('textarea').waitFor();
  await page.waitForFunction(() => document.querySelector('reader-comments')?.shadowRoot
    ?.querySelector('textarea')?.value.length > 0);
  assert.equal(await w.getByLabel('Your comment', { exact: true }).inputValue(), 'Typed, then I followed a link and came back.');
  // The restored draft brings the writing part of the wasm at once, and the counter with it.
  await w.locator('.rc-counter[data-count="44"]').waitFor();
  assert.equal(await w.locator('.rc-counter').textContent(), '44/50');
  await page.close();
});
