// A thread a newsroom closes (contract v1.1 `closed`), in the browser against the real
// server and SQLite file, closed and opened with the server's own command line: a post
// after the close is refused with the reason and the draft kept; a reload shows
// "Comments are closed" instead of the form, still keeping the draft; opened again, the
// form comes back with it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { setUp, openThread, showThread, root } from '../harness.js';

let env;
before(async () => { env = await setUp({ moderation: 'none' }); });
after(async () => { await env?.tearDown(); });

const command = (...args) => execFileSync(join(root, 'target/release/reader-comments-server'), ['--db', env.db, ...args], { stdio: 'pipe' });

test('a closed thread refuses the post with the reason, then says it is closed, keeping the draft; opened, the form returns', async () => {
  const { page, problems, w } = await openThread(env, env.api('closing'));
  await w.locator('.rc-state--empty').waitFor();
  const text = 'Written while the article was open, posted just after it was closed: kept.';
  await w.getByLabel('Your name').fill('Late Reader');
  await w.getByLabel('Your comment', { exact: true }).fill(text);
  command('close', 'closing');
  await w.locator('button[type=submit]').click();
  await w.locator('.rc-fail', { hasText: 'Comments on this article are closed.' }).waitFor();
  assert.equal(await w.getByLabel('Your comment', { exact: true }).inputValue(), text, 'the draft stays');

  await page.reload();
  await showThread(page, env.api('closing'));
  await w.getByRole('status').filter({ hasText: 'Comments on this article are closed.' }).waitFor();
  assert.equal(await w.locator('.rc-form-area').isHidden(), true, 'no form');
  const saved = await page.evaluate(() => Object.values(localStorage).join(''));
  assert.ok(saved.includes(text), 'the draft is still kept');

  command('open', 'closing');
  await page.reload();
  await showThread(page, env.api('closing'));
  await w.getByLabel('Your comment', { exact: true }).waitFor();
  assert.equal(await w.locator('.rc-closed').isHidden(), true);
  await page.waitForFunction((t) => document.querySelector('reader-comments').shadowRoot.querySelector('textarea').value === t, text);
  await w.locator('button[type=submit]').click();
  await w.locator('.rc-comment__body', { hasText: text }).waitFor();
  assert.deepEqual(problems, []);
  await page.close();
});
