// Encoding and decoding the binary layouts declared in abi-table.ts, for
// the TypeScript side (the kernel writes them, tests and tools read them).
// process-lib gets generated AssemblyScript for the same layouts.

import type { Field, FieldType, Layout } from './abi-table.ts';

export type FieldValue = number | bigint | boolean | string;
export type Values = Record<string, FieldValue>;
export interface Decoded { values: Values; entries: Values[]; end: number }

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

const FIXED: Partial<Record<FieldType, number>> = { u8: 1, bool: 1, u16: 2, u32: 4, u64: 8 };

/** Bytes of a layout's fixed fields, or null when a string makes it variable. */
export function fixedSize(layout: Layout): number | null {
  let n = 0;
  for (const [, type] of layout.fields) {
    const size = FIXED[type];
    if (size === undefined) return null;
    n += size;
  }
  return n;
}

/** Text fields cut to what their length prefix can count. */
function textBytes(type: FieldType, value: FieldValue): Uint8Array {
  const bytes = utf8.encode(String(value));
  return bytes.subarray(0, type === 'str8' ? 0xff : 0xffff);
}

function fieldSize(type: FieldType, value: FieldValue): number {
  return FIXED[type] ?? (type === 'str8' ? 1 : 2) + textBytes(type, value).length;
}

/** `bytes` little-endian bytes of the unsigned integer `v` at `at` (u64s above 2^53 come as bigints). */
function putUint(out: Uint8Array, at: number, bytes: number, v: FieldValue): void {
  if (typeof v === 'bigint') {
    for (let i = 0; i < bytes; i++) out[at + i] = Number((v >> BigInt(8 * i)) & 0xffn);
    return;
  }
  let n = Number(v);
  const low = n >>> 0;
  for (let i = 0; i < Math.min(bytes, 4); i++) out[at + i] = low >>> (8 * i);
  if (bytes === 8) {
    n = Math.floor(n / 2 ** 32) >>> 0;
    for (let i = 0; i < 4; i++) out[at + 4 + i] = n >>> (8 * i);
  }
}

function write(out: Uint8Array, at: number, [name, type]: Field, value: FieldValue | undefined): number {
  const v = value ?? 0;
  const size = FIXED[type];
  if (size !== undefined) {
    putUint(out, at, size, typeof v === 'boolean' ? Number(v) : v);
    return at + size;
  }
  if (type !== 'str8' && type !== 'str16') throw new Error(`field ${name}: unknown type ${String(type)}`);
  const bytes = textBytes(type, v);
  const prefix = type === 'str8' ? 1 : 2;
  putUint(out, at, prefix, bytes.length);
  out.set(bytes, at + prefix);
  return at + prefix + bytes.length;
}

function recordSize(layout: Layout, values: Values): number {
  let n = 0;
  for (const [name, type] of layout.fields) n += fieldSize(type, values[name] ?? '');
  return n;
}

/** Writes one record of `layout`'s fields at `at`; returns where it ends. Missing values are 0 or empty. */
export function writeRecord(out: Uint8Array, at: number, layout: Layout, values: Values): number {
  for (const field of layout.fields) at = write(out, at, field, values[field[0]]);
  return at;
}

/** A record of `layout` (and, for a list layout, its entries) as bytes. */
export function encode(layout: Layout, values: Values, entries: readonly Values[] = []): Uint8Array {
  let total = recordSize(layout, values);
  const entry = layout.entries;
  if (entry) for (const e of entries) total += recordSize(entry, e);
  const out = new Uint8Array(total);
  let at = writeRecord(out, 0, layout, values);
  if (entry) for (const e of entries) at = writeRecord(out, at, entry, e);
  return out;
}

function read(view: DataView, at: number, type: FieldType): [FieldValue, number] {
  switch (type) {
    case 'u8': return [view.getUint8(at), at + 1];
    case 'bool': return [view.getUint8(at) !== 0, at + 1];
    case 'u16': return [view.getUint16(at, true), at + 2];
    case 'u32': return [view.getUint32(at, true), at + 4];
    case 'u64': {
      const big = view.getBigUint64(at, true);
      return [big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big, at + 8];
    }
    case 'str8': case 'str16': {
      const len = type === 'str8' ? view.getUint8(at) : view.getUint16(at, true);
      const start = at + (type === 'str8' ? 1 : 2);
      const bytes = new Uint8Array(view.buffer, view.byteOffset + start, len);
      if (start + len > view.byteLength) throw new RangeError('text runs past the end');
      return [fromUtf8.decode(bytes), start + len];
    }
  }
}

function readRecord(view: DataView, at: number, layout: Layout): [Values, number] {
  const rec: Values = {};
  for (const [name, type] of layout.fields) [rec[name], at] = read(view, at, type);
  return [rec, at];
}

/**
 * Reads `layout` at `offset`; a list layout also reads its entries. Throws
 * a RangeError naming the layout when the data is too short.
 */
export function decode(layout: Layout, data: Uint8Array, offset = 0): Decoded {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  try {
    const [values, afterHeader] = readRecord(view, offset, layout);
    let at = afterHeader;
    const entries: Values[] = [];
    if (layout.entries) {
      const count = Number(values[layout.fields[0]![0]]);
      for (let i = 0; i < count; i++) {
        const [entry, next] = readRecord(view, at, layout.entries);
        entries.push(entry);
        at = next;
      }
    }
    return { values, entries, end: at };
  } catch (e) {
    throw new RangeError(`${layout.name}: ${data.length - offset} bytes are too short (${(e as Error).message})`);
  }
}
