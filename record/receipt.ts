// Signed execution receipts: what ran, on what, with what result, signed
// with Ed25519 so that a third party can check it.
//
// A receipt holds the SHA-256 of each program, a commitment to the spawn
// arguments and the console input, one to each process's output, the exit
// codes and faults, the limits, the CommitLog's length and head, a
// commitment to the SysLog, the final state hash and when. Each of those
// fields has a digest (SHA-256 of its canonical JSON) in `digests`, and the
// signature covers the digests: so verification names the field that was
// changed, and a changed digest breaks the signature.
//
// With the run's trace, verification goes further: the trace's chain is
// verified and replayed to the receipt's state hash, and every commitment is
// recomputed from the trace.

import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { z } from 'zod';
import { count, describeIssue, hex64, int } from './log-schemas.ts';
import type { RunRecord } from './run-record.ts';

export const RECEIPT_KIND = 'zos-receipt';
export const RECEIPT_VERSION = 1;

/** JSON with object keys sorted at every level: the same value always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

const digest = (value: unknown): string => bytesToHex(sha256(utf8ToBytes(canonicalJson(value))));

const hex = (bytes: number) => z.string().regex(new RegExp(`^[0-9a-f]{${bytes * 2}}$`), `${bytes} bytes as hex`);

const signedFields = {
  zos: z.string(),
  when: z.string(),
  programs: z.array(z.object({ pid: count, name: z.string(), sha256: hex64 })),
  input: hex64,
  outputs: z.array(z.object({ pid: count, name: z.string(), sha256: hex64, exitCode: int.nullable(), fault: z.string().nullable() })),
  limits: z.record(z.string(), z.number()),
  commitLog: z.object({ length: count, head: hex64 }),
  syslog: hex64,
  stateHash: hex64,
  publicKey: hex(32),
};
type SignedField = keyof typeof signedFields;
const SIGNED: SignedField[] = Object.keys(signedFields) as SignedField[];

export const receiptSchema = z.object({
  kind: z.literal(RECEIPT_KIND),
  version: z.literal(RECEIPT_VERSION),
  ...signedFields,
  digests: z.object(Object.fromEntries(SIGNED.map((f) => [f, hex64])) as Record<SignedField, typeof hex64>),
  signature: hex(64),
});
export type Receipt = z.infer<typeof receiptSchema>;

/** An Ed25519 key pair; the secret stays where it was made (a config file, IndexedDB). */
export interface SigningKey {
  secretKey: Uint8Array;
  publicKey: Uint8Array;
}

export function newSigningKey(): SigningKey {
  const { secretKey, publicKey } = ed25519.keygen();
  return { secretKey, publicKey };
}

export function signingKeyFromSecret(secretKey: Uint8Array): SigningKey {
  return { secretKey, publicKey: ed25519.getPublicKey(secretKey) };
}

/** What a receipt commits to, computed from a run (or from its trace, to check a receipt). */
function commitments(run: RunRecord): Omit<Record<SignedField, unknown>, 'publicKey' | 'when'> {
  const last = run.commits.at(-1);
  return {
    zos: run.zos,
    programs: run.programs.map(({ pid, name, sha256: h }) => ({ pid, name, sha256: h })),
    input: digest({ spawns: run.spawns, input: run.input }),
    outputs: run.outcomes.map((o) => ({
      ...o, sha256: digest(run.output.filter((x) => x.pid === o.pid).map((x) => x.text).join('')),
    })),
    limits: run.limits,
    commitLog: { length: run.commits.length, head: last ? last.hash : '0'.repeat(64) },
    syslog: digest({ events: run.syslog, trimmed: run.syslogTrimmed }),
    stateHash: run.stateHash,
  };
}

export function makeReceipt(run: RunRecord, key: SigningKey): Receipt {
  const fields = {
    ...commitments(run), when: new Date(run.endedAt).toISOString(), publicKey: bytesToHex(key.publicKey),
  } as Record<SignedField, unknown>;
  const digests = Object.fromEntries(SIGNED.map((f) => [f, digest(fields[f])])) as Record<SignedField, string>;
  const signature = bytesToHex(ed25519.sign(utf8ToBytes(canonicalJson(digests)), key.secretKey));
  return receiptSchema.parse({ kind: RECEIPT_KIND, version: RECEIPT_VERSION, ...fields, digests, signature });
}

export class ReceiptError extends Error {
  override readonly name = 'ReceiptError';
  /** The receipt field at fault, when there is one. */
  constructor(message: string, readonly field?: string) {
    super(message);
  }
}

/** Parses a receipt file and checks it; throws a ReceiptError naming the field at fault. */
export function verifyReceipt(file: string, trace?: RunRecord): Receipt {
  let value: unknown;
  try {
    value = JSON.parse(file);
  } catch {
    throw new ReceiptError('the receipt is not JSON');
  }
  if ((value as { kind?: unknown })?.kind !== RECEIPT_KIND) throw new ReceiptError('not a zos receipt (kind "zos-receipt")', 'kind');
  if ((value as { version?: unknown }).version !== RECEIPT_VERSION) {
    throw new ReceiptError(`the receipt is version ${String((value as { version?: unknown }).version)}; this zos reads version ${RECEIPT_VERSION}`, 'version');
  }
  const parsed = receiptSchema.safeParse(value);
  if (!parsed.success) {
    throw new ReceiptError(`malformed receipt: ${describeIssue(parsed.error)}`, String(parsed.error.issues[0]?.path[0] ?? ''));
  }
  const r = parsed.data;
  for (const f of SIGNED) {
    if (digest(r[f]) !== r.digests[f]) throw new ReceiptError(`field "${f}" was changed: it does not match its signed digest`, f);
  }
  let valid = false;
  try {
    valid = ed25519.verify(hexToBytes(r.signature), utf8ToBytes(canonicalJson(r.digests)), hexToBytes(r.publicKey));
  } catch {
    valid = false;
  }
  if (!valid) throw new ReceiptError('the signature does not verify: the digests, the signature or the public key was changed', 'signature');
  if (trace) checkAgainstTrace(r, trace);
  return r;
}

/** Every commitment of the receipt, recomputed from the run's trace (already verified and replayed). */
function checkAgainstTrace(r: Receipt, trace: RunRecord): void {
  const expected = commitments(trace);
  const order: (keyof typeof expected)[] = ['commitLog', 'stateHash', 'programs', 'input', 'outputs', 'syslog', 'limits', 'zos'];
  for (const f of order) {
    if (canonicalJson(expected[f]) !== canonicalJson(r[f])) {
      throw new ReceiptError(`the trace does not match the receipt's "${f}": ${mismatch(f, r[f], expected[f])}`, f);
    }
  }
}

function mismatch(field: string, signed: unknown, found: unknown): string {
  if (field === 'commitLog') {
    const s = signed as { length: number; head: string };
    const t = found as { length: number; head: string };
    return `the receipt signs ${s.length} commits ending ${s.head.slice(0, 12)}…, the trace has ${t.length} ending ${t.head.slice(0, 12)}…`;
  }
  if (field === 'stateHash') return `replaying the trace gives ${String(found).slice(0, 16)}…, the receipt signs ${String(signed).slice(0, 16)}…`;
  return 'the values differ';
}
