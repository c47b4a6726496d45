// Collects a RunRecord over a run of a Supervisor: every binary spawned
// (with its SHA-256), what each spawn was given, the console input queued
// for each process, each process's whole output, and at the end the
// outcomes, the limits, every commit from Genesis, the SysLog kept and the
// final state hash.
//
// The supervisor keeps only a bounded tail of the CommitLog in memory; the
// older commits are handed to its `onTrim` before they are dropped. The
// recorder keeps them: pass `recorder.onTrim` as the Supervisor's onTrim,
// then attach the recorder before boot, so that init's spawn is seen too.

import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { PID_SUPERVISOR } from '../kernel/abi.ts';
import type { Commit } from '../kernel/commits.ts';
import type { SpawnOptions, Supervisor } from '../supervisor/supervisor.ts';
import type { InputRecord, ProgramRecord, RunRecord, SpawnRecord } from './run-record.ts';

/** Per process, UTF-8 decoded as it streams: a character may be split between two writes. */
class TextStreams {
  private readonly decoders = new Map<number, TextDecoder>();

  decode(pid: number, bytes: Uint8Array): string {
    let decoder = this.decoders.get(pid);
    if (!decoder) this.decoders.set(pid, (decoder = new TextDecoder()));
    return decoder.decode(bytes, { stream: true });
  }

  /** What each stream still holds (an unfinished character, as U+FFFD), then nothing. */
  *flush(): Generator<[number, string]> {
    for (const [pid, decoder] of this.decoders) {
      const rest = decoder.decode();
      if (rest) yield [pid, rest];
    }
    this.decoders.clear();
  }
}

export class RunRecorder {
  private readonly trimmed: Commit[] = [];
  private readonly spawns: SpawnRecord[] = [];
  private readonly programs: ProgramRecord[] = [];
  private readonly input: InputRecord[] = [];
  private readonly output = new Map<number, string>();
  private readonly inputText = new TextStreams();
  private readonly outputText = new TextStreams();
  private readonly hashes = new WeakMap<Uint8Array, string>(); // a shell spawns the same app's bytes again and again
  private sup: Supervisor | null = null;
  private readonly detach: (() => void)[] = [];

  /** @param zos zos's version, for the record. */
  constructor(private readonly zos: string) {}

  /** The Supervisor's `onTrim`: the commits it drops from memory are kept here, oldest first. */
  readonly onTrim = (dropped: Commit[]): void => {
    for (const c of dropped) this.trimmed.push(c);
  };

  /** Starts listening to `sup`: before its boot, to see every spawn. */
  attach(sup: Supervisor): void {
    this.sup = sup;
    this.detach.push(
      sup.onSpawn(({ pid, name, bytes, options }) => {
        this.spawns.push({ name, options: { pid, ...spawnOptions(options) } });
        this.programs.push({ pid, name, sha256: this.hashOf(bytes) });
      }),
      sup.onInput((pid, bytes) => this.addInput(pid, this.inputText.decode(pid, bytes))),
      sup.onConsole('*', (pid, bytes) => this.output.set(pid, (this.output.get(pid) ?? '') + this.outputText.decode(pid, bytes))),
    );
  }

  /** The record of the run at its end; the recorder stops listening. Throws if commits from Genesis are missing. */
  finish(): RunRecord {
    this.detach.splice(0).forEach((off) => off());
    for (const [pid, rest] of this.inputText.flush()) this.addInput(pid, rest);
    for (const [pid, rest] of this.outputText.flush()) this.output.set(pid, (this.output.get(pid) ?? '') + rest);
    return this.snapshot();
  }

  /**
   * The record of the run so far, the recorder still listening (the page's
   * Export). `earlier`: the commits the supervisor has dropped from memory,
   * where they were kept elsewhere than in this recorder's onTrim (the
   * page's IndexedDB). Throws if commits from Genesis are missing.
   */
  snapshot(earlier: readonly Commit[] = this.trimmed): RunRecord {
    const sup = this.sup;
    if (!sup) throw new Error('the recorder was never attached to a supervisor');
    const view = sup.view;
    const kept = view.commits();
    const commits = earlier.concat(kept);
    const from = kept[0]?.seq ?? view.commitCount();
    const expectedFirst = earlier.length > 0 ? earlier.at(-1)!.seq + 1 : 0;
    if (commits[0]?.seq !== 0 || from !== expectedFirst) {
      throw new Error(`the record lacks commits ${expectedFirst}..${from - 1}: pass the recorder's onTrim to the Supervisor`);
    }
    const stats = view.syslogStats();
    return {
      zos: this.zos,
      endedAt: Date.now(),
      limits: sup.limits(),
      spawns: this.spawns.slice(),
      programs: this.programs.slice(),
      input: this.input.slice(),
      commits,
      syslog: view.syslog(),
      syslogTrimmed: stats.trimmed,
      output: [...this.output].sort(([a], [b]) => a - b).map(([pid, text]) => ({ pid, text })),
      outcomes: view.processes().filter((p) => p.pid !== PID_SUPERVISOR).map((p) => ({
        pid: p.pid, name: p.name, exitCode: p.exitCode, fault: p.fault ? `${p.fault.reason}: ${p.fault.description}` : null,
      })),
      stateHash: view.stateHash(),
    };
  }

  private addInput(pid: number, text: string): void {
    if (text) this.input.push({ pid, text });
  }

  private hashOf(bytes: Uint8Array): string {
    let hash = this.hashes.get(bytes);
    if (hash === undefined) this.hashes.set(bytes, (hash = bytesToHex(sha256(bytes))));
    return hash;
  }
}

/** The options a spawn was given, as JSON-able data: the ones set. */
function spawnOptions(options: SpawnOptions): Record<string, number> {
  const { name, ...rest } = options;
  void name;
  return Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) as Record<string, number>;
}
