// Axiom: the two logs every syscall passes through (ABI §7).
//
// SysLog keeps a request and a response event per syscall, bounded, trimming
// the oldest first and counting what it trimmed. CommitLog keeps every state
// change as a SHA-256 hash chain; the live kernel may keep only its tail in
// memory, from a checkpoint on (checkpoint.ts).

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

/** SHA-256 of some bytes, as lowercase hex. */
export type Sha256Hex = (bytes: Uint8Array) => string;

const nobleSha256: Sha256Hex = (bytes) => bytesToHex(sha256(bytes));
let sha256Hex_: Sha256Hex = nobleSha256;

/**
 * Hashes with another implementation of SHA-256 from now on. Every one gives
 * the same digests, so this changes only speed: the supervisor hands the
 * kernel a faster one where the host has it (a WASM or native SHA-256), and
 * @noble/hashes, audited and pure, is the default.
 */
export function useSha256(impl: Sha256Hex): void {
  sha256Hex_ = impl;
}

const encoder = new TextEncoder();
let scratch = new Uint8Array(1024); // reused: hashing runs once per commit, often

export function hashCommit(c: UnhashedCommit): string {
  const text = canonicalCommit(c);
  if (text.length * 3 > scratch.length) scratch = new Uint8Array(text.length * 3);
  const { written } = encoder.encodeInto(text, scratch);
  return sha256Hex_(scratch.subarray(0, written));
}

export function sha256Hex(text: string): string {
  return sha256Hex_(utf8ToBytes(text));
}

export type IntegrityReport =
  | { ok: true; commits: number; head: string }
  | { ok: false; commits: number; badSeq: number; reason: string };

/** Where a chain starts: after Genesis's empty past, or after a checkpoint's commit. */
export interface ChainStart {
  seq: number; // the seq of the last commit before the chain (-1: none, the chain starts at Genesis)
  head: string; // that commit's hash
}

export const GENESIS_START: ChainStart = { seq: -1, head: GENESIS_PREV_HASH };

/**
 * What is wrong with commit `c`, expected to be seq `seq` after a commit
 * whose hash is `prev`, or null: its seq, its link, its hash. Verification
 * and replay both ask this.
 */
export function chainFault(c: Commit, seq: number, prev: string): string | null {
  if (c.seq !== seq) return `commit ${seq} carries seq ${c.seq}`;
  if (seq === 0 && c.type !== 'Genesis') return 'the chain does not start with Genesis';
  if (c.prev_hash !== prev) return `commit ${seq} does not link to the hash of commit ${seq - 1}`;
  try {
    if (hashCommit(c) !== c.hash) return `commit ${seq} does not match its hash (tampered)`;
  } catch (e) {
    return `commit ${seq} cannot be encoded: ${(e as Error).message}`;
  }
  return null;
}

/** Checks sequence numbers, links and hashes of a chain from Genesis, or from `start`. */
export function verifyChain(commits: readonly Commit[], start: ChainStart = GENESIS_START): IntegrityReport {
  let prev = start.head;
  const total = start.seq + 1 + commits.length;
  for (let i = 0; i < commits.length; i++) {
    const reason = chainFault(commits[i]!, start.seq + 1 + i, prev);
    if (reason) return { ok: false, commits: total, badSeq: start.seq + 1 + i, reason };
    prev = commits[i]!.hash;
  }
  return { ok: true, commits: total, head: prev };
}

/**
 * The CommitLog: every commit is chained to the one before it. The live
 * kernel may keep only a tail of it in memory (`dropBefore`), from a
 * checkpoint on; seqs stay absolute.
 */
export class CommitLog {
  private tail: Commit[] = [];
  private base = 0; // seq of tail[0]
  private start: ChainStart = GENESIS_START; // what the tail hangs from
  private last = GENESIS_PREV_HASH; // the newest commit's hash

  /** How many commits there have been: the next seq. */
  get length(): number {
    return this.base + this.tail.length;
  }

  /** The seq of the first commit kept in memory. */
  get first(): number {
    return this.base;
  }

  /** The hash of the newest commit. */
  get head(): string {
    return this.last;
  }

  /** Appends a commit; it is frozen, so no reader of the log can change it. */
  append<T extends CommitType>(time: number, type: T, fields: FieldsOf<T>, causedBy: number | null): Commit {
    const commit = { seq: this.length, prev_hash: this.last, time, type, fields: Object.freeze(fields), caused_by: causedBy, hash: '' };
    commit.hash = hashCommit(commit as UnhashedCommit);
    this.last = commit.hash;
    this.tail.push(Object.freeze(commit) as Commit);
    return commit as Commit;
  }

  /** The kept commits with seq in [from, to). */
  range(from = this.base, to = this.length): Commit[] {
    return this.tail.slice(Math.max(0, from - this.base), Math.max(0, to - this.base));
  }

  /** Forgets the commits before `seq`, returning them (the caller keeps them elsewhere, or a checkpoint covers them). */
  dropBefore(seq: number): Commit[] {
    const n = Math.min(Math.max(0, seq - this.base), this.tail.length);
    if (n === 0) return [];
    const dropped = this.tail.splice(0, n);
    const last = dropped[dropped.length - 1]!;
    this.start = { seq: last.seq, head: last.hash };
    this.base += n;
    return dropped;
  }

  /** Verifies the kept tail, from Genesis or from where it was cut. */
  verifyIntegrity(): IntegrityReport {
    return verifyChain(this.tail, this.start);
  }
}
