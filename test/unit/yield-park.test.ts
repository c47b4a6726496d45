// How long a zos_yield parks (supervisor/yield-park.ts): growing while
// nothing happens, short again when something does.

import { describe, expect, it } from 'vitest';
import { YieldPark } from '../../supervisor/yield-park.ts';

describe('the yield park', () => {
  it('doubles with each park that nothing woke, up to the ceiling', () => {
    const park = new YieldPark(5, 1000);
    const lengths: number[] = [];
    let t = 0;
    for (let i = 0; i < 10; i++) {
      const ms = park.next(t);
      lengths.push(ms);
      t += ms; // slept it all: nothing woke it
      park.ended(false, t);
      t += 0.01; // a non-blocking RECEIVE in between
    }
    expect(lengths).toEqual([5, 10, 20, 40, 80, 160, 320, 640, 1000, 1000]);
  });

  it('starts short again when something wakes it', () => {
    const park = new YieldPark(5, 1000);
    let t = 0;
    for (let i = 0; i < 6; i++) { t += park.next(t); park.ended(false, t); }
    expect(park.next(t)).toBe(320);
    t += 3;
    park.ended(true, t); // a message came
    expect(park.next(t + 0.01)).toBe(5);
  });

  it('starts short again when the process worked longer than its last park between two yields', () => {
    const park = new YieldPark(5, 1000);
    let t = 0;
    for (let i = 0; i < 4; i++) { t += park.next(t); park.ended(false, t); }
    expect(park.next(t + 1)).toBe(80); // a short poll in between: still waiting
    expect(park.next(t + 81)).toBe(5); // ran 81 ms since: yielding between pieces of work
  });
});
