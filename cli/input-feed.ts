// Console input for the first program: the --input values, then standard
// input, one after another through Supervisor.deliverInput, which waits for
// room in a full queue. An input is counted as given once it is queued; what
// could not be (the program ended first, or takes no input) is counted and
// reported, never dropped quietly.

import { InputNotDelivered, type Supervisor } from '../supervisor/supervisor.ts';

/** What a terminal sends for Ctrl+D: the end of the input. The shell exits on it. */
export const EOT = '\x04';

export class InputFeed {
  private chain: Promise<void> = Promise.resolve();
  private refusal: InputNotDelivered | null = null;
  private given = 0;
  private notDelivered = 0;

  constructor(private readonly sup: Supervisor, private readonly pid: number) {}

  /** One input (an --input value, a line); resolves once it is queued or refused. */
  send(text: string | Uint8Array): Promise<void> {
    this.given++;
    return this.then(text, true);
  }

  /**
   * The end of the input, as EOT. Not counted as an input: a program that
   * has already ended needs no end of input.
   */
  end(): Promise<void> {
    return this.then(EOT, false);
  }

  /** Resolves when every input sent so far is queued or refused. */
  settled(): Promise<void> {
    return this.chain;
  }

  /** The line for stderr when inputs were not delivered; null when all were. */
  report(): string | null {
    if (!this.refusal) return null;
    return `${this.notDelivered} of ${this.given} inputs not delivered: ${this.refusal.reason}`;
  }

  private then(text: string | Uint8Array, counted: boolean): Promise<void> {
    this.chain = this.chain.then(async () => {
      if (!this.refusal) {
        try {
          await this.sup.deliverInput(this.pid, text);
          return;
        } catch (e) {
          if (!(e instanceof InputNotDelivered)) throw e;
          if (!counted) return;
          this.refusal = e;
        }
      }
      if (counted) this.notDelivered++;
    });
    return this.chain;
  }
}
