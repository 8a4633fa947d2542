// The reader's side on a phone (issue 25), in Chromium against the real server and SQLite
// file, at 360×740 and 390×844, light and dark, in English and Hindi: the list with
// nested replies, a reply box open at the deepest level, the report question, the delete
// question and a validation error. Each state is measured (the reply box's width, one
// line of actions, 44 px targets, no horizontal overflow at 320 px, fields that keep
// their box and no layout shift when an error appears), checked with axe, and
// screenshotted; the screenshots were checked by eye once and are compared with
// e2e/screenshots/ for regressions (UPDATE_SCREENSHOTS=1 writes them anew).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setUp, newPage, widget, showThread, axeViolations, shoot, postComment } from '../harness.js';

let env;
before(async () => { env = await setUp(); });
after(async () => { await env?.tearDown(); });

const TEXT = {
  en: {
    body: 'A comment long enough for the rule of fifty characters, about the liaison officers.',
    mine: 'My own comment, which I may still delete, long enough for the rule of fifty.',
    names: ['Priyanka Narayanan', 'Harjit Singh Dhillon', 'Meera', 'Arjun'],
  },
  hi: {
    body: 'संपर्क अधिकारियों के बारे में एक टिप्पणी, जो पचास अक्षरों के नियम के लिए काफ़ी लंबी है।',
    mine: 'मेरी अपनी टिप्पणी, जिसे मैं अभी हटा सकता हूँ, पचास अक्षरों के नियम के लिए काफ़ी लंबी।',
    names: ['प्रियंका नारायणन', 'हरजीत सिंह ढिल्लों', 'मीरा', 'अर्जुन'],
  },
};

const post = (thread, author, body, parent) => postComment(env, thread, author, body, parent);

/** A thread of two top-level comments, the first with a reply and a reply to that. */
async function conversation(thread, lang) {
  const { body, names: [a, b, c, d] } = TEXT[lang];
  const top = await post(thread, a, body);
  const reply = await post(thread, b, body, top);
  const deepest = await post(thread, c, body, reply);
  const other = await post(thread, d, body);
  return { top, reply, deepest, other };
}

/** Every visible control in the widget that is smaller than 44×44 CSS px (a radio button
 *  is measured by its label, which is its target). */
function smallTargets(page) {
  return page.evaluate(() => {
    const found = [];
    const walk = (root) => {
      for (const el of root.querySelectorAll('button, a[href], select, input, textarea')) {
        const target = el.type === 'radio' ? el.closest('label') : el;
        const box = target.getBoundingClientRect();
        if (box.width === 0 || el.closest('.rc-sr')) continue;
        if (box.width < 44 || box.height < 44) found.push(`${el.className || el.localName} ${Math.round(box.width)}×${Math.round(box.height)}`);
      }
    };
    walk(document.querySelector('reader-comments').shadowRoot);
    return found;
  });
}

/** Rows whose actions take more than one line. */
function brokenActionRows(page) {
  return page.evaluate(() => [...document.querySelector('reader-comments').shadowRoot.querySelectorAll('[part="root"] .rc-comment__actions')]
    .filter((line) => new Set([...line.children].map((c) => c.getBoundingClientRect()).filter((r) => r.width > 0)
      .map((r) => Math.round(r.top))).size > 1)
    .map((line) => line.closest('li').dataset.id));
}

function overflow(page) {
  return page.evaluate(() => {
    const rc = document.querySelector('reader-comments').shadowRoot.querySelector('.rc');
    return { page: document.documentElement.scrollWidth - document.documentElement.clientWidth, widget: rc.scrollWidth - rc.clientWidth };
  });
}

for (const [width, height] of [[360, 740], [390, 844]]) {
  for (const scheme of ['light', 'dark']) {
    for (const lang of ['en', 'hi']) {
      const tag = `${width}-${scheme}-${lang}`;
      test(`${tag}: the list, a reply box at the deepest level, the report and delete questions and an error fit, are whole targets, and look as reviewed`, async () => {
        const thread = `phone-${tag}`;
        const ids = await conversation(thread, lang);
        const context = await env.browser.newContext({ viewport: { width, height }, colorScheme: scheme });
        const { page, problems } = await newPage(env, { context });
        await page.goto(`${env.pages.origin}/index.html`);
        await showThread(page, env.api(thread), { locale: lang });
        const w = widget(page);
        const row = (id) => w.locator(`[part="root"] li.rc-comment[data-id="${id}"]`);
        // The reader's own comment, posted in the form (this browser holds its token).
        await w.locator('.rc-form input[name=author]').fill(lang === 'en' ? 'Quinn' : 'क्विन');
        await w.locator('.rc-form textarea').fill(TEXT[lang].mine);
        await w.locator('.rc-form button[type=submit]').click();
        const mine = w.locator('[part="root"] li.rc-comment', { hasText: TEXT[lang].mine });
        await mine.waitFor();
        await page.evaluate(() => window.scrollTo(0, 0));

        // The list with nested replies.
        assert.deepEqual(await brokenActionRows(page), [], 'every row\'s actions on one line');
        assert.deepEqual(await smallTargets(page), [], 'every control 44×44 or more');
        assert.deepEqual(await axeViolations(page), [], 'axe, the list');
        await shoot(w.locator('[part="root"] .rc-top').locator('xpath=..'), `list-${tag}.png`);

        // A reply box at the deepest level: at least 85 % of the widget's width.
        await row(ids.deepest).locator('.rc-reply').click();
        const box = row(ids.deepest).locator('.rc-reply-form');
        await box.locator('textarea').waitFor();
        const [boxWidth, widgetWidth] = [await box.evaluate((b) => b.getBoundingClientRect().width),
          await w.locator('[part="root"] .rc').first().evaluate((b) => b.getBoundingClientRect().width)];
        assert.ok(boxWidth >= 0.85 * widgetWidth, `the reply box is ${boxWidth} of ${widgetWidth} px`);
        assert.equal(await box.locator('input[name=author]').isVisible(), false, 'the name is remembered from the main form');
        assert.equal(await box.locator('.rc-as__name').textContent(), lang === 'en' ? 'Quinn' : 'क्विन');
        const [submit, cancel] = [box.locator('button[type=submit]'), box.locator('.rc-form__cancel')];
        assert.equal((await submit.boundingBox()).y, (await cancel.boundingBox()).y, 'Reply and Cancel side by side');
        assert.equal((await box.locator('.rc-hint').boundingBox()).y, (await box.locator('.rc-counter').boundingBox()).y,
          'the counter on its hint\'s line');
        assert.equal(await box.locator('.rc-form__heading').evaluate((h) => h.getBoundingClientRect().top - h.closest('.rc-reply-form').getBoundingClientRect().top) <= 12, true,
          'no empty band above the heading');
        assert.deepEqual(await smallTargets(page), []);
        assert.deepEqual(await axeViolations(page), [], 'axe, a reply box open');
        await shoot(row(ids.deepest), `reply-${tag}.png`);
        await box.locator('.rc-form__cancel').click();
        await box.waitFor({ state: 'detached' });

        // The report question: reasons as radio buttons, Send report and a plain Cancel.
        await row(ids.other).locator('.rc-report').click();
        const ask = row(ids.other).locator('.rc-report-ask');
        await ask.waitFor();
        assert.equal(await ask.locator('input[type=radio]').count(), 3);
        assert.deepEqual(await smallTargets(page), []);
        assert.deepEqual(await axeViolations(page), [], 'axe, the report question');
        await shoot(row(ids.other), `report-${tag}.png`);
        await ask.locator('.rc-report-cancel').click();

        // The delete question: a destructive Delete unlike the safe Keep it.
        // Narrow: the reader's own Edit and Delete wait behind More.
        const more = mine.locator('.rc-own-more');
        assert.equal(await more.getAttribute('aria-expanded'), 'false');
        await more.click();
        assert.equal(await more.getAttribute('aria-expanded'), 'true');
        await mine.locator('.rc-delete').click();
        const question = mine.locator('.rc-confirm');
        await question.waitFor();
        const look = (b) => b.evaluate((el) => getComputedStyle(el).backgroundColor);
        assert.notEqual(await look(question.locator('.rc-confirm-delete')), await look(question.locator('.rc-confirm-keep')));
        assert.deepEqual(await smallTargets(page), []);
        assert.deepEqual(await axeViolations(page), [], 'axe, the delete question');
        await shoot(mine, `delete-${tag}.png`);
        await question.locator('.rc-confirm-keep').click();

        // A validation error: the fields keep their boxes, and nothing shifts.
        const form = w.locator('.rc-form:not(.rc-form--reply)');
        await form.locator('input[name=author]').fill('');
        await form.locator('textarea').fill('Too short');
        const boxes = () => form.locator('input, textarea').evaluateAll((els) => els.map((e) => {
          const r = e.getBoundingClientRect();
          return [Math.round(r.x), Math.round(r.width), Math.round(r.height)];
        }));
        const before = await boxes();
        await page.evaluate(() => {
          window.shifts = [];
          new PerformanceObserver((list) => window.shifts.push(...list.getEntries().filter((e) => !e.hadRecentInput).map((e) => e.value)))
            .observe({ type: 'layout-shift' });
        });
        await form.locator('button[type=submit]').click();
        await form.locator('.rc-error').nth(1).waitFor();
        await page.waitForTimeout(600);
        assert.deepEqual(await boxes(), before, 'each field keeps its place, width and height');
        assert.deepEqual(await page.evaluate(() => window.shifts), [], 'no layout shift');
        assert.deepEqual(await axeViolations(page), [], 'axe, an error');
        await shoot(form, `error-${tag}.png`);
        assert.deepEqual(problems, []);
        await context.close();
      });
    }
  }
}

test('at 320 px nothing overflows sideways: the list, a reply box at the deepest level, the report question', async () => {
  const ids = await conversation('phone-320', 'en');
  const context = await env.browser.newContext({ viewport: { width: 320, height: 640 } });
  const { page, problems } = await newPage(env, { context });
  await page.goto(`${env.pages.origin}/index.html`);
  await showThread(page, env.api('phone-320'));
  const w = widget(page);
  const row = (id) => w.locator(`[part="root"] li.rc-comment[data-id="${id}"]`);
  await row(ids.other).waitFor();
  assert.deepEqual(await overflow(page), { page: 0, widget: 0 }, 'the list');
  await row(ids.deepest).locator('.rc-reply').click();
  await row(ids.deepest).locator('.rc-reply-form textarea').waitFor();
  assert.deepEqual(await overflow(page), { page: 0, widget: 0 }, 'a reply box');
  await row(ids.other).locator('.rc-report').click();
  await row(ids.other).locator('.rc-report-ask').waitFor();
  assert.deepEqual(await overflow(page), { page: 0, widget: 0 }, 'the report question');
  assert.deepEqual(problems, []);
  await context.close();
});

/** A desktop page showing a new conversation (in English) in `thread`. */
async function openConversation(thread) {
  const ids = await conversation(thread, 'en');
  const { page, problems } = await newPage(env);
  await page.goto(`${env.pages.origin}/index.html`);
  await showThread(page, env.api(thread));
  const w = widget(page);
  return { ids, page, problems, w, row: (id) => w.locator(`[part="root"] li.rc-comment[data-id="${id}"]`) };
}

test('the reply box asks for a name only when there is none, and Change name asks again; "Write a comment" takes the keyboard to the form', async () => {
  const { ids, page, problems, w, row } = await openConversation('phone-name');
  const reply = row(ids.top).locator(':scope > .rc-comment__main > .rc-comment__actions .rc-reply');
  await reply.click();
  const box = row(ids.top).locator(':scope > .rc-comment__main > .rc-reply-form');
  // The form comes with the writing part of the wasm (fetched on this first press).
  await box.locator('textarea').waitFor();
  assert.equal(await box.getByRole('textbox', { name: 'Your name (required)' }).isVisible(), true, 'no name yet: asked');
  await box.locator('.rc-form__cancel').click();
  await box.waitFor({ state: 'detached' });
  await w.locator('.rc-form input[name=author]').fill('Mohan');
  await reply.click();
  await box.locator('textarea').waitFor();
  assert.equal(await box.getByRole('textbox', { name: 'Your name (required)' }).isVisible(), false, 'known: not asked');
  assert.equal(await box.locator('.rc-as').textContent(), 'Posting as Mohan Change name');
  await box.getByRole('button', { name: 'Change name' }).click();
  const name = box.getByRole('textbox', { name: 'Your name (required)' });
  await name.waitFor();
  await page.waitForFunction(() => document.querySelector('reader-comments').shadowRoot.activeElement?.name === 'author');
  await name.fill('Mohan Lal');
  await box.getByRole('textbox', { name: 'Your reply to Priyanka Narayanan' }).fill('A reply under another name, long enough for the rule of fifty.');
  await box.getByRole('button', { name: 'Reply', exact: true }).click();
  await row(ids.top).locator('.rc-comment__author', { hasText: 'Mohan Lal' }).waitFor();

  const jump = w.getByRole('link', { name: 'Write a comment' });
  await jump.focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('reader-comments').shadowRoot.activeElement?.localName === 'textarea');
  assert.ok(await w.locator('.rc-form:not(.rc-form--reply) textarea').evaluate((t) => {
    const r = t.getBoundingClientRect();
    return r.top >= 0 && r.bottom <= innerHeight;
  }), 'the field is in view');
  assert.deepEqual(problems, []);
  await page.close();
});

test('the report question: Send report without a reason says to choose one; a reason and Enter sends it', async () => {
  const { ids, page, problems, row: rowOf } = await openConversation('phone-report');
  const row = rowOf(ids.other);
  const sent = [];
  page.on('request', (r) => { if (r.method() === 'POST' && r.url().endsWith('/report')) sent.push(r.postDataJSON()); });
  await row.getByRole('button', { name: "Report Arjun's comment" }).click();
  const ask = row.getByRole('group', { name: 'Why should a moderator look at this comment?' });
  await ask.getByRole('button', { name: 'Send report' }).click();
  await ask.locator('.rc-report-error', { hasText: 'Choose a reason first.' }).waitFor();
  assert.equal(await page.evaluate(() => document.querySelector('reader-comments').shadowRoot.activeElement?.value), 'spam', 'the focus on the first reason');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await row.locator('.rc-report-thanks').waitFor();
  assert.deepEqual(sent.map((body) => body.reason), ['abuse'], 'one report, with the reason the arrow key chose');
  assert.equal(await row.locator('.rc-reported').count(), 1, 'Report became Reported');
  assert.deepEqual(problems, []);
  await page.close();
});
