// The RunRecorder on a real supervisor: a run long enough that the
// supervisor drops older commits from memory still gives every commit from
// Genesis (through onTrim), each binary's SHA-256, the input and output of
// each process whole, and a record whose trace reads back to the live state
// and whose receipt verifies against it.

import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { makeReceipt, newSigningKey, verifyReceipt } from '../../record/receipt.ts';
import { RunRecorder } from '../../record/run-recorder.ts';
import { readTrace, traceText } from '../../record/trace.ts';
import { loadBuiltinApps } from '../../supervisor/apps-node.ts';
import { nodeHost } from '../../supervisor/host-node.ts';
import { Supervisor } from '../../supervisor/supervisor.ts';

let sup: Supervisor | undefined;
afterEach(() => sup?.shutdown());

const apps = loadBuiltinApps();
/** A supervisor that keeps at most 2,000-3,000 commits in memory. */
const smallMemory = { host: nodeHost, apps, retainCommits: 2000, kernel: { checkpointEvery: 1000 } };

async function senderAndReceiver(s: Supervisor): Promise<void> {
  const receiver = s.spawn('receiver');
  const sender = s.spawn('sender');
  await Promise.all([s.waitForExit(receiver), s.waitForExit(sender)]);
}

describe('RunRecorder', () => {
  it('records a run past the in-memory bound: every commit from Genesis, binaries, input, output, outcomes, limits', async () => {
    const recorder = new RunRecorder('test');
    sup = new Supervisor({ ...smallMemory, onTrim: recorder.onTrim });
    recorder.attach(sup);
    await sup.boot();
    const shell = sup.spawn('terminal', { cpuLimitMs: 60_000 });
    await sup.deliverInput(shell, 'echo hé ✓\n');
    await senderAndReceiver(sup);
    await sup.deliverInput(shell, '\x04'); // the shell exits on EOT
    await sup.waitForExit(shell);
    const run = recorder.finish();

    expect(sup.view.firstCommit()).toBeGreaterThan(0); // the supervisor did drop commits from memory
    expect(run.commits.map((c) => c.seq)).toEqual(Array.from({ length: sup.view.commitCount() }, (_, i) => i));
    expect(run.commits[0]!.type).toBe('Genesis');
    expect(run.stateHash).toBe(sup.view.stateHash());
    const sha = (name: string): string => createHash('sha256').update(apps.get(name)!).digest('hex');
    expect(run.programs).toEqual(['init', 'permission', 'terminal', 'receiver', 'sender'].map((name, i) => ({ pid: i + 1, name, sha256: sha(name) })));
    expect(run.spawns[2]).toEqual({ name: 'terminal', options: { pid: 3, cpuLimitMs: 60_000 } });
    expect(run.input).toEqual([{ pid: 3, text: 'echo hé ✓\n' }, { pid: 3, text: '\x04' }]);
    expect(run.output.find((o) => o.pid === 3)?.text).toContain('hé ✓\n');
    expect(run.output.find((o) => o.pid === 4)?.text).toContain('received 10000 messages in order');
    expect(run.outcomes.filter((o) => o.pid >= 3)).toEqual([
      { pid: 3, name: 'terminal', exitCode: 0, fault: null },
      { pid: 4, name: 'receiver', exitCode: 0, fault: null },
      { pid: 5, name: 'sender', exitCode: 0, fault: null },
    ]);
    expect(run.limits).toMatchObject({ memoryLimitPages: 256, cpuLimitMs: 0, maxProcesses: expect.any(Number) });
    expect(run.syslog.length + run.syslogTrimmed).toBeGreaterThan(20_000);

    const back = readTrace(traceText(run));
    expect(back.stateHash).toBe(run.stateHash);
    expect(back.commits.length).toBe(run.commits.length);
    const receipt = makeReceipt(run, newSigningKey());
    expect(verifyReceipt(JSON.stringify(receipt), back)).toEqual(receipt);
  }, 60_000);

  it('refuses to make a record without the commits the supervisor dropped (its onTrim not given)', async () => {
    const recorder = new RunRecorder('test');
    sup = new Supervisor(smallMemory);
    recorder.attach(sup);
    await sup.boot();
    await senderAndReceiver(sup);
    expect(() => recorder.finish()).toThrow(/^the record lacks commits 0\.\.\d+: pass the recorder's onTrim to the Supervisor$/);
  }, 60_000);
});
