// Inside a process's worker: the `env` imports of ABI §1 and the run of
// `_start`. Runs the same in a Web Worker and in a worker_threads worker;
// the entry files only adapt the message port.

import { MAX_REQUEST_DATA, SYS_EXIT } from '../kernel/abi.ts';
import { IMPORT_MODULE, IMPORTS } from '../kernel/abi-table.ts';
import { awaitAnswer } from './answer-wait.ts';
import { YieldPark } from './yield-park.ts';
import { H, IDLE, mailboxViews, REQUEST, RESPONSE } from './mailbox.ts';

export interface ProcessStart {
  pid: number;
  name: string;
  module: WebAssembly.Module;
  mailbox: SharedArrayBuffer;
  doorbell: SharedArrayBuffer;
  memory: { imported: boolean; shared: boolean; minPages: number; maxPages: number };
  /** Where Atomics.waitAsync is missing, the kernel side listens for messages instead. */
  ringByMessage: boolean;
  /**
   * A zos_yield's first park, in ms: a parked process wakes at a message (or
   * room it waited for), or after this; each yield that nothing woke parks
   * twice as long as the last, up to `yieldParkMaxMs` (yield-park.ts).
   */
  yieldParkMs: number;
  yieldParkMaxMs: number;
  /** How long a syscall spins for its answer before sleeping, in ms (answer-wait.ts). */
  spinMs: number;
  /** How long a parked syscall spins more before sleeping, where the doorbell allows it, in ms (answer-wait.ts). */
  parkedSpinMs: number;
}

export type WorkerReport =
  | { kind: 'ring' }
  | { kind: 'fault'; reason: 'trap' | 'abort' | 'bad_pointer' | 'start_failed'; description: string };

/** Thrown to stop the process: a trap-like end that the catch below reports. */
class ProcessFault extends Error {
  constructor(readonly reason: 'abort' | 'bad_pointer', message: string) {
    super(message);
  }
}

export function runProcess(start: ProcessStart, post: (r: WorkerReport) => void): void {
  const { header, request, response } = mailboxViews(start.mailbox);
  const bell = new Int32Array(start.doorbell);
  const parkedSpin = start.parkedSpinMs > 0 ? { bell, ms: start.parkedSpinMs } : undefined;
  let memory: WebAssembly.Memory | undefined;
  let bytes = new Uint8Array(0);
  let requestLength = 0;
  let overflow = false;
  let responseLength = 0;
  let parkSeen = Atomics.load(header, H.PARK);
  const park = new YieldPark(start.yieldParkMs, start.yieldParkMaxMs);

  // The process's memory as bytes, re-viewed only when memory.grow replaced the buffer.
  const mem = (): Uint8Array => {
    if (bytes.buffer !== memory!.buffer) bytes = new Uint8Array(memory!.buffer);
    return bytes;
  };
  const checkRange = (ptr: number, len: number, what: string): void => {
    if (len < 0 || ptr < 0 || ptr + len > mem().byteLength) {
      throw new ProcessFault('bad_pointer', `${what}(${ptr}, ${len}) is outside the process's memory (${mem().byteLength} bytes)`);
    }
  };

  const syscall = (num: number, a0: number, a1: number, a2: number): number => {
    header[H.NUM] = num;
    header[H.A0] = a0;
    header[H.A1] = a1;
    header[H.A2] = a2;
    header[H.REQ_LEN] = overflow ? -1 : requestLength;
    header[H.MEMORY_BYTES] = memory ? memory.buffer.byteLength : 0;
    // Read before posting: a message queued for us while this call is
    // served must still wake the next zos_yield.
    parkSeen = Atomics.load(header, H.PARK);
    Atomics.store(header, H.STATE, REQUEST);
    Atomics.add(bell, 0, 1);
    Atomics.notify(bell, 0);
    if (start.ringByMessage) post({ kind: 'ring' });
    awaitAnswer(header, H.STATE, REQUEST, RESPONSE, start.spinMs, parkedSpin);
    const result = header[H.RESULT]!;
    responseLength = header[H.RESP_LEN]!;
    requestLength = 0;
    overflow = false;
    Atomics.store(header, H.STATE, IDLE);
    return result;
  };

  const implementations: Record<string, unknown> = {
    zos_syscall: syscall,
    zos_send_bytes(ptr: number, len: number): void {
      checkRange(ptr, len, 'zos_send_bytes');
      if (overflow || requestLength + len > MAX_REQUEST_DATA) {
        overflow = true; // the next syscall fails with E_OVERFLOW
        return;
      }
      request.set(mem().subarray(ptr, ptr + len), requestLength);
      requestLength += len;
    },
    zos_recv_bytes(ptr: number, max: number): number {
      const n = Math.max(0, Math.min(max, responseLength));
      checkRange(ptr, n, 'zos_recv_bytes');
      mem().set(response.subarray(0, n), ptr);
      return n;
    },
    zos_yield(): void {
      // Park until something happens for us (PARK moves), or for longer each time nothing does.
      Atomics.store(header, H.PARKED, 1);
      Atomics.wait(header, H.PARK, parkSeen, park.next());
      const now = Atomics.load(header, H.PARK);
      park.ended(now !== parkSeen);
      parkSeen = now;
      Atomics.store(header, H.PARKED, 0);
    },
    zos_get_pid(): number {
      return start.pid;
    },
    abort(msg: number, file: number, line: number, col: number): never {
      throw new ProcessFault('abort', `abort: ${readAsString(mem(), msg)} at ${readAsString(mem(), file)}:${line}:${col}`);
    },
  };
  // Exactly the functions of the ABI's import list (kernel/abi-table.ts), no more.
  const env: Record<string, unknown> = {};
  for (const row of IMPORTS) {
    if (row.kind !== 'func') continue;
    if (!(row.name in implementations)) throw new Error(`the worker shim has no ${row.name} (ABI §1)`);
    env[row.name] = implementations[row.name];
  }

  let instance: WebAssembly.Instance;
  try {
    // Inside the try: a host out of address space for one more memory (a
    // page holds only so many) is a start that failed, not a dying worker.
    if (start.memory.imported) {
      memory = new WebAssembly.Memory({
        initial: start.memory.minPages, maximum: start.memory.maxPages, shared: start.memory.shared,
      });
      env.memory = memory;
    }
    instance = new WebAssembly.Instance(start.module, { [IMPORT_MODULE]: env as WebAssembly.ModuleImports });
    memory ??= instance.exports.memory as WebAssembly.Memory;
  } catch (e) {
    post({ kind: 'fault', reason: 'start_failed', description: `cannot instantiate ${start.name}: ${(e as Error).message}` });
    return;
  }
  try {
    (instance.exports._start as () => void)();
    syscall(SYS_EXIT, 0, 0, 0); // returning from _start is exit(0)
  } catch (e) {
    if (e instanceof ProcessFault) post({ kind: 'fault', reason: e.reason, description: e.message });
    else post({ kind: 'fault', reason: 'trap', description: `${(e as Error).name}: ${(e as Error).message}` });
  }
}

/** An AssemblyScript string: UTF-16 code units, byte length in the 4 bytes before it. */
function readAsString(mem: Uint8Array, ptr: number): string {
  if (ptr < 4 || ptr > mem.byteLength) return '?';
  const len = new DataView(mem.buffer, mem.byteOffset).getUint32(ptr - 4, true);
  if (ptr + len > mem.byteLength) return '?';
  let s = '';
  for (let i = 0; i + 1 < Math.min(len, 2000); i += 2) s += String.fromCharCode(mem[ptr + i]! | (mem[ptr + i + 1]! << 8));
  return s;
}
