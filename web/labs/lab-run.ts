// One attempt at a lab: from when it was started, which steps are done, what
// its values are (the slot, the pid a step names), and whether the goal is
// met. Checks are evaluated again only when the kernel did something new.
// A step or goal once met stays met for the attempt: a message received is
// gone from the queue, and the step that sent it is still done.

import type { KernelView } from '../../kernel/view.ts';
import type { DeskEvent, LabContext } from '../../labs/api.ts';
import type { Lab } from './catalog.ts';
import { fillTemplate, readableTemplate, type LabAction } from './lab-file.ts';
import { LabTracker } from './tracker.ts';

/** A step's action with its values filled in. */
export type ResolvedAction = LabAction;

export interface StepView {
  /** The step's text with its values (‹name› for one not known yet). */
  text: string;
  done: boolean;
  /** Null while a value it names is unknown (an earlier step is not done yet). */
  action: ResolvedAction | null;
  /** Whether the step is checked against the kernel (else it is done once a later step is). */
  checked: boolean;
}

export class LabRun {
  readonly tracker: LabTracker;
  readonly startedAt = Date.now();
  private readonly met: boolean[];
  private readonly seen = new Set<number>();
  private goal = false;
  private evaluated = '';
  values: Record<string, number | string | undefined> = {};
  /** Checks that threw, as sentences (a bug in the lab's module). */
  problems: string[] = [];
  steps: StepView[] = [];

  constructor(readonly lab: Lab, view: KernelView, private readonly shells: () => readonly number[],
    private readonly activeShell: () => number | null) {
    this.tracker = new LabTracker(view, shells);
    this.met = lab.doc.steps.map(() => false);
    this.evaluate(true);
  }

  get goalMet(): boolean {
    return this.goal;
  }

  /** Reads what the kernel did and evaluates the checks if anything changed; true when something shown changed. */
  refresh(): boolean {
    this.tracker.poll();
    return this.evaluate(false);
  }

  note(event: DeskEvent): void {
    this.tracker.note(event);
  }

  /** "Show me" did a step that has no check: it counts as done. */
  markSeen(index: number): void {
    this.seen.add(index);
    this.evaluate(true);
  }

  /** The index of the first step not done, or null when all are. */
  get next(): number | null {
    const i = this.steps.findIndex((s) => !s.done);
    return i < 0 ? null : i;
  }

  private evaluate(force: boolean): boolean {
    const key = `${this.tracker.version}|${this.seen.size}|${this.shells().join(',')}|${this.activeShell()}`;
    if (!force && key === this.evaluated) return false;
    this.evaluated = key;
    const ctx = this.tracker.context();
    this.problems = [];
    this.values = this.computeValues(ctx);
    const { steps } = this.lab.doc;
    steps.forEach((step, i) => {
      if (step.done && !this.met[i]) this.met[i] = this.run(step.done, ctx, this.lab.checks.checks[step.done]!);
    });
    if (!this.goal) this.goal = this.run('goal', ctx, this.lab.checks.goal);
    // A step without a check is done once shown, or once a later step is done.
    const done = steps.map(() => false);
    let later = false;
    for (let i = steps.length - 1; i >= 0; i--) {
      done[i] = steps[i]!.done ? this.met[i]! : this.seen.has(i) || later || this.goal;
      later ||= done[i]!;
    }
    this.steps = steps.map((step, i) => ({
      text: readableTemplate(step.text, this.values),
      done: done[i]!,
      action: step.do ? resolve(step.do, this.values) : null,
      checked: step.done !== undefined,
    }));
    return true;
  }

  private computeValues(ctx: LabContext): Record<string, number | string | undefined> {
    const out: Record<string, number | string | undefined> = { shell: this.activeShell() ?? undefined };
    for (const [name, value] of Object.entries(this.lab.checks.values ?? {})) {
      try {
        out[name] = value(ctx);
      } catch (e) {
        out[name] = undefined;
        this.problems.push(`value ${name} in labs/${this.lab.doc.id}.ts failed: ${(e as Error).message}`);
      }
    }
    return out;
  }

  private run(name: string, ctx: LabContext, check: (ctx: LabContext) => boolean): boolean {
    try {
      return check(ctx) === true;
    } catch (e) {
      this.problems.push(`check ${name} in labs/${this.lab.doc.id}.ts failed: ${(e as Error).message}`);
      return false;
    }
  }
}

/** The action with every value filled in, or null while one is unknown. */
function resolve(action: LabAction, values: Record<string, number | string | undefined>): ResolvedAction | null {
  const out: Record<string, string | boolean> = {};
  for (const [key, template] of Object.entries(action)) {
    if (typeof template !== 'string') {
      if (template !== undefined) out[key] = template;
      continue;
    }
    const filled = fillTemplate(template, values);
    if (filled === null) return null;
    out[key] = filled;
  }
  return out as ResolvedAction;
}
