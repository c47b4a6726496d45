// Traces, receipts and the Chrome trace of a run (record/): a trace reads
// back to the same state; a receipt verifies, alone and against its trace;
// and flipping any byte of either is caught, at the field or commit it hit.

import { describe, expect, it } from 'vitest';
import { chromeTrace } from '../../record/chrome-trace.ts';
import { makeReceipt, newSigningKey, ReceiptError, verifyReceipt } from '../../record/receipt.ts';
import type { RunRecord } from '../../record/run-record.ts';
import { MAX_TRACE_BYTES, readTrace, TraceError, traceText } from '../../record/trace.ts';
import { commitRecord, sysLogEntryRecord, sysRequestRecord, sysResponseRecord, type RecordShape } from '../../record/log-schemas.ts';
import { A, richHistory } from '../kernel/helpers.ts';

/** A run as the recorder would give it, from a kernel with every kind of commit. */
function aRun(): RunRecord {
  const k = richHistory();
  const procs = k.processes().filter((p) => p.pid !== A.PID_SUPERVISOR);
  return {
    zos: '0.1.0', endedAt: Date.UTC(2026, 10, 30, 12), limits: { memoryLimitPages: 256, maxProcesses: A.MAX_PROCESSES },
    spawns: [{ name: 'p3', options: {} }], input: [{ pid: 3, text: 'input' }],
    programs: procs.map((p) => ({ pid: p.pid, name: p.name, sha256: 'ab'.repeat(32) })),
    commits: [...k.commits], syslog: k.syslog.tail(), syslogTrimmed: k.syslog.trimmed,
    output: [{ pid: 3, text: 'hello\n' }, { pid: 4, text: 'é✓\n' }],
    outcomes: procs.map((p) => ({ pid: p.pid, name: p.name, exitCode: p.exitCode, fault: p.fault?.reason ?? null })),
    stateHash: k.stateHash(),
  };
}

/** Every `step`-th character of `text` changed to another one. */
function* flips(text: string, step: number): Generator<[number, string]> {
  for (let i = 0; i < text.length; i += step) {
    const c = text.charCodeAt(i);
    yield [i, text.slice(0, i) + String.fromCharCode(c === 0x31 ? 0x32 : c ^ 1) + text.slice(i + 1)];
  }
}

describe('traces', () => {
  it('read back to the same run: every commit, event, output and outcome, verified and replayed', () => {
    const run = aRun();
    const back = readTrace(traceText(run));
    expect(back.verified).toBe(true);
    const { verified, ...rest } = back;
    void verified;
    expect(rest).toEqual(run);
  });

  it('refuse a truncated, empty, oversized, wrong-version or hand-edited file with the line or commit at fault', () => {
    const text = traceText(aRun());
    const lines = text.trimEnd().split('\n');
    expect(() => readTrace(lines.slice(0, -3).join('\n'))).toThrow(/truncated/);
    expect(() => readTrace('')).toThrow(/empty/);
    expect(() => readTrace('{"kind":"zos-trace","version":2}')).toThrow(/version 2; this zos reads version 1/);
    expect(() => readTrace('hello')).toThrow(/line 1 is not a JSON object/);
    expect(() => readTrace(text, text.length - 1)).toThrow(/at most/);
    expect(MAX_TRACE_BYTES).toBeGreaterThan(100 * 1024 * 1024);
    const commitLine = lines.findIndex((l) => l.includes('"CapGranted"'));
    const edited = [...lines];
    edited[commitLine] = edited[commitLine]!.replace(/"perms":\d/, '"perms":7');
    const seq = JSON.parse(lines[commitLine]!).seq as number;
    expect(() => readTrace(edited.join('\n'))).toThrow(new RegExp(`commit ${seq}: commit ${seq} does not match its hash`));
    const line = commitLine + 1;
    for (const [bad, message] of [
      ['"perms":"7"', `line ${line}: fields: CapGranted.perms must be an integer`],
      ['"perms":7,"extra":1', `line ${line}: fields: CapGranted has no field extra`],
    ] as const) {
      edited[commitLine] = lines[commitLine]!.replace(/"perms":\d/, bad);
      expect(() => readTrace(edited.join('\n'))).toThrow(message);
    }
    edited[commitLine] = lines[commitLine]!.replace(/"fields":\{[^}]*\}/, '"fields":[1]');
    expect(() => readTrace(edited.join('\n'))).toThrow(`line ${line}: fields: an object`);
  });

  it('a flipped byte anywhere is caught: the trace alone, or the receipt checked against it', () => {
    const run = aRun();
    const receipt = JSON.stringify(makeReceipt(run, newSigningKey()));
    const text = traceText(run);
    let caught = 0;
    for (const [at, bad] of flips(text, 37)) {
      let message = '';
      try {
        verifyReceipt(receipt, readTrace(bad));
      } catch (e) {
        expect(e instanceof TraceError || e instanceof ReceiptError, String(e)).toBe(true);
        message = (e as Error).message;
      }
      expect(message, `byte ${at} (${JSON.stringify(text.slice(at - 10, at + 10))}) was not caught`).not.toBe('');
      caught++;
    }
    expect(caught).toBeGreaterThan(200);
  });
});

describe('receipts', () => {
  it('verify alone and against their trace', () => {
    const run = aRun();
    const key = newSigningKey();
    const receipt = makeReceipt(run, key);
    expect(receipt.commitLog).toEqual({ length: run.commits.length, head: run.commits.at(-1)!.hash });
    expect(receipt.stateHash).toBe(run.stateHash);
    expect(receipt.outputs.map((o) => o.pid)).toEqual(run.outcomes.map((o) => o.pid));
    expect(verifyReceipt(JSON.stringify(receipt))).toEqual(receipt);
    expect(verifyReceipt(JSON.stringify(receipt), readTrace(traceText(run)))).toEqual(receipt);
  });

  it('a changed value, or its changed digest, is named', () => {
    const r = JSON.parse(JSON.stringify(makeReceipt(aRun(), newSigningKey())));
    r.outputs[0].exitCode = 9;
    expect(() => verifyReceipt(JSON.stringify(r))).toThrow(/field "outputs" was changed/);
    r.digests.outputs = '0'.repeat(64);
    expect(() => verifyReceipt(JSON.stringify(r))).toThrow(/field "outputs" was changed/);
  });

  it('a flipped byte is refused at the field it hit: the field, its digest, or the signature', () => {
    const receipt = JSON.stringify(makeReceipt(aRun(), newSigningKey()), null, 1);
    const original = JSON.parse(receipt) as Record<string, unknown>;
    // Where each top-level field's line(s) start: JSON.stringify(…, null, 1) puts each at one space of indent.
    const starts = [...receipt.matchAll(/^ "(\w+)": /gm)].map((m) => ({ at: m.index, field: m[1]! }));
    const fieldAt = (i: number): string | undefined => starts.filter((s) => s.at <= i).at(-1)?.field;
    let named = 0;
    for (const [at, bad] of flips(receipt, 1)) {
      let error: ReceiptError | undefined;
      try {
        verifyReceipt(bad);
      } catch (e) {
        error = e as ReceiptError;
      }
      expect(error, `byte ${at} of the receipt was not caught`).toBeInstanceOf(ReceiptError);
      let parsed: Record<string, unknown>;
      try {
        parsed = JSON.parse(bad);
      } catch {
        expect(error!.message).toMatch(/not JSON/);
        continue;
      }
      const hit = fieldAt(at)!;
      // A changed digest names the field it is the digest of (or "digests" when it is no longer a digest at all).
      const digestOf = hit === 'digests'
        ? Object.keys(original.digests as object).find((f) => (parsed.digests as Record<string, string>)?.[f] !== (original.digests as Record<string, string>)[f])
        : undefined;
      expect([hit, digestOf], `byte ${at} (${JSON.stringify(receipt.slice(at - 8, at + 8))}): ${error!.message}`).toContain(error!.field);
      named++;
    }
    expect(named).toBeGreaterThan(receipt.length / 2);
  });

  it('a receipt for another run fails against this trace, naming what differs', () => {
    const run = aRun();
    const other = { ...run, output: [{ pid: 3, text: 'something else\n' }] };
    const receipt = JSON.stringify(makeReceipt(other, newSigningKey()));
    expect(() => verifyReceipt(receipt, readTrace(traceText(run)))).toThrow(/does not match the receipt's "outputs"/);
    const shorter = { ...run, commits: run.commits.slice(0, -1) };
    expect(() => verifyReceipt(JSON.stringify(makeReceipt(shorter, newSigningKey())), readTrace(traceText(run))))
      .toThrow(/"commitLog": the receipt signs \d+ commits/);
  });
});

describe('the Chrome trace', () => {
  it('parses, has a track per process, a slice per answered syscall, and message flows', () => {
    const run = aRun();
    const trace = JSON.parse(JSON.stringify(chromeTrace(run))) as ReturnType<typeof chromeTrace>;
    const threads = trace.traceEvents.filter((e) => e.name === 'thread_name');
    const pids = new Set(run.commits.filter((c) => c.type === 'ProcessCreated').map((c) => (c.fields as { pid: number }).pid));
    expect(new Set(threads.map((t) => t.tid))).toEqual(pids);
    const slices = trace.traceEvents.filter((e) => e.ph === 'X');
    expect(slices.length).toBe(run.syslog.filter((e) => e.kind === 'request').length);
    expect(slices.every((s) => s.dur! >= 0 && typeof s.args?.result === 'string')).toBe(true);
    const starts = trace.traceEvents.filter((e) => e.ph === 's');
    const ends = trace.traceEvents.filter((e) => e.ph === 'f');
    expect(starts.length).toBeGreaterThan(0);
    expect(ends.map((e) => e.id).sort()).toEqual(starts.map((e) => e.id).sort());
  });
});

describe('log record shapes: the quick check and the schema agree', () => {
  const BAD_VALUES: unknown[] = [undefined, null, -1, 1.5, 2 ** 31, -(2 ** 31) - 1, Number.MAX_SAFE_INTEGER + 2, 'x', '', [], {}, true,
    'a'.repeat(64), 'A'.repeat(64), '0'.repeat(63), 'Genesis', 'NoSuchType', [1, 2], [1, 2, 3], [1, 2, 2 ** 31]];
  const k = richHistory();
  const commit = k.view.commits().find((c) => c.type === 'CapGranted')!;
  const request = k.view.syslog().find((e) => e.kind === 'request')!;
  const response = k.view.syslog().find((e) => e.kind === 'response')!;
  const cases: [string, RecordShape<unknown>, Record<string, unknown>][] = [
    ['commit', commitRecord, { ...commit }], ['request', sysRequestRecord, { ...request }], ['response', sysResponseRecord, { ...response }],
    ['SysLog entry (a request)', sysLogEntryRecord, { ...request }], ['SysLog entry (a response)', sysLogEntryRecord, { ...response }],
  ];
  for (const [name, shape, good] of cases) {
    it(`${name}: every field set to every odd value, an extra field, a field of its fields changed`, () => {
      const variants: Record<string, unknown>[] = [good, { ...good, extra: 1 }];
      for (const key of [...Object.keys(good), 'by']) for (const bad of BAD_VALUES) variants.push({ ...good, [key]: bad });
      if (name === 'commit') {
        const fields = good.fields as Record<string, unknown>;
        for (const key of [...Object.keys(fields), 'extra']) for (const bad of BAD_VALUES) variants.push({ ...good, fields: { ...fields, [key]: bad } });
      }
      for (const v of variants) {
        const quick = shape.read(v);
        const full = shape.schema.safeParse(v);
        expect(quick !== null, JSON.stringify(v)).toBe(full.success);
        if (quick !== null && full.success) expect(quick).toEqual(full.data);
        expect(shape.parse(v).success).toBe(full.success);
      }
      expect(shape.read(good)).not.toBeNull();
    });
  }
});
