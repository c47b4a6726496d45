// `zos run --receipt/--trace/--chrome-trace` and `zos verify` end to end: a
// real run writes a signed receipt and its traces, the key made on first use
// in the config directory; `zos verify` accepts them, and refuses a changed
// byte of the receipt (naming the field), a changed commit of the trace
// (naming its seq), and a truncated, oversized, wrong-version, non-JSON,
// missing or directory file, each in one line.

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_TRACE_BYTES, readTrace } from '../../record/trace.ts';
import { oneLine, zos } from './helpers.ts';

describe('zos run --receipt --trace --chrome-trace, then zos verify', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zos-record-'));
  const env = { ZOS_CONFIG_DIR: join(dir, 'config') };
  const at = (name: string): string => join(dir, name);
  const verify = (...args: string[]) => zos(['verify', ...args], { env });
  let run: Awaited<ReturnType<typeof zos>>;
  let again: Awaited<ReturnType<typeof zos>>;
  let fingerprint = '';
  beforeAll(async () => {
    run = await zos(['run', '--json', '--receipt', at('r.json'), '--trace', at('t.jsonl'), '--chrome-trace', at('c.json'), 'terminal', 'hello'],
      { env, stdin: 'echo hé ✓\n' }, 40_000);
    fingerprint = /signed by key ([0-9a-f]{16})/.exec(run.stderr)?.[1] ?? '';
    again = await zos(['run', '--receipt', at('r2.json'), 'hello'], { env });
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes all three, says where and with which key, and makes the key on first use (mode 0600)', () => {
    expect(run.code, run.stderr).toBe(0);
    const key = join(env.ZOS_CONFIG_DIR, 'receipt-key');
    expect(run.stderr).toContain(`zos: made a receipt signing key, kept in ${key}\n`);
    expect(run.stderr).toMatch(new RegExp(`zos: receipt written to ${at('r.json')}: 4 programs, \\d+ commits, state hash [0-9a-f]{16}…, signed by key [0-9a-f]{16}\\n`));
    expect(run.stderr).toContain(`zos: trace written to ${at('t.jsonl')}: `);
    expect(run.stderr).toContain(`zos: Chrome trace written to ${at('c.json')}: open it in https://ui.perfetto.dev`);
    expect(statSync(key).mode & 0o777).toBe(0o600);
    expect(readFileSync(key, 'utf8')).toMatch(/^[0-9a-f]{64}\n$/);
    const receipt = JSON.parse(readFileSync(at('r.json'), 'utf8'));
    expect(receipt.publicKey.startsWith(fingerprint)).toBe(true);
    expect(receipt.programs.map((p: { name: string }) => p.name)).toEqual(['init', 'permission', 'terminal', 'hello']);
  });

  it('the trace reads back to the run: the same state hash and counts as the run\'s own summary', () => {
    const summary = JSON.parse(run.stdout);
    const trace = readTrace(readFileSync(at('t.jsonl'), 'utf8'));
    expect(trace.stateHash).toBe(summary.stateHash);
    expect(trace.commits.length).toBe(summary.commits);
    expect(trace.syslog.length + trace.syslogTrimmed).toBe(summary.syslog);
    expect(trace.input.filter((i) => i.pid === 3).map((i) => i.text).join('')).toBe('echo hé ✓\n\x04');
    const terminal = summary.processes.find((p: { name: string }) => p.name === 'terminal');
    expect(trace.output.find((o) => o.pid === 3)?.text).toBe(terminal.output);
    expect(trace.output.find((o) => o.pid === 4)?.text).toBe('Hello from zos! I am pid 4\n');
    expect(trace.outcomes.find((o) => o.pid === 4)).toEqual({ pid: 4, name: 'hello', exitCode: 0, fault: null });
  });

  it('zos verify accepts the receipt alone, with its trace, and the trace alone: one line each', async () => {
    const alone = await verify(at('r.json'));
    expect(alone).toMatchObject({ code: 0, stderr: '' });
    expect(alone.stdout).toMatch(new RegExp(`^receipt ok: signed by ${fingerprint} \\(your key\\) at \\S+, 4 programs \\(init, permission, terminal, hello\\), commit log \\d+ commits head [0-9a-f]{16}…, state hash [0-9a-f]{16}…\\n$`));
    const both = await verify(at('r.json'), '--trace', at('t.jsonl'));
    expect(both).toMatchObject({ code: 0, stderr: '' });
    const [receiptLine, traceLine, ...more] = both.stdout.trimEnd().split('\n');
    expect(receiptLine).toBe(alone.stdout.trimEnd());
    expect(traceLine).toMatch(/^trace ok: \d+ commits from Genesis, chain verified, replayed to state hash [0-9a-f]{16}…; \d+ SysLog events, 4 processes; every commitment of the receipt recomputed from it and matched$/);
    expect(more).toEqual([]);
    const traceAlone = await zos(['verify', '--trace', at('t.jsonl')], { env: { ZOS_CONFIG_DIR: at('elsewhere') } });
    expect(traceAlone.code).toBe(0);
    expect(traceAlone.stdout).toMatch(/^trace ok: .*4 processes\n$/);
    const fromStdin = await zos(['verify', '-', '--trace', at('t.jsonl')], { env, stdin: readFileSync(at('r.json'), 'utf8') });
    expect(fromStdin).toMatchObject({ code: 0, stdout: both.stdout });
    const badStdin = await zos(['verify', '-'], { env, stdin: 'garbage' });
    expect(badStdin.code).toBe(1);
    expect(oneLine(badStdin.stderr)).toBe('zos verify: receipt on standard input refused: the receipt is not JSON');
    // Another user (another config dir) sees the same signer, not "your key".
    expect((await zos(['verify', at('r.json')], { env: { ZOS_CONFIG_DIR: at('elsewhere') } })).stdout).not.toContain('your key');
  }, 60_000);

  it('a second run signs with the same key, made once', () => {
    expect(again.code).toBe(0);
    expect(again.stderr).not.toContain('made a receipt signing key');
    expect(again.stderr).toContain(`signed by key ${fingerprint}`);
  });

  it('a changed byte of the receipt is refused, naming the field it hit', async () => {
    const text = readFileSync(at('r.json'), 'utf8');
    const change = (field: string, from: RegExp, to: string): string => {
      const start = text.indexOf(`"${field}":`);
      const line = text.indexOf('\n', start);
      return text.slice(0, start) + text.slice(start, line).replace(from, to) + text.slice(line);
    };
    const cases: [string, string, RegExp][] = [
      ['outputs', text.replace('"exitCode": 0', '"exitCode": 1'), /field "outputs" was changed: it does not match its signed digest/],
      ['stateHash', change('stateHash', /"[0-9a-f]/, '"0'), /field "stateHash" was changed/],
      ['when', change('when', /"2/, '"1'), /field "when" was changed/],
      ['signature', change('signature', /"[0-9a-f]/, '"0'), /the signature does not verify/],
      ['version', text.replace('"version": 1', '"version": 2'), /the receipt is version 2; this zos reads version 1/],
      ['not JSON', text.slice(0, -20), /the receipt is not JSON/],
    ];
    for (const [what, bad, message] of cases) {
      if (what !== 'not JSON' && what !== 'version') expect(bad, what).not.toBe(text);
      writeFileSync(at('bad.json'), bad);
      const r = await verify(at('bad.json'));
      expect(r.code, `${what}: ${r.stderr}`).toBe(1);
      expect(oneLine(r.stderr)).toMatch(new RegExp(`^zos verify: receipt "${at('bad.json')}" refused: ${message.source}`));
    }
  }, 60_000);

  it('a changed commit of the trace is refused at that commit\'s seq; a receipt of another run, at the field that differs', async () => {
    const lines = readFileSync(at('t.jsonl'), 'utf8').trimEnd().split('\n');
    const i = lines.findIndex((l) => l.includes('"type":"CapGranted"'));
    const seq = JSON.parse(lines[i]!).seq as number;
    const edited = [...lines];
    edited[i] = edited[i]!.replace(/"perms":\d+/, '"perms":7');
    expect(edited[i]).not.toBe(lines[i]);
    writeFileSync(at('bad.jsonl'), `${edited.join('\n')}\n`);
    const r = await verify(at('r.json'), '--trace', at('bad.jsonl'));
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^receipt ok: /); // the receipt itself is whole
    expect(oneLine(r.stderr)).toMatch(new RegExp(`^zos verify: trace "${at('bad.jsonl')}" refused: commit ${seq}: commit ${seq} does not match its hash`));
    // The second run's receipt is valid, but not for this trace.
    const other = await verify(at('r2.json'), '--trace', at('t.jsonl'));
    expect(other.code).toBe(1);
    expect(oneLine(other.stderr)).toMatch(new RegExp(`^zos verify: trace "${at('t.jsonl')}" is not the run of receipt "${at('r2.json')}": the trace does not match the receipt's "commitLog": the receipt signs \\d+ commits`));
  }, 60_000);

  it('a truncated, wrong-version, non-JSON, non-UTF-8 or empty trace is refused in one line, exit 1', async () => {
    const text = readFileSync(at('t.jsonl'), 'utf8');
    const lines = text.trimEnd().split('\n');
    const cases: [string, string | Uint8Array, RegExp][] = [
      ['truncated', lines.slice(0, -5).join('\n'), /the trace is truncated: it ends at line \d+ without its end line/],
      ['cut mid-line', text.slice(0, Math.floor(text.length / 2)), /line \d+ is not a JSON object|truncated/],
      ['wrong version', text.replace('"version":1', '"version":9'), /the trace is version 9; this zos reads version 1/],
      ['not JSON', 'hello\n', /line 1 is not a JSON object/],
      ['a receipt', readFileSync(at('r.json'), 'utf8'), /line 1 is not a JSON object/],
      ['not UTF-8', new Uint8Array([0xff, 0xfe, 0x00]), /the file is not UTF-8 text: not a trace/],
      ['empty', '', /the file is empty: not a zos trace/],
    ];
    for (const [what, bad, message] of cases) {
      writeFileSync(at('bad.jsonl'), bad);
      const r = await verify('--trace', at('bad.jsonl'));
      expect(r.code, `${what}: ${r.stderr}`).toBe(1);
      expect(oneLine(r.stderr), what).toMatch(new RegExp(`^zos verify: trace "${at('bad.jsonl')}" refused: ${message.source}`));
    }
  }, 60_000);

  it('a missing, directory or oversized file cannot be read: one line, exit 2', async () => {
    mkdirSync(at('a-dir'), { recursive: true });
    writeFileSync(at('huge.jsonl'), '');
    execFileSync('truncate', ['-s', String(MAX_TRACE_BYTES + 1), at('huge.jsonl')]); // sparse: no disk used
    const cases: [string[], RegExp][] = [
      [[at('none.json')], /^zos: cannot read ".*none\.json": no such file or directory \(ENOENT\)$/],
      [[at('a-dir')], /^zos: cannot read ".*a-dir": it is a directory, not a regular file; a receipt is the JSON file `zos run --receipt` writes$/],
      [['--trace', at('huge.jsonl')], new RegExp(`^zos: cannot read ".*huge\\.jsonl": it is ${MAX_TRACE_BYTES + 1} bytes, over the ${MAX_TRACE_BYTES}-byte limit for a trace$`)],
    ];
    for (const [args, message] of cases) {
      const r = await verify(...args);
      expect(r.code, r.stderr).toBe(2);
      expect(oneLine(r.stderr)).toMatch(message);
    }
  }, 60_000);

  it('the Chrome trace parses and has one track per process, named, with its syscalls', () => {
    const chrome = JSON.parse(readFileSync(at('c.json'), 'utf8')) as { traceEvents: { name: string; ph: string; pid: number; tid: number; args?: { name?: string } }[] };
    const trace = readTrace(readFileSync(at('t.jsonl'), 'utf8'));
    const meta = chrome.traceEvents.filter((e) => e.ph === 'M');
    expect(meta.filter((e) => e.name === 'process_name').map((e) => e.args?.name)).toEqual(['zos']);
    const threads = meta.filter((e) => e.name === 'thread_name');
    // A track for each process, and one for the supervisor (PID 0), which acts on processes' behalf.
    expect(threads.map((t) => t.tid).sort((a, b) => a - b)).toEqual([0, ...trace.outcomes.map((o) => o.pid).sort((a, b) => a - b)]);
    expect(threads.map((t) => t.args?.name)).toContain('4 hello');
    const slices = chrome.traceEvents.filter((e) => e.ph === 'X');
    const withSlices = new Set(slices.map((s) => s.tid));
    expect(trace.outcomes.every((o) => withSlices.has(o.pid))).toBe(true);
    expect([...withSlices].every((tid) => threads.some((t) => t.tid === tid))).toBe(true);
  });
});

describe('zos verify and the record flags on the command line', () => {
  it('zos verify --help, zos help verify, and zos --help lists verify', async () => {
    for (const args of [['verify', '--help'], ['help', 'verify']]) {
      const r = await zos(args);
      expect(r).toMatchObject({ code: 0, stderr: '' });
      expect(r.stdout).toMatch(/^usage: zos verify receipt \[--trace trace\]/);
      expect(r.stdout).toContain(`up to ${MAX_TRACE_BYTES / 2 ** 20} MiB`);
    }
    expect((await zos(['--help'])).stdout).toContain('verify receipt [--trace trace]');
    expect((await zos(['run', '--help'])).stdout).toContain('--receipt file');
  }, 60_000);

  it.each([
    [['verify'], /^zos: verify needs a receipt, a --trace, or both \(zos verify --help for usage\)$/],
    [['verify', 'a.json', 'b.json'], /^zos: verify takes one receipt, got 2 files/],
    [['verify', '-', '--trace', '-'], /^zos: only one of the receipt and the trace can be standard input \("-"\)/],
    [['verify', '--bogus'], /^zos: Unknown option '--bogus'.*\(zos verify --help for usage\)$/],
    [['run', '--trace', 'x.jsonl', '--chrome-trace', 'x.jsonl', 'hello'], /^zos: --trace and --chrome-trace name the same file "x\.jsonl"/],
    [['run', '--receipt', '/nonexistent-zos-dir/r.json', 'hello'], /^zos: --receipt "\/nonexistent-zos-dir\/r\.json": its directory "\/nonexistent-zos-dir" cannot be used: no such file or directory \(ENOENT\)$/],
    [['run', '--trace', tmpdir(), 'hello'], /^zos: --trace ".*": it is a directory; name a file$/],
  ])('zos %j is one line on stderr, exit 2, nothing run', async (args, message) => {
    const r = await zos(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(oneLine(r.stderr)).toMatch(message);
  });

  it('a receipt key file that is not a key is one line, exit 2, nothing run', async () => {
    const config = mkdtempSync(join(tmpdir(), 'zos-key-'));
    try {
      writeFileSync(join(config, 'receipt-key'), 'not a key\n');
      const r = await zos(['run', '--receipt', join(config, 'r.json'), 'hello'], { env: { ZOS_CONFIG_DIR: config } });
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(oneLine(r.stderr)).toMatch(/^zos: the receipt key ".*receipt-key" is not a zos receipt key \(64 hex digits\); move it away and a new key is made$/);
    } finally {
      rmSync(config, { recursive: true, force: true });
    }
  });
});
