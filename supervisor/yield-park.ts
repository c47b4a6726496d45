// How long a zos_yield parks. A process that yields has nothing to do
// until something happens: a message for it, room in a queue or in its
// console that it met full (the kernel side bumps its PARK word for each), or
// time passing. A loop of non-blocking RECEIVE and yield, Zero OS's `idle`,
// polls; with a fixed park it would wake hundreds of times a second for
// nothing. So the park grows while nothing happens: the first is short, each
// one that nothing ended is twice the last, up to a ceiling, and it starts
// short again when something wakes it, or when the process ran for longer
// than its last park between two yields (it is then yielding between pieces
// of work, not waiting; the time includes its syscalls, so a kernel side
// slow to answer can only make the park shorter). A program that polls the
// clock with GET_TIME and yields therefore oversleeps by at most about as
// long as it has already waited, and never more than the ceiling; SLEEP is
// exact.

export class YieldPark {
  private parkMs: number;
  private lastEnd = -Infinity;

  constructor(private readonly firstMs: number, private readonly maxMs: number) {
    this.parkMs = firstMs;
  }

  /** The next park's length, in ms. */
  next(now = performance.now()): number {
    if (now - this.lastEnd > this.parkMs) this.parkMs = this.firstMs; // it worked since: not waiting
    return this.parkMs;
  }

  /** A park ended: `woken` when something happened, not just time. */
  ended(woken: boolean, now = performance.now()): void {
    this.parkMs = woken ? this.firstMs : Math.min(this.parkMs * 2, Math.max(this.firstMs, this.maxMs));
    this.lastEnd = now;
  }
}
