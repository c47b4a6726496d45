// Little-endian payload encoding and UTF-8 text.
//
// ByteReader never traps: payloads come from other processes, and a
// malformed one must not fault the receiver. Reading past the end yields
// zeros and clears `ok`, so a decoder checks `ok` once at the end. Bytes
// left over after the last field are allowed.

/** UTF-8 bytes of a string. */
export function utf8Encode(text: string): Uint8Array {
  return Uint8Array.wrap(String.UTF8.encode(text));
}

/** The string in UTF-8 bytes; malformed sequences do not trap. */
export function utf8Decode(bytes: Uint8Array): string {
  return String.UTF8.decodeUnsafe(bytes.dataStart, bytes.byteLength);
}

export class ByteWriter {
  private buffer: Uint8Array;
  private length: i32 = 0;

  constructor(capacity: i32 = 64) {
    this.buffer = new Uint8Array(capacity);
  }

  u8(value: u32): ByteWriter {
    this.reserve(1);
    store<u8>(this.buffer.dataStart + this.length, <u8>value);
    this.length += 1;
    return this;
  }

  u16(value: u32): ByteWriter {
    this.reserve(2);
    store<u16>(this.buffer.dataStart + this.length, <u16>value);
    this.length += 2;
    return this;
  }

  u32(value: u32): ByteWriter {
    this.reserve(4);
    store<u32>(this.buffer.dataStart + this.length, value);
    this.length += 4;
    return this;
  }

  /** A u64 as the protocols send it: low u32, then high u32. */
  u64(value: u64): ByteWriter {
    return this.u32(<u32>value).u32(<u32>(value >> 32));
  }

  bytes(data: Uint8Array): ByteWriter {
    this.reserve(data.byteLength);
    memory.copy(this.buffer.dataStart + this.length, data.dataStart, data.byteLength);
    this.length += data.byteLength;
    return this;
  }

  /** `len u8, UTF-8 text`; text longer than 255 bytes is cut at 255. */
  shortString(text: string): ByteWriter {
    const encoded = utf8Encode(text);
    const length = min(encoded.byteLength, 255);
    return this.u8(length).bytes(encoded.subarray(0, length));
  }

  /** `len u16, UTF-8 text`; text longer than 65535 bytes is cut there. */
  string16(text: string): ByteWriter {
    const encoded = utf8Encode(text);
    const length = min(encoded.byteLength, 0xffff);
    return this.u16(length).bytes(encoded.subarray(0, length));
  }

  finish(): Uint8Array {
    return this.buffer.subarray(0, this.length);
  }

  private reserve(count: i32): void {
    if (this.length + count <= this.buffer.byteLength) return;
    const grown = new Uint8Array(max(this.buffer.byteLength * 2, this.length + count));
    memory.copy(grown.dataStart, this.buffer.dataStart, this.length);
    this.buffer = grown;
  }
}

export class ByteReader {
  private offset: i32 = 0;
  /** False once a read ran past the end. */
  ok: bool = true;

  constructor(private data: Uint8Array) {}

  remaining(): i32 {
    return this.data.byteLength - this.offset;
  }

  u8(): u32 {
    if (!this.take(1)) return 0;
    return load<u8>(this.data.dataStart + this.offset - 1);
  }

  u16(): u32 {
    if (!this.take(2)) return 0;
    return load<u16>(this.data.dataStart + this.offset - 2);
  }

  u32(): u32 {
    if (!this.take(4)) return 0;
    return load<u32>(this.data.dataStart + this.offset - 4);
  }

  /** Low u32, then high u32. */
  u64(): u64 {
    const low = <u64>this.u32();
    return (<u64>this.u32() << 32) | low;
  }

  bytes(count: i32): Uint8Array {
    if (count < 0 || !this.take(count)) return new Uint8Array(0);
    return this.data.subarray(this.offset - count, this.offset);
  }

  /** `len u8, UTF-8 text`. */
  shortString(): string {
    return utf8Decode(this.bytes(<i32>this.u8()));
  }

  /** `len u16, UTF-8 text`. */
  string16(): string {
    return utf8Decode(this.bytes(<i32>this.u16()));
  }

  private take(count: i32): bool {
    if (!this.ok || count > this.remaining()) {
      this.ok = false;
      return false;
    }
    this.offset += count;
    return true;
  }
}
