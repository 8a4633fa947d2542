// Keyboard shortcuts for the moderation queue (served at /admin/admin.js). They act
// only while the focus is on a comment in the queue (so they never take a key from
// anything else: WCAG 2.1.4): J and K move to the next and previous comment, A
// approves it, R rejects it, X selects it. Every action works without them. It also makes
// the "Select all N shown" box work (hidden without it).
(() => {
  const queue = document.querySelector('ol.queue[data-shortcuts]');
  if (!queue) return;
  const items = () => [...queue.querySelectorAll(':scope > li')];
  for (const li of items()) li.tabIndex = -1;
  const hint = document.getElementById('shortcuts');
  if (hint) hint.hidden = false;
  const AGAIN = 'rc-admin-shortcut';
  const show = (li) => {
    if (!li) return;
    li.focus();
    li.scrollIntoView({ block: 'nearest' });
  };
  // The comment's id (its box's value is ID@VERSION).
  const idOf = (li) => li?.querySelector('input[name="id"]')?.value.split('@')[0];
  // After an action taken by key, the comment that came after the one acted on has the
  // focus (or, when it is gone too, the one now in its place), to go on by key; the one
  // acted on keeps it when it is still there (it changed meanwhile: read it again).
  try {
    const again = sessionStorage.getItem(AGAIN);
    if (again) {
      sessionStorage.removeItem(AGAIN);
      const { acted, next, at } = JSON.parse(again);
      const now = items();
      const find = (id) => now.find((li) => id && idOf(li) === id);
      show(find(acted) ?? find(next) ?? now[Math.min(at, now.length - 1)]);
    }
  } catch { /* storage refused: the focus stays where the browser puts it */ }
  // "Select all N shown": checks or clears every comment's box, and shows whether all,
  // some (mixed) or none are selected as they are picked one by one.
  const every = document.getElementById('select-all');
  if (every) {
    every.hidden = false;
    const all = every.querySelector('input');
    const boxes = () => [...queue.querySelectorAll('input[name="id"]')];
    all.addEventListener('change', () => {
      for (const box of boxes()) box.checked = all.checked;
    });
    queue.addEventListener('change', () => {
      const picked = boxes().filter((box) => box.checked).length;
      all.checked = picked > 0 && picked === boxes().length;
      all.indeterminate = picked > 0 && !all.checked;
    });
  }
  queue.addEventListener('keydown', (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
    const li = event.target.closest('ol.queue > li');
    if (!li) return;
    const all = items();
    const at = all.indexOf(li);
    const press = (action) => {
      const button = li.querySelector(`button[name="one"][value^="${action} "]`);
      if (!button) return;
      try {
        sessionStorage.setItem(AGAIN, JSON.stringify({ acted: idOf(li), next: idOf(all[at + 1]), at }));
      } catch { /* no focus restore */ }
      button.click();
    };
    switch (event.key.toLowerCase()) {
      case 'j': show(all[at + 1]); break;
      case 'k': show(all[at - 1]); break;
      case 'a': press('approve'); break;
      case 'r': press('reject'); break;
      case 'x': {
        const box = li.querySelector('input[type="checkbox"]');
        if (!box) return;
        box.checked = !box.checked;
        box.dispatchEvent(new Event('change', { bubbles: true }));
        break;
      }
      default: return;
    }
    event.preventDefault();
  });
})();
