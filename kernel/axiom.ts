// Axiom: the two logs every syscall passes through (ABI §7).
//
// SysLog keeps a request and a response event per syscall, bounded, trimming
// the oldest first and counting what it trimmed. CommitLog keeps every state
// change as a SHA-256 hash chain; it is never trimmed, because replay starts
// at Genesis.

import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import {
  canonicalCommit, GENESIS_PREV_HASH, type Commit, type CommitType, type FieldsOf, type UnhashedCommit,
} from './commits.ts';

export interface SysRequest {
  kind: 'request';
  id: number;
  pid: number;
  time: number;
  num: number;
  args: [number, number, number];
  by?: number; // set when the supervisor made the call on the process's behalf
}

export interface SysResponse {
  kind: 'response';
  id: number;
  request_id: number;
  time: number;
  result: number;
}

export type SysLogEntry = SysRequest | SysResponse;

export const DEFAULT_SYSLOG_CAPACITY = 100_000;

/**
 * A ring of the newest `capacity` events, stored column by column in typed
 * arrays: a syscall writes two events, and at hundreds of thousands of
 * syscalls a second, objects per event would keep the collector busy.
 * Entries become objects only when read.
 */
export class SysLog {
  private readonly isResponse: Uint8Array;
  private readonly ids: Float64Array;
  private readonly owner: Float64Array; // the pid of a request, the request id of a response
  private readonly times: Float64Array;
  private readonly ints: Int32Array; // num, a0, a1, a2, result, by (-1: none)
  private start = 0; // ring index of the oldest kept event
  private count = 0;
  private nextId = 1;
  trimmed = 0;

  constructor(readonly capacity = DEFAULT_SYSLOG_CAPACITY) {
    this.isResponse = new Uint8Array(capacity);
    this.ids = new Float64Array(capacity);
    this.owner = new Float64Array(capacity);
    this.times = new Float64Array(capacity);
    this.ints = new Int32Array(capacity * 6);
  }

  request(pid: number, time: number, num: number, a0: number, a1: number, a2: number, by = -1): number {
    const at = this.slot();
    const id = this.nextId++;
    this.isResponse[at] = 0;
    this.ids[at] = id;
    this.owner[at] = pid;
    this.times[at] = time;
    const i = at * 6;
    this.ints[i] = num;
    this.ints[i + 1] = a0;
    this.ints[i + 2] = a1;
    this.ints[i + 3] = a2;
    this.ints[i + 5] = by;
    return id;
  }

  response(requestId: number, time: number, result: number): void {
    const at = this.slot();
    this.isResponse[at] = 1;
    this.ids[at] = this.nextId++;
    this.owner[at] = requestId;
    this.times[at] = time;
    this.ints[at * 6 + 4] = result;
  }

  get length(): number {
    return this.count;
  }

  /** The newest `count` entries (all when omitted), oldest first. */
  tail(count = Infinity): SysLogEntry[] {
    const n = Math.min(count, this.count);
    const out: SysLogEntry[] = [];
    for (let i = this.count - n; i < this.count; i++) out.push(this.entry((this.start + i) % this.capacity));
    return out;
  }

  private entry(at: number): SysLogEntry {
    const v = this.ints.subarray(at * 6, at * 6 + 6);
    if (this.isResponse[at]) {
      return { kind: 'response', id: this.ids[at]!, request_id: this.owner[at]!, time: this.times[at]!, result: v[4]! };
    }
    const e: SysRequest = { kind: 'request', id: this.ids[at]!, pid: this.owner[at]!, time: this.times[at]!, num: v[0]!, args: [v[1]!, v[2]!, v[3]!] };
    if (v[5]! >= 0) e.by = v[5]!;
    return e;
  }

  /** The ring index for a new event, dropping the oldest when full. */
  private slot(): number {
    if (this.count < this.capacity) return (this.start + this.count++) % this.capacity;
    const at = this.start;
    this.start = (this.start + 1) % this.capacity;
    this.trimmed++;
    return at;
  }
}

const encoder = new TextEncoder();
let scratch = new Uint8Array(1024); // reused: hashing runs once per commit, often

export function hashCommit(c: UnhashedCommit): string {
  const text = canonicalCommit(c);
  if (text.length * 3 > scratch.length) scratch = new Uint8Array(text.length * 3);
  const { written } = encoder.encodeInto(text, scratch);
  return bytesToHex(sha256(scratch.subarray(0, written)));
}

export function sha256Hex(text: string): string {
  return bytesToHex(sha256(utf8ToBytes(text)));
}

export type IntegrityReport =
  | { ok: true; commits: number; head: string }
  | { ok: false; commits: number; badSeq: number; reason: string };

/**
 * What is wrong with commit `i` of a chain whose previous hash is `prev`, or
 * null: its seq, its link, its hash. Verification and replay both ask this.
 */
export function chainFault(c: Commit, i: number, prev: string): string | null {
  if (c.seq !== i) return `commit ${i} carries seq ${c.seq}`;
  if (i === 0 && c.type !== 'Genesis') return 'the chain does not start with Genesis';
  if (c.prev_hash !== prev) return `commit ${i} does not link to the hash of commit ${i - 1}`;
  try {
    if (hashCommit(c) !== c.hash) return `commit ${i} does not match its hash (tampered)`;
  } catch (e) {
    return `commit ${i} cannot be encoded: ${(e as Error).message}`;
  }
  return null;
}

/** Checks sequence numbers, links and hashes of a chain that starts at Genesis. */
export function verifyChain(commits: readonly Commit[]): IntegrityReport {
  let prev = GENESIS_PREV_HASH;
  for (let i = 0; i < commits.length; i++) {
    const reason = chainFault(commits[i]!, i, prev);
    if (reason) return { ok: false, commits: commits.length, badSeq: i, reason };
    prev = commits[i]!.hash;
  }
  return { ok: true, commits: commits.length, head: prev };
}

export class CommitLog {
  readonly commits: Commit[] = [];

  /** Appends a commit; it is frozen, so no reader of the log can change it. */
  append<T extends CommitType>(time: number, type: T, fields: FieldsOf<T>, causedBy: number | null): Commit {
    const last = this.commits[this.commits.length - 1];
    const body = {
      seq: this.commits.length, prev_hash: last ? last.hash : GENESIS_PREV_HASH,
      time, type, fields: Object.freeze(fields), caused_by: causedBy,
    } as UnhashedCommit;
    const commit = Object.freeze({ ...body, hash: hashCommit(body) }) as Commit;
    this.commits.push(commit);
    return commit;
  }

  verifyIntegrity(): IntegrityReport {
    return verifyChain(this.commits);
  }
}
