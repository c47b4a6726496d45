// Words for the ABI's numbers, made from abi.ts and abi-table.ts so they
// cannot drift: the logs, the shell's `log` and the desktop decode
// syscalls, results, errors, tags and rights here.

import * as A from './abi.ts';
import { ERROR_MEANINGS, shapeOf, SYSCALLS as ROWS } from './abi-table.ts';
import { COMMIT_FIELDS, fieldsOf, type UnhashedCommit } from './commits.ts';

/** Value → name; where two names share a value the alphabetically first wins, whatever the loader's key order. */
function namesWithPrefix(prefix: string, strip: string): Map<number, string> {
  const out = new Map<number, string>();
  for (const [key, value] of Object.entries(A).sort(([a], [b]) => a.localeCompare(b))) {
    if (key.startsWith(prefix) && typeof value === 'number' && !out.has(value)) out.set(value, key.slice(strip.length));
  }
  return out;
}

const SYSCALLS = namesWithPrefix('SYS_', 'SYS_');
const ERRORS = namesWithPrefix('E_', '');
const TAGS = namesWithPrefix('MSG_', 'MSG_');
const OBJECTS = namesWithPrefix('OBJ_', 'OBJ_');
const REVOKE_REASONS = namesWithPrefix('REVOKE_', 'REVOKE_');

const hex = (n: number): string => `0x${(n >>> 0).toString(16).padStart(2, '0')}`;
const title = (name: string): string => name.charAt(0) + name.slice(1).toLowerCase().replace(/_/g, ' ');

export const syscallName = (num: number): string => SYSCALLS.get(num) ?? `UNKNOWN_${hex(num)}`;
export const errorName = (code: number): string => ERRORS.get(code) ?? `E_${code}`;
export const errorMeaning = (code: number): string => ERROR_MEANINGS[code] ?? 'unknown error';
export const tagName = (tag: number): string => TAGS.get(tag) ?? hex(tag);
export const objectTypeName = (type: number): string => {
  const name = OBJECTS.get(type);
  return name ? title(name) : `type ${type}`;
};
export const revokeReasonName = (reason: number): string =>
  REVOKE_REASONS.has(reason) ? REVOKE_REASONS.get(reason)!.toLowerCase().replace(/_/g, ' ') : `reason ${reason}`;

/** A perms byte as letters, e.g. "rw-" (process-lib's permsString says the same). */
export function permsString(perms: number): string {
  return (perms & A.PERM_READ ? 'r' : '-') + (perms & A.PERM_WRITE ? 'w' : '-') + (perms & A.PERM_GRANT ? 'g' : '-');
}

/** The error code a result carries in syscall `num`'s shape, or null for a success. */
export function errorOf(num: number, result: number): number | null {
  switch (shapeOf(num)) {
    case 'slot': return result < 0 ? result & 0x7fffffff : null;
    case 'length': return result < 0 ? -result : null;
    case 'status': return result === A.E_OK ? null : result;
    default: return null;
  }
}

/** A syscall result in words, according to the syscall's result shape. */
export function resultText(num: number, result: number): string {
  const error = errorOf(num, result);
  if (error !== null) return errorName(error);
  switch (shapeOf(num)) {
    case 'slot': return num === A.SYS_EP_CREATE ? `${result}` : `slot ${result}`;
    case 'length': return result === 0 ? 'nothing' : `${result} bytes`;
    case 'value': return `${result >>> 0}`;
    default: return errorName(result);
  }
}

/** A value in words, by the name of the argument or field it is: rights as letters, tags and types by name. */
export function valueText(name: string, value: number | string): string {
  if (typeof value === 'string') return JSON.stringify(value);
  switch (name) {
    case 'perms': return permsString(value);
    case 'tag': return tagName(value >>> 0);
    case 'type': case 'object_type': return objectTypeName(value);
    case 'flags': return value & A.RECV_BLOCK ? 'block' : 'poll';
    default: return String(value);
  }
}

/** A syscall's arguments, named as its row in the ABI table names them: `slot 3, to pid 4, perms rw-`. */
export function argsText(num: number, args: readonly number[]): string {
  const row = ROWS.get(num);
  if (!row) return args.join(', ');
  return row.args.map(([name], i) => `${name.replace(/_/g, ' ')} ${valueText(name, args[i]!)}`).join(', ');
}

/** A commit's fields in their fixed order, in words: `pid=3 slot=4 perms=rw-`. */
export function fieldsText(c: UnhashedCommit): string {
  const fields = fieldsOf(c);
  return (COMMIT_FIELDS[c.type] as readonly string[]).map((f) => `${f}=${valueText(f, fields[f]!)}`).join(' ');
}
