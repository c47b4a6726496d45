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

function write(view: DataView, at: number, [name, type]: Field, value: FieldValue | undefined): number {
  const v = value ?? 0;
  switch (type) {
    case 'u8': case 'bool': view.setUint8(at, Number(v)); return at + 1;
    case 'u16': view.setUint16(at, Number(v), true); return at + 2;
    case 'u32': view.setUint32(at, Number(v) >>> 0, true); return at + 4;
    case 'u64': view.setBigUint64(at, BigInt(v), true); return at + 8;
    case 'str8': case 'str16': {
      const bytes = textBytes(type, v);
      if (type === 'str8') view.setUint8(at, bytes.length);
      else view.setUint16(at, bytes.length, true);
      const start = at + (type === 'str8' ? 1 : 2);
      new Uint8Array(view.buffer, view.byteOffset + start, bytes.length).set(bytes);
      return start + bytes.length;
    }
    default: throw new Error(`field ${name}: unknown type ${String(type)}`);
  }
}

/** One record of `layout`'s fields; missing values are 0 or empty. */
export function encode(layout: Layout, values: Values, entries: readonly Values[] = []): Uint8Array {
  const size = (rec: Values, l: Layout): number => l.fields.reduce((n, [f, t]) => n + fieldSize(t, rec[f] ?? ''), 0);
  let total = size(values, layout);
  if (layout.entries) for (const e of entries) total += size(e, layout.entries);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  let at = 0;
  for (const f of layout.fields) at = write(view, at, f, values[f[0]]);
  if (layout.entries) for (const e of entries) for (const f of layout.entries.fields) at = write(view, at, f, e[f[0]]);
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
