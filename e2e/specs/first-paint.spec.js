// The loader's first paint: while the WebAssembly is on its way, the loader shows the
// prefetched first rows, built as the widget builds them, and the widget takes over
// without anything moving. The slow WebAssembly is faked (held back by Playwright
// routing, or refused); the server, its SQLite file and the comments are real.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setUp, newPage, widget, postViaApi, fixture } from '../harness.js';

let env;
before(async () => {
  env = await setUp();
  // Names that exercise every rule of a row: clusters, case, invisible characters,
  // right-to-left text, markup that must stay text.
  const names = ['स्नेहा', 'ਸਤਿ ਕੌਰ', 'ßara', '\u200b émile', '👨‍👩‍👧 Family', 'مريم', '<img src=x onerror=alert(1)>'];
  for (const [i, author] of names.entries()) {
    const body = `${'<script>alert(1)</script> नमस्ते ਸਤਿ ਸ੍ਰੀ ਅਕਾਲ '.repeat(2)} comment ${i}`;
    const posted = await postViaApi(env.api('first-paint'), author, body);
    assert.equal(posted.status, 201, JSON.stringify(posted.body));
  }
});
after(async () => { await env?.tearDown(); });

/** Rows of the list in `scope` ('first' = the loader's copy, 'widget' = the widget's):
 *  their markup and where each sits on the page. */
function rows(page, scope) {
  return page.evaluate((scope) => {
    const shadow = document.querySelector('reader-comments').shadowRoot;
    const first = shadow.querySelector('[part=section][aria-hidden=true]');
    const list = scope === 'first' ? first?.querySelector('.rc-list') : shadow.querySelector('[part=root] .rc-list');
    return [...(list?.children ?? [])].map((li) => {
      const r = li.getBoundingClientRect();
      // What only the widget draws (its buttons; a comment's replies, inside its row)
      // is left out of the comparison: the copy keeps the buttons' line, empty.
      const copy = li.cloneNode(true);
      copy.querySelectorAll('.rc-comment__actions').forEach((a) => a.replaceChildren());
      copy.querySelectorAll('.rc-replies, .rc-more-replies').forEach((e) => e.remove());
      const replies = !!li.querySelector('.rc-replies');
      return { html: copy.outerHTML, box: [r.x, r.y, r.width, replies ? 'with replies' : r.height].map((v) => typeof v === 'number' ? Math.round(v) : v), replies };
    });
  }, scope);
}

/** Serves `comments` as the thread's answer (a faked endpoint) with the WebAssembly held
 *  back, opens the page, and waits for the loader's first paint; resolves with the
 *  function that lets the WebAssembly through. */
async function firstPaintOf(page, comments) {
  let release;
  const held = new Promise((r) => { release = r; });
  await page.route('**/*.wasm', async (route) => { await held; await route.continue(); });
  await page.route('**/api/threads/first-paint/comments', (route) =>
    route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ comments }),
      headers: { 'access-control-allow-origin': '*' } }));
  await page.goto(`${env.pages.origin}/first-paint.html`);
  await page.waitForFunction(() => document.querySelector('reader-comments').shadowRoot?.querySelector('[part=section][aria-hidden=true] .rc-comment'));
  return release;
}

test('faked slow WebAssembly: the first rows show before it, exactly as the widget draws them, and nothing moves when it takes over', async () => {
  const { page, context, problems } = await newPage(env);
  let release;
  const held = new Promise((r) => { release = r; });
  await page.route('**/*.wasm', async (route) => { await held; await route.continue(); });
  await page.goto(`${env.pages.origin}/first-paint.html`);
  const w = widget(page);
  await page.waitForFunction(() => document.querySelector('reader-comments').shadowRoot
    ?.querySelectorAll('[part=section][aria-hidden=true] .rc-comment').length >= 7);
  assert.equal(await w.locator('textarea').count(), 0, 'the widget has not started');
  const early = await rows(page, 'first');
  const served = (await (await fetch(env.api('first-paint'))).json()).comments;
  assert.equal(early.length, served.length, 'every comment of a canonical answer is painted');
  assert.ok(early.every((r) => r.html.includes('datetime=')), 'with its time');
  const heading = await page.evaluate(() => document.querySelector('reader-comments').shadowRoot.querySelector('.rc-heading').getBoundingClientRect().height);
  // Every frame from now on: how many rows are on screen (the copy's or the widget's).
  await page.evaluate(() => {
    window.__frames = [];
    const shadow = document.querySelector('reader-comments').shadowRoot;
    const look = () => {
      const shown = [...shadow.querySelectorAll('.rc-comment')].filter((li) => li.getClientRects().length > 0);
      window.__frames.push(shown.length);
      if (window.__frames.length < 600) requestAnimationFrame(look);
    };
    requestAnimationFrame(look);
  });

  release();
  await w.locator('textarea').waitFor();
  await page.waitForFunction(() => !document.querySelector('reader-comments').shadowRoot.querySelector('[part=section][aria-hidden=true]'));
  const final = await rows(page, 'widget');
  assert.equal(final.length, early.length);
  for (let i = 0; i < final.length; i++) {
    assert.equal(early[i].html, final[i].html, `row ${i} is the same markup`);
    assert.deepEqual(early[i].box, final[i].box, `row ${i} has not moved`);
  }
  assert.ok(final[0].html.includes('rc-comment__actions'), 'the endpoint advertises recommends: the line is kept');
  assert.equal(await w.locator('.rc-recommend').count(), final.length, 'and the widget fills it');
  const after = await page.evaluate(() => document.querySelector('reader-comments').shadowRoot.querySelector('.rc-heading').getBoundingClientRect().height);
  assert.equal(after, heading, 'the heading keeps its height');
  assert.equal(await w.locator('.rc-list').count(), 1, 'the copy is gone');
  await page.waitForTimeout(100);
  const frames = await page.evaluate(() => window.__frames);
  assert.ok(frames.length > 3, 'frames were seen');
  assert.deepEqual([...new Set(frames)], [early.length], `every frame showed each row once: ${frames}`);
  assert.equal(await w.locator('.rc-comment').first().getAttribute('aria-hidden'), null);
  assert.deepEqual(problems, []);
  await context.close();
});

test('faked endpoint with an alias: the first paint stops at the first comment it cannot draw exactly, and the widget shows them all', async () => {
  const { page, context, problems } = await newPage(env);
  const comments = [
    { id: 1, author: 'Asha', body: 'First, in the contract\'s own names.', created_at: '2026-02-08T09:12:00Z' },
    { id: 2, author: 'Bina', body: 'Second, also plain.', created_at: '2026-02-08T10:00:00.5+05:30' },
    { id: 3, name: 'Chandra', body: 'Third: its author is under an alias.' },
    { id: 4, author: 'Dev', body: 'Fourth, plain again.' },
  ];
  const release = await firstPaintOf(page, comments);
  const w = widget(page);
  const early = await rows(page, 'first');
  assert.equal(early.length, 2);
  release();
  await w.locator('textarea').waitFor();
  await page.waitForFunction(() => !document.querySelector('reader-comments').shadowRoot.querySelector('[part=section][aria-hidden=true]'));
  const final = await rows(page, 'widget');
  assert.deepEqual(final.map((r) => r.html.match(/data-id="(\d)"/)[1]), ['1', '2', '3', '4']);
  assert.equal(early[1].html, final[1].html, 'an offset time gives the same row');
  assert.deepEqual(problems, []);
  await context.close();
});

test('faked missing WebAssembly: the first rows stay, now for everyone, with a note saying what is missing', async () => {
  const { page, context } = await newPage(env);
  await page.route('**/*.wasm', (route) => route.fulfill({ status: 404, body: 'gone' }));
  await page.goto(`${env.pages.origin}/first-paint.html`);
  const w = widget(page);
  const note = w.locator('[role=alert]');
  await note.waitFor();
  assert.match(await note.textContent(), /form could not be loaded/);
  assert.equal(await w.locator('[part=section]').getAttribute('aria-hidden'), null, 'no longer hidden from assistive technology');
  assert.ok(await w.locator('.rc-comment').count() >= 7);
  assert.equal(await w.locator('.rc-comment__author').first().textContent(), 'स्नेहा');
  await context.close();
});

test('faked endpoint with every name of fixtures/unicode-cases.json: the first paint draws each row as the widget does, and stops at a lone surrogate', async () => {
  const { page, context, problems } = await newPage(env);
  const cases = fixture('unicode-cases.json')
    .map((c) => {
      // A lone surrogate exists only on the wire (`json_wire`); the overlong UTF-8 case is
      // no JSON at all and is left out.
      try { return { name: c.name, value: c.value ?? JSON.parse(c.json_wire) }; } catch { return { name: c.name, value: null }; }
    })
    .filter((c) => typeof c.value === 'string');
  // A lone surrogate after the first 20: the copy stops there (the widget's strings
  // cannot hold one, so it shows the comment its own way).
  const lone = cases.filter((c) => /lone/.test(c.name));
  const rest = cases.filter((c) => !/lone/.test(c.name));
  assert.ok(lone.length === 2 && rest.length > 25);
  const names = [...rest.slice(0, 20), ...lone, ...rest.slice(20)];
  const comments = names.map((c, i) => ({ id: `u${i}`, author: c.value, body: c.value, created_at: `2026-0${1 + (i % 9)}-1${i % 10}T0${i % 10}:30:00Z` }));
  const release = await firstPaintOf(page, comments);
  const w = widget(page);
  const early = await rows(page, 'first');
  assert.equal(early.length, 20, 'every row up to the first lone surrogate');
  release();
  await w.locator('textarea').waitFor();
  const final = await rows(page, 'widget');
  const shown = final.map((r) => r.html.match(/data-id="(u\d+)"/)[1]);
  for (const [i, c] of names.entries()) if (!/lone/.test(c.name)) assert.ok(shown.includes(`u${i}`), `${c.name} is shown`);
  for (let i = 0; i < early.length; i++) assert.equal(early[i].html, final[i].html, `${names[i].name}: the same row`);
  assert.deepEqual(problems, []);
  await context.close();
});

test('faked slow WebAssembly on the demo thread: the copy stops after a comment with replies, and nothing it drew moves', async () => {
  const { page, context, problems } = await newPage(env);
  let release;
  const held = new Promise((r) => { release = r; });
  await page.route('**/*.wasm', async (route) => { await held; await route.continue(); });
  await page.goto(`${env.pages.origin}/index.html`);
  const w = widget(page);
  await page.waitForFunction(() => document.querySelector('reader-comments').shadowRoot
    ?.querySelector('[part=section][aria-hidden=true] .rc-comment'));
  const early = await rows(page, 'first');
  assert.equal(early.length, 1, "Priyanka N's comment has replies: the copy ends with it");
  const sortLine = await page.evaluate(() => document.querySelector('reader-comments').shadowRoot.querySelector('.rc-sort').getBoundingClientRect().height);
  release();
  await w.locator('textarea').waitFor();
  await page.waitForFunction(() => !document.querySelector('reader-comments').shadowRoot.querySelector('[part=section][aria-hidden=true]'));
  const final = await rows(page, 'widget');
  assert.ok(final[0].replies, 'the widget draws its replies inside it');
  assert.equal(early[0].html, final[0].html);
  assert.deepEqual(early[0].box.slice(0, 3), final[0].box.slice(0, 3), 'it has not moved (it grows by its replies)');
  const after = await page.evaluate(() => document.querySelector('reader-comments').shadowRoot.querySelector('.rc-sort').getBoundingClientRect().height);
  assert.equal(after, sortLine, 'the sort line keeps its height');
  assert.deepEqual(problems, []);
  await context.close();
});
