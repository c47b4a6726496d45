// The page's one refresh clock: panels redraw a few times a second, never
// per syscall, and not at all while nothing they show has changed (the
// `changed` signature: an idle desktop costs no redraws). Each tick runs in
// an animation frame (so it lands just before a paint), or on a timer when
// the page is hidden and frames don't come.

export type TickListener = () => void;

export class Ticker {
  private readonly listeners: TickListener[] = [];
  private timer: ReturnType<typeof setInterval> | null = null;
  private framePending = false;

  private lastSignature: unknown = undefined;

  /** `changed` sums up what the listeners show: a tick whose signature equals the last one's is skipped. */
  constructor(private readonly intervalMs = 250, private readonly changed: () => unknown = () => NaN) {}

  add(listener: TickListener): void {
    this.listeners.push(listener);
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (this.changed() !== this.lastSignature) this.request();
    }, this.intervalMs);
    this.request();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Runs a tick soon (the next frame), e.g. after a user action. */
  request(): void {
    if (this.framePending) return;
    this.framePending = true;
    const run = (): void => {
      if (!this.framePending) return;
      this.framePending = false;
      this.tick();
    };
    if (document.visibilityState === 'visible') requestAnimationFrame(run);
    setTimeout(run, 100); // whichever comes first: frames don't run in a hidden page
  }

  private tick(): void {
    this.lastSignature = this.changed();
    for (const l of this.listeners) {
      try {
        l();
      } catch (e) {
        console.error('zos: refresh failed', e);
      }
    }
  }
}
