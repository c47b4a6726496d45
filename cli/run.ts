// `zos run`: boot zos in Node, run programs to their end, report. Usage and
// exit statuses: cli/usage.ts (RUN_USAGE).

import { replay, type ProcessInfo } from '../kernel/index.ts';
import { loadBuiltinApps } from '../supervisor/apps-node.ts';
import { nodeHost } from '../supervisor/host-node.ts';
import { Supervisor } from '../supervisor/supervisor.ts';
import { validateModule } from '../supervisor/validate.ts';
import { RunRecorder } from '../record/run-recorder.ts';
import { ConsoleOut } from './console-out.ts';
import { loadProgram, type Program } from './program-file.ts';
import { connectInput, inputSource } from './program-input.ts';
import { ProgramOutput } from './program-output.ts';
import { receiptKey } from './receipt-key.ts';
import { checkDestination, writeRecordFiles } from './record-files.ts';
import { parseRunOptions, type RunOptions } from './run-options.ts';
import { RUN_USAGE } from './usage.ts';
import { UserFileError } from './user-file.ts';
import { zosVersion } from './version.ts';

const EXIT_CANNOT_WRITE = 74; // EX_IOERR (sysexits.h): the run ran, its record could not be written

export async function run(argv: string[]): Promise<number> {
  const options = parseRunOptions(argv);
  if (options.help) {
    process.stdout.write(`${RUN_USAGE}\n`);
    return 0;
  }
  const apps = loadBuiltinApps();
  // Every binary is read and validated before the OS boots: a bad one runs nothing.
  const programs: Program[] = [];
  for (const arg of options.programs) {
    const program = await loadProgram(arg, apps);
    validateModule(program.name, program.bytes, { memoryLimitPages: options.memoryLimitPages });
    programs.push(program);
  }
  // Where the record goes, and the key that signs it, before anything runs: a mistake there runs nothing.
  const { files } = options;
  if (files.receipt) checkDestination(files.receipt, '--receipt');
  if (files.trace) checkDestination(files.trace, '--trace');
  if (files.chromeTrace) checkDestination(files.chromeTrace, '--chrome-trace');
  const key = files.receipt ? receiptKey() : null;
  const recorder = Object.keys(files).length > 0 ? new RunRecorder(zosVersion()) : null;
  const sup = new Supervisor({
    host: nodeHost, apps, memoryLimitPages: options.memoryLimitPages, cpuLimitMs: options.cpuLimitMs, dispatch: options.dispatch,
    ...(recorder ? { onTrim: recorder.onTrim } : {}),
  });
  recorder?.attach(sup);
  try {
    const status = await runPrograms(sup, programs, options);
    if (!recorder) return status;
    if (key?.created) process.stderr.write(`zos: made a receipt signing key, kept in ${key.path}\n`);
    try {
      for (const line of writeRecordFiles(recorder.finish(), files, key?.key ?? null)) process.stderr.write(`zos: ${line}\n`);
    } catch (e) {
      if (!(e instanceof UserFileError)) throw e;
      process.stderr.write(`zos: ${e.message}\n`);
      return EXIT_CANNOT_WRITE;
    }
    return status;
  } finally {
    sup.shutdown();
  }
}

async function runPrograms(sup: Supervisor, programs: Program[], options: RunOptions): Promise<number> {
  const stream = options.json ? process.stderr : process.stdout;
  const out = new ConsoleOut(stream);
  const output = new ProgramOutput(sup, out, options.json);
  const source = inputSource(stream);
  await sup.boot();
  const pids = programs.map((p) => sup.spawn(p.bytes, { name: p.name }));
  pids.forEach((pid) => output.addProgram(pid));
  const input = await connectInput(source, sup, pids[0]!, options.inputs, output, out, stream);
  void sup.waitForExit(pids[0]!).then(() => input.stop()); // its input has nowhere to go

  let ending: 'timeout' | 'interrupt' | null = null;
  const killAll = (why: string): void => void pids.forEach((pid) => sup.kill(pid, why));
  const timer = options.timeoutMs > 0 ? setTimeout(() => {
    ending ??= 'timeout';
    killAll(`timed out after ${options.timeoutMs} ms`);
  }, options.timeoutMs) : null;
  const onSigint = (): void => {
    ending ??= 'interrupt';
    killAll('interrupted (SIGINT)');
  };
  process.on('SIGINT', onSigint);
  let infos: ProcessInfo[];
  try {
    infos = await Promise.all(pids.map((pid) => sup.waitForExit(pid)));
  } finally {
    if (timer) clearTimeout(timer);
    process.off('SIGINT', onSigint);
    input.stop();
  }
  await input.feed.settled();
  out.finish();

  if (options.json) process.stdout.write(`${JSON.stringify(summary(sup, infos, output))}\n`);
  else {
    for (const i of infos) {
      if (i.fault) process.stderr.write(`zos: ${i.name} (pid ${i.pid}) stopped: ${i.fault.reason}: ${i.fault.description}\n`);
    }
  }
  // What the named programs started (a shell's `spawn`) ends with the run: say what was cut short.
  const cut = sup.view.processes().filter((p) => p.status === 'alive' && output.shows(p.pid));
  if (cut.length > 0) process.stderr.write(`zos: still running when the run ended, stopped with it: ${cut.map((p) => `${p.name} (pid ${p.pid})`).join(', ')}\n`);
  const notDelivered = input.feed.report();
  if (notDelivered) process.stderr.write(`zos: ${notDelivered}${input.cutShort ? '; standard input was not read further' : ''}\n`);
  if (ending === 'timeout') return 124;
  if (ending === 'interrupt') return 130;
  return infos.every((i) => i.exitCode === 0) && !notDelivered ? 0 : 1;
}

function summary(sup: Supervisor, infos: ProcessInfo[], output: ProgramOutput): object {
  const k = sup.view;
  const replayed = replay(k.commits(), undefined, k.checkpoint() ?? undefined); // from the checkpoint the kept commits follow
  return {
    processes: infos.map((i) => ({
      pid: i.pid, name: i.name, exitCode: i.exitCode,
      fault: i.fault ? `${i.fault.reason}: ${i.fault.description}` : null, output: output.of(i.pid),
    })),
    syslog: k.syslogStats().kept + k.syslogStats().trimmed,
    commits: k.commitCount(),
    chainVerified: k.verify().ok,
    stateHash: k.stateHash(),
    replayMatches: replayed.ok && replayed.stateHash === k.stateHash(),
  };
}
