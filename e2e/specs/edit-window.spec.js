// The author's edit window, short on purpose (the server's test-only --edit-window 2):
// once it has passed, an edit is refused by the real server and the reader is told,
// with their changed text kept.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setUp, openThread, sleep } from '../harness.js';

let env;
before(async () => { env = await setUp({ moderation: 'none', editWindow: 2 }); });
after(async () => { await env?.tearDown(); });

test('after the edit window an edit is refused: the reader is told and keeps their text', async () => {
  const { page, problems, w } = await openThread(env, env.api('late-edit'));
  await w.getByLabel('Your name').fill('Tara');
  await w.getByLabel('Your comment', { exact: true }).fill('Written in time, changed too late, and the widget must say so plainly.');
  await w.locator('button[type=submit]').click();
  await w.getByRole('button', { name: 'Edit your comment' }).waitFor();
  await w.getByRole('button', { name: 'Edit your comment' }).click();
  const form = w.locator('.rc-edit-form form');
  const changed = 'Changed after the window closed; this text must still be in the field afterwards.';
  await form.getByLabel('Your comment', { exact: true }).fill(changed);
  await sleep(2500);
  await form.getByRole('button', { name: 'Save changes' }).click();
  const failure = form.locator('.rc-fail');
  await failure.filter({ hasText: 'has passed' }).waitFor();
  assert.match(await failure.textContent(), /^Your change was not saved\..*has passed\..*still here/);
  assert.equal(await form.getByLabel('Your comment', { exact: true }).inputValue(), changed);
  const stored = (await (await fetch(env.api('late-edit'))).json()).comments[0];
  assert.equal(stored.body, 'Written in time, changed too late, and the widget must say so plainly.', 'unchanged on the server');
  assert.deepEqual(problems, []);
  await page.close();
});
