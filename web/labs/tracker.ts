// What the kernel did since a lab was started, for its checks (labs/api.ts):
// the commits and the syscalls (each request paired with its response),
// gathered incrementally. At each refresh only what is new is read from the
// view, so a lab left open while a program floods the SysLog costs what the
// flood added, not the whole log again.

import type { SysLogEntry } from '../../kernel/axiom.ts';
import type { Commit } from '../../kernel/commits.ts';
import type { KernelView } from '../../kernel/view.ts';
import type { Call, DeskEvent, LabContext } from '../../labs/api.ts';

/** Calls kept at most; the oldest go first (a lab's steps are recent). */
const MAX_CALLS = 100_000;

export class LabTracker {
  private readonly commitList: Commit[] = [];
  private readonly callList: Call[] = [];
  private readonly pending = new Map<number, Call>();
  private readonly eventList: DeskEvent[] = [];
  private nextCommit: number;
  private lastEvent: number; // the id of the newest SysLog event read
  /** Bumped whenever something new was read: checks are evaluated again only then. */
  version = 0;

  constructor(private readonly view: KernelView, private readonly shells: () => readonly number[]) {
    this.nextCommit = view.commitCount();
    this.lastEvent = newestEventId(view);
  }

  /** Reads what is new since the last call; true when anything was. */
  poll(): boolean {
    const before = this.version;
    const count = this.view.commitCount();
    if (count > this.nextCommit) {
      this.commitList.push(...this.view.commits(Math.max(this.nextCommit, this.view.firstCommit()), count));
      this.nextCommit = count;
      this.version++;
    }
    const newest = newestEventId(this.view);
    if (newest > this.lastEvent) {
      const kept = this.view.syslogStats().kept;
      for (const e of this.view.syslog(Math.min(newest - this.lastEvent, kept))) this.take(e);
      this.lastEvent = newest;
      this.version++;
    }
    return this.version !== before;
  }

  /** A desktop act the labs may look at (a verification, a tamper test). */
  note(event: DeskEvent): void {
    this.eventList.push(event);
    this.version++;
  }

  context(): LabContext {
    return {
      view: this.view, commits: this.commitList, calls: this.callList, events: this.eventList, shells: this.shells(),
    };
  }

  private take(e: SysLogEntry): void {
    if (e.id <= this.lastEvent) return;
    if (e.kind === 'request') {
      const call: Call = { id: e.id, pid: e.pid, num: e.num, args: e.args, by: e.by ?? null, result: null, time: e.time };
      this.callList.push(call);
      this.pending.set(e.id, call);
      if (this.callList.length > MAX_CALLS) {
        for (const gone of this.callList.splice(0, this.callList.length - MAX_CALLS)) this.pending.delete(gone.id);
      }
    } else {
      const call = this.pending.get(e.request_id);
      if (!call) return; // asked before the lab started
      call.result = e.result;
      this.pending.delete(e.request_id);
    }
  }
}

function newestEventId(view: KernelView): number {
  return view.syslog(1)[0]?.id ?? 0;
}
