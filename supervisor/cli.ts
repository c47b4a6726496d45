// `zos run`: boot the OS in Node, run processes to their end, report.
//
//   zos run [--timeout ms] [--input text]... [--json] [--memory-limit bytes]
//           [--cpu-limit ms] [--dispatch atomics|poll10] file.wasm|app...
//
// Exit status: 0 when every process exited 0, 1 otherwise, 2 for usage or
// validation errors, 124 on timeout (every process killed first).

import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { PAGE_SIZE } from '../kernel/abi.ts';
import { replay } from '../kernel/index.ts';
import { loadBuiltinApps } from './apps-node.ts';
import { nodeHost } from './host-node.ts';
import { Supervisor } from './supervisor.ts';
import { validateModule, ValidationError } from './validate.ts';

const USAGE = `usage: zos run [--timeout ms] [--input text]... [--json] [--memory-limit bytes] [--cpu-limit ms] [--dispatch atomics|poll10] file.wasm|app...
       zos bench [--quick] [--node-only] [--only node|chromium|boot|static|editor|timetravel|graph]...
apps: init permission terminal hello pingpong sender receiver clock memhog spinner`;

class UsageError extends Error {}

export async function main(argv: string[]): Promise<number> {
  try {
    const [command, ...rest] = argv;
    if (command === 'run') return await run(rest);
    if (command === 'bench') return await (await import('../bench/run.ts')).main(rest);
    throw new UsageError(command ? `unknown command "${command}"` : 'no command');
  } catch (e) {
    if (e instanceof UsageError || e instanceof ValidationError) {
      process.stderr.write(`zos: ${e.message}\n${e instanceof UsageError ? USAGE + '\n' : ''}`);
      return 2;
    }
    throw e;
  }
}

async function run(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv, allowPositionals: true, options: {
        timeout: { type: 'string' }, input: { type: 'string', multiple: true }, json: { type: 'boolean' },
        'memory-limit': { type: 'string' }, 'cpu-limit': { type: 'string' }, dispatch: { type: 'string' },
      },
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const { values, positionals } = parsed;
  if (positionals.length === 0) throw new UsageError('run needs at least one file.wasm or app name');
  const number = (flag: string, text: string | undefined): number | undefined => {
    if (text === undefined) return undefined;
    if (!/^\d+$/.test(text)) throw new UsageError(`--${flag} takes a whole number, got "${text}"`);
    return Number(text);
  };
  const timeoutMs = number('timeout', values.timeout);
  const memoryBytes = number('memory-limit', values['memory-limit']);
  const memoryLimitPages = memoryBytes === undefined ? undefined : Math.floor(memoryBytes / PAGE_SIZE);
  const dispatch = values.dispatch ?? 'atomics';
  if (dispatch !== 'atomics' && dispatch !== 'poll10') throw new UsageError(`--dispatch is atomics or poll10, not "${dispatch}"`);
  const apps = loadBuiltinApps();

  // Every binary is read and validated before the OS boots: a bad one runs nothing.
  const programs = positionals.map((arg) => {
    const builtin = !arg.includes('/') && !arg.endsWith('.wasm') ? apps.get(arg) : undefined;
    let bytes = builtin;
    if (!bytes) {
      try {
        bytes = new Uint8Array(readFileSync(arg));
      } catch {
        throw new UsageError(`cannot read "${arg}" (not a file, nor a built-in app)`);
      }
    }
    const name = builtin ? arg : basename(arg).replace(/\.wasm$/, '');
    validateModule(name, bytes, { memoryLimitPages });
    return { name, bytes };
  });

  const sup = new Supervisor({ host: nodeHost, apps, memoryLimitPages, cpuLimitMs: number('cpu-limit', values['cpu-limit']), dispatch });
  const output = new Map<number, string>();
  const decoder = new TextDecoder();
  sup.onConsole('*', (pid, bytes) => {
    const text = decoder.decode(bytes);
    if (!pids.includes(pid)) return; // only the processes we were asked to run
    if (values.json) output.set(pid, (output.get(pid) ?? '') + text);
    (values.json ? process.stderr : process.stdout).write(text);
  });
  const pids: number[] = [];
  await sup.boot();
  for (const p of programs) pids.push(sup.spawn(p.bytes, { name: p.name }));
  for (const text of values.input ?? []) sup.sendInput(pids[0]!, text);

  let timedOut = false;
  const all = Promise.all(pids.map((pid) => sup.waitForExit(pid)));
  const timer = timeoutMs === undefined ? null : setTimeout(() => {
    timedOut = true;
    for (const pid of pids) sup.kill(pid, `timed out after ${timeoutMs} ms`);
  }, timeoutMs);
  const infos = await all;
  if (timer) clearTimeout(timer);
  sup.shutdown();

  if (values.json) {
    const k = sup.view;
    const replayed = replay(k.commits());
    const summary = {
      processes: infos.map((i) => ({
        pid: i.pid, name: i.name, exitCode: i.exitCode,
        fault: i.fault ? `${i.fault.reason}: ${i.fault.description}` : null, output: output.get(i.pid) ?? '',
      })),
      syslog: k.syslogStats().kept + k.syslogStats().trimmed,
      commits: k.commitCount(),
      chainVerified: k.verify().ok,
      stateHash: k.stateHash(),
      replayMatches: replayed.ok && replayed.stateHash === k.stateHash(),
    };
    process.stdout.write(`${JSON.stringify(summary)}\n`);
  } else {
    for (const i of infos) {
      if (i.fault) process.stderr.write(`zos: ${i.name} (pid ${i.pid}) stopped: ${i.fault.reason}: ${i.fault.description}\n`);
    }
  }
  if (timedOut) return 124;
  return infos.every((i) => i.exitCode === 0) ? 0 : 1;
}
