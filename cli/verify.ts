// `zos verify`: checks a receipt (its schema, each field against its signed
// digest, the Ed25519 signature) and, given the run's trace, reads the trace
// (every line against its schema, the chain from Genesis, a replay to its
// state hash) and recomputes every commitment of the receipt from it. Usage
// and exit statuses: cli/usage.ts (VERIFY_USAGE).

import { parseArgs } from 'node:util';
import { ReceiptError, verifyReceipt, type Receipt } from '../record/receipt.ts';
import { MAX_TRACE_BYTES, readTrace, TraceError, type ParsedTrace } from '../record/trace.ts';
import { installFastSha256 } from '../supervisor/fast-sha256.ts';
import { nodeSha256 } from '../supervisor/sha256-node.ts';
import { existingReceiptKey, keyFingerprint } from './receipt-key.ts';
import { UsageError } from './usage-error.ts';
import { VERIFY_USAGE } from './usage.ts';
import { readStdin, readUserFile } from './user-file.ts';

/** A receipt is a few kB; this leaves room for a run of thousands of processes. */
export const MAX_RECEIPT_BYTES = 16 * 1024 * 1024;

const RECEIPT = { noun: 'a receipt', hint: 'a receipt is the JSON file `zos run --receipt` writes' };
const TRACE = { noun: 'a trace', hint: 'a trace is the JSON Lines file `zos run --trace` writes' };

export async function verify(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { trace: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  } catch (e) {
    throw new UsageError((e as Error).message, 'verify');
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${VERIFY_USAGE}\n`);
    return 0;
  }
  if (positionals.length > 1) throw new UsageError(`verify takes one receipt, got ${positionals.length} files`, 'verify');
  const receiptPath = positionals[0];
  const tracePath = values.trace;
  if (receiptPath === undefined && tracePath === undefined) throw new UsageError('verify needs a receipt, a --trace, or both', 'verify');
  if (tracePath === '') throw new UsageError('--trace needs a file name', 'verify');
  if (receiptPath === '-' && tracePath === '-') throw new UsageError('only one of the receipt and the trace can be standard input ("-")', 'verify');
  // Both files are read before anything is checked: one that cannot be read is a usage error (exit 2), whatever the other holds.
  const receiptText = receiptPath === undefined ? undefined : await readText(receiptPath, MAX_RECEIPT_BYTES, RECEIPT);
  const traceText = tracePath === undefined ? undefined : await readText(tracePath, MAX_TRACE_BYTES, TRACE);
  await installFastSha256(nodeSha256); // the chain and the replay hash every commit

  let receipt: Receipt | undefined;
  if (receiptText !== undefined) {
    try {
      if (receiptText.problem) throw new ReceiptError(receiptText.problem);
      receipt = verifyReceipt(receiptText.text);
    } catch (e) {
      return refuse(e, `receipt ${named(receiptPath!)} refused: ${(e as Error).message}`);
    }
    process.stdout.write(`${receiptLine(receipt)}\n`);
  }
  if (traceText === undefined) return 0;
  let trace: ParsedTrace;
  try {
    if (traceText.problem) throw new TraceError(traceText.problem);
    trace = readTrace(traceText.text);
  } catch (e) {
    return refuse(e, `trace ${named(tracePath!)} refused: ${(e as Error).message}`);
  }
  if (receipt) {
    try {
      verifyReceipt(receiptText!.text, trace);
    } catch (e) {
      return refuse(e, `trace ${named(tracePath!)} is not the run of receipt ${named(receiptPath!)}: ${(e as Error).message}`);
    }
  }
  process.stdout.write(`${traceLine(trace, receipt !== undefined)}\n`);
  return 0;
}

/** A file as messages name it. */
const named = (path: string): string => (path === '-' ? 'on standard input' : `"${path}"`);

/** A file's text; `problem` says why it is not UTF-8 (then the text is empty). */
async function readText(path: string, maxBytes: number, kind: { noun: string; hint: string }): Promise<{ text: string; problem?: string }> {
  const bytes = path === '-' ? await readStdin(maxBytes, kind) : await readUserFile(path, maxBytes, kind);
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch (e) {
    if (e instanceof RangeError) { // past V8's longest string (about 512 Mi characters)
      return { text: '', problem: `the file's ${bytes.length} bytes are more text than one string can hold here` };
    }
    return { text: '', problem: `the file is not UTF-8 text: not ${kind.noun}` };
  }
}

/** A check that failed: one line on stderr, exit 1. What is not a receipt's or a trace's own error goes up (an internal error). */
function refuse(e: unknown, line: string): number {
  if (!(e instanceof ReceiptError || e instanceof TraceError)) throw e;
  process.stderr.write(`zos verify: ${line}\n`);
  return 1;
}

function receiptLine(r: Receipt): string {
  const mine = existingKeyFingerprint() === keyFingerprint(r.publicKey) ? ' (your key)' : '';
  const names = r.programs.map((p) => p.name).join(', ');
  return `receipt ok: signed by ${keyFingerprint(r.publicKey)}${mine} at ${r.when}, ${r.programs.length} programs (${names}), `
    + `commit log ${r.commitLog.length} commits head ${r.commitLog.head.slice(0, 16)}…, state hash ${r.stateHash.slice(0, 16)}…`;
}

function traceLine(t: ParsedTrace, againstReceipt: boolean): string {
  return `trace ok: ${t.commits.length} commits from Genesis, chain verified, replayed to state hash ${t.stateHash.slice(0, 16)}…; `
    + `${t.syslog.length} SysLog events, ${t.outcomes.length} processes`
    + `${againstReceipt ? '; every commitment of the receipt recomputed from it and matched' : ''}`;
}

/** The fingerprint of this user's receipt key, if there is a readable one: to say that a receipt was signed here. */
function existingKeyFingerprint(): string | null {
  try {
    const found = existingReceiptKey();
    return found ? keyFingerprint(found.key.publicKey) : null;
  } catch {
    return null; // a broken key file is `zos run --receipt`'s to report, not verify's
  }
}
