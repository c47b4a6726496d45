// Asks before an act that breaks the system (system-impact.ts): a modal
// <dialog> that says what will break, with Cancel focused, so Enter or
// Escape never breaks anything by accident.

import { h } from './dom.ts';
import type { Impact } from './system-impact.ts';

/** Resolves true when the user chose to go ahead. */
export function askFirst(impact: Impact): Promise<boolean> {
  const cancel = h('button', { class: 'btn', type: 'button', 'data-testid': 'confirm-cancel' }, 'Cancel');
  const ok = h('button', { class: 'btn danger', type: 'button', 'data-testid': 'confirm-ok' }, impact.confirm);
  const dialog = h('dialog', { class: 'confirm-dialog', 'data-testid': 'confirm-dialog', 'aria-labelledby': 'confirm-title' },
    h('h2', { id: 'confirm-title' }, impact.title),
    h('ul', {}, ...impact.consequences.map((c) => h('li', {}, c))),
    h('div', { class: 'confirm-buttons' }, cancel, ok));
  document.body.append(dialog);
  return new Promise((resolve) => {
    const done = (answer: boolean): void => {
      dialog.close();
      dialog.remove();
      resolve(answer);
    };
    cancel.addEventListener('click', () => done(false));
    ok.addEventListener('click', () => done(true));
    dialog.addEventListener('cancel', (e) => { e.preventDefault(); done(false); }); // Escape
    dialog.showModal();
    cancel.focus();
  });
}
