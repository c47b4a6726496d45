// Names for the ABI's numbers, derived from abi.ts so they cannot drift:
// logs, the shell's `log` and the UI decode syscalls, errors and tags here.

import * as A from './abi.ts';

function namesWithPrefix(prefix: string, strip: string): Map<number, string> {
  const out = new Map<number, string>();
  for (const [key, value] of Object.entries(A)) {
    if (key.startsWith(prefix) && typeof value === 'number' && !out.has(value)) out.set(value, key.slice(strip.length));
  }
  return out;
}

const SYSCALLS = namesWithPrefix('SYS_', 'SYS_');
const ERRORS = namesWithPrefix('E_', '');
const TAGS = namesWithPrefix('MSG_', 'MSG_');
const OBJECTS = namesWithPrefix('OBJ_', 'OBJ_');

const hex = (n: number): string => `0x${(n >>> 0).toString(16).padStart(2, '0')}`;

export const syscallName = (num: number): string => SYSCALLS.get(num) ?? `UNKNOWN_${hex(num)}`;
export const errorName = (code: number): string => ERRORS.get(code) ?? `E_${code}`;
export const tagName = (tag: number): string => TAGS.get(tag) ?? hex(tag);
export const objectTypeName = (type: number): string => OBJECTS.get(type) ?? `TYPE_${type}`;

export function permsText(perms: number): string {
  return (perms & A.PERM_READ ? 'r' : '-') + (perms & A.PERM_WRITE ? 'w' : '-') + (perms & A.PERM_GRANT ? 'g' : '-');
}

/** A syscall result in words, according to the syscall's return shape. */
export function resultText(num: number, result: number): string {
  switch (num) {
    case A.SYS_CAP_GRANT: case A.SYS_CAP_DERIVE:
      return result < 0 ? errorName(result & 0x7fffffff) : `slot ${result}`;
    case A.SYS_EP_CREATE:
      return result < 0 ? errorName(result & 0x7fffffff) : `${result}`;
    case A.SYS_RECEIVE: case A.SYS_CALL: case A.SYS_ZOS_AXIOM:
      return result < 0 ? errorName(-result) : result === 0 ? 'nothing' : `${result} bytes`;
    case A.SYS_GET_TIME: case A.SYS_GET_PID: case A.SYS_GET_WALLCLOCK: case A.SYS_CAP_INSPECT:
      return `${result >>> 0}`;
    default:
      return errorName(result);
  }
}
