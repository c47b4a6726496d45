// The page's one refresh clock: panels redraw a few times a second, never
// per syscall. Each tick runs in an animation frame (so it lands just before
// a paint), or on a timer when the page is hidden and frames don't come.

export type TickListener = () => void;

export class Ticker {
  private readonly listeners: TickListener[] = [];
  private timer: ReturnType<typeof setInterval> | null = null;
  private framePending = false;

  constructor(private readonly intervalMs = 250) {}

  add(listener: TickListener): void {
    this.listeners.push(listener);
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.request(), this.intervalMs);
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
    for (const l of this.listeners) {
      try {
        l();
      } catch (e) {
        console.error('zos: refresh failed', e);
      }
    }
  }
}
