// Languages and direction (issue 24), in Chromium against the real server and SQLite file:
// the section in Urdu and Arabic is laid out right to left (avatar, counter, buttons and
// replies mirrored), names and bodies in mixed Urdu and English each read in their own
// direction, axe is clean, and each is screenshotted light and dark (checked by eye once,
// then compared with e2e/screenshots/ for layout regressions). A reader in Bengali sees
// the counter and the counts in Bengali digits and plurals; a page in English or Hindi
// fetches only its own language's file; and a language file that cannot be fetched
// (faked by routing) leaves the widget in English, never without words.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setUp, newPage, widget, showThread, axeViolations, shoot, postComment } from '../harness.js';

let env;
before(async () => { env = await setUp(); });
after(async () => { await env?.tearDown(); });

const TEXT = {
  ur: {
    names: ['عائشہ Khan', 'Ravi Sharma', 'زینب'],
    body: 'لائزن افسران کا تقرر ایک اچھا قدم ہے، اور Ottawa میں ہونے والی بات چیت سے امید بندھی ہے۔',
    heading: 'قارئین کے تبصرے',
    submit: 'تبصرہ بھیجیں',
    hint: 'کم از کم 50 حروف',
  },
  ar: {
    names: ['عائشة Khan', 'Ravi Sharma', 'زينب'],
    body: 'تعيين ضباط الاتصال خطوة جيدة، والمحادثات في Ottawa تبعث على الأمل بتعاون أفضل.',
    heading: 'تعليقات القرّاء',
    submit: 'انشر التعليق',
    hint: '50 حرفًا على الأقل',
  },
};

const post = (thread, author, body, parent) => postComment(env, thread, author, body, parent);

/** Opens the demo article showing `thread` in `locale`; the language files it fetched. */
async function open(thread, locale, options = {}) {
  const opened = await newPage(env, options);
  const files = [];
  opened.page.on('request', (r) => { if (r.url().includes('/locales/')) files.push(r.url().split('/').pop()); });
  await opened.page.goto(`${env.pages.origin}/index.html`);
  await showThread(opened.page, env.api(thread), locale ? { locale } : {});
  const w = widget(opened.page);
  await w.locator('[part="root"] .rc-form textarea').waitFor();
  return { ...opened, w, files };
}

for (const lang of ['ur', 'ar']) {
  for (const scheme of ['light', 'dark']) {
    test(`${lang} ${scheme}: the section is mirrored, mixed names and bodies read right, axe is clean, and it looks as reviewed`, async () => {
      const thread = `rtl-${lang}-${scheme}`;
      const { names, body } = TEXT[lang];
      const top = await post(thread, names[0], body);
      await post(thread, names[1], 'Agreed — the liaison officers should make the exchange of information much faster.', top);
      await post(thread, names[2], body);
      const context = await env.browser.newContext({ viewport: { width: 390, height: 844 }, colorScheme: scheme });
      const { page, w, files, problems } = await open(thread, lang, { context });
      await w.locator('[part="root"] .rc-comment').nth(2).waitFor();
      const section = w.locator('section[part="section"]');
      assert.deepEqual([await section.getAttribute('lang'), await section.getAttribute('dir')], [lang, 'rtl']);
      assert.equal(await w.locator('.rc-heading').evaluate((h) => h.firstChild.textContent), TEXT[lang].heading);
      assert.equal(await w.locator('.rc-form button[type=submit]').textContent(), TEXT[lang].submit);
      assert.equal(await w.locator('.rc-form .rc-hint').textContent(), TEXT[lang].hint);
      assert.deepEqual(files, [`${lang}.json`], 'its own language file, once');

      // Mirrored: the avatar right of the text, the counter at the start (left) of its line
      // under the field's right edge, a reply indented from the right.
      const box = (l) => l.evaluate((e) => { const r = e.getBoundingClientRect(); return { left: r.left, right: r.right }; });
      const first = w.locator(`[part="root"] li.rc-comment[data-id="${top}"]`);
      const [avatar, text] = [await box(first.locator('.rc-avatar').first()), await box(first.locator('.rc-comment__body').first())];
      assert.ok(avatar.left > text.right - 1, `the avatar is right of the text: ${JSON.stringify({ avatar, text })}`);
      const reply = first.locator('li.rc-comment').first();
      const [outer, inner] = [await box(first), await box(reply)];
      assert.ok(inner.right < outer.right - 8 && Math.abs(inner.left - outer.left) < 2, `a reply is indented from the right: ${JSON.stringify({ outer, inner })}`);
      const [hint, counter] = [await box(w.locator('.rc-form .rc-hint')), await box(w.locator('.rc-form .rc-counter'))];
      assert.ok(hint.left > counter.right, 'the hint at the start (right), the counter at the end (left)');

      // Each name and body in its own direction: the Latin part of "عائشہ Khan" stays after
      // the Arabic-script part, and an English body is laid out left to right.
      assert.equal(await first.locator('.rc-comment__author').first().evaluate((e) => e.localName), 'bdi');
      const english = reply.locator('.rc-comment__body');
      assert.equal(await english.evaluate((e) => getComputedStyle(e).direction), 'ltr', 'an English body reads left to right');
      assert.equal(await first.locator('.rc-comment__body').first().evaluate((e) => getComputedStyle(e).direction), 'rtl');

      assert.deepEqual(await axeViolations(page), [], `axe in ${lang}, ${scheme}`);
      await page.evaluate(() => document.fonts.ready);
      await shoot(section, `rtl-${lang}-${scheme}.png`);
      assert.deepEqual(problems, []);
      await context.close();
    });
  }
}

test('Bengali: the counter, the hint and the count messages in Bengali digits and plurals', async () => {
  const { page, w, problems } = await open('bn-digits', 'bn');
  assert.equal(await w.locator('.rc-form .rc-hint').textContent(), 'কমপক্ষে ৫০টি অক্ষর');
  assert.equal(await w.locator('.rc-form .rc-counter').textContent(), '০/৫০');
  await w.locator('.rc-form textarea').fill('বাংলা ভাষা');
  // বাংলা ভাষা is 5 characters as a reader sees them (বাং লা space ভা ষা).
  await w.locator('.rc-form .rc-counter[data-count="5"]').waitFor();
  assert.equal(await w.locator('.rc-form .rc-counter').textContent(), '৫/৫০');
  await w.locator('.rc-form input[name=author]').fill('অমিত');
  await w.locator('.rc-form button[type=submit]').click();
  await w.locator('.rc-form .rc-error', { hasText: 'আরও ৪৫টি অক্ষর যোগ করুন' }).waitFor();
  assert.deepEqual(problems, []);
  await page.close();
});

test('English and Hindi pages fetch only their own language file (English none)', async () => {
  const en = await open('lang-files', null);
  assert.equal(await en.w.locator('.rc-form button[type=submit]').textContent(), 'Post Comment');
  assert.deepEqual(en.files, []);
  await en.page.close();
  const hi = await open('lang-files', 'hi-IN');
  assert.equal(await hi.w.locator('.rc-form button[type=submit]').textContent(), 'टिप्पणी भेजें');
  assert.deepEqual(hi.files, ['hi.json']);
  assert.deepEqual(hi.problems, []);
  await hi.page.close();
});

test('faked failure of a language file: the widget shows English words, and works', async () => {
  const opened = await newPage(env);
  await opened.page.route('**/locales/ta.json', (route) => route.fulfill({ status: 404, body: 'gone' }));
  await opened.page.goto(`${env.pages.origin}/index.html`);
  await showThread(opened.page, env.api('lang-missing'), { locale: 'ta' });
  const w = widget(opened.page);
  await w.locator('[part="root"] .rc-form button[type=submit]', { hasText: 'Post Comment' }).waitFor();
  assert.equal(await w.locator('section[part="section"]').getAttribute('lang'), 'ta', 'still marked as the page asked');
  await w.locator('.rc-form input[name=author]').fill('Kavya');
  await w.locator('.rc-form textarea').fill('தமிழ் நாடு — a comment that is long enough to be posted in any language.');
  await w.locator('.rc-form button[type=submit]').click();
  await w.locator('[part="root"] .rc-comment__body', { hasText: 'தமிழ் நாடு' }).waitFor();
  await opened.page.close();
});
