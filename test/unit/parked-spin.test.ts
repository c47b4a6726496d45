// When a parked syscall may spin before its worker sleeps
// (supervisor/answer-wait.ts): only with a core for every live process and
// one for the kernel side.

import { describe, expect, it } from 'vitest';
import { awaitAnswer, blockedSpinAllowed, SPIN_WORD } from '../../supervisor/answer-wait.ts';

describe('spinning on a parked syscall', () => {
  it('is allowed only where every live process and the kernel side have a core', () => {
    expect(blockedSpinAllowed(2, 2)).toBe(false); // this project's 2-core machine: never for two processes
    expect(blockedSpinAllowed(8, 5)).toBe(true);
    expect(blockedSpinAllowed(8, 7)).toBe(false);
    expect(blockedSpinAllowed(1, 0)).toBe(false);
  });

  it('returns the answer that is already there, parked or not, spinning or not', () => {
    const view = new Int32Array(new SharedArrayBuffer(8));
    const bell = new Int32Array(new SharedArrayBuffer(8));
    Atomics.store(view, 0, 2);
    for (const spin of [0, 1]) {
      Atomics.store(bell, SPIN_WORD, spin);
      awaitAnswer(view, 0, 1, 2, 0.05, { bell, ms: 0.05 });
      expect(Atomics.load(view, 0)).toBe(2);
    }
  });
});
