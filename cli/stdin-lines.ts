// Standard input that is not a terminal (a pipe, a file), cut into the
// pieces that go to the first program: one line each, with its "\n". A
// line longer than one message's payload goes in several pieces, cut on a
// UTF-8 character boundary. Written here rather than with node:readline
// because readline keeps a whole line in memory, however long: `zos run
// terminal < /dev/zero` must not grow without bound.

import { MAX_PAYLOAD } from '../kernel/abi.ts';

const NEWLINE = 0x0a;

export async function* stdinPieces(input: AsyncIterable<Uint8Array>, maxPiece = MAX_PAYLOAD): AsyncGenerator<Uint8Array> {
  let pending: Uint8Array = new Uint8Array(0);
  for await (const chunk of input) {
    pending = pending.length === 0 ? chunk : concat(pending, chunk);
    let start = 0;
    for (;;) {
      const newline = pending.indexOf(NEWLINE, start);
      const lineEnd = newline < 0 ? pending.length : newline + 1;
      if (lineEnd - start <= maxPiece && newline >= 0) {
        yield pending.slice(start, lineEnd);
        start = lineEnd;
      } else if (pending.length - start > maxPiece) {
        const end = characterBoundary(pending, start + maxPiece, start);
        yield pending.slice(start, end);
        start = end;
      } else break;
    }
    pending = pending.slice(start);
  }
  if (pending.length > 0) yield pending; // the last line, without its "\n"
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** `at`, or before it so as not to cut a UTF-8 sequence (continuation bytes are 10xxxxxx). */
function characterBoundary(bytes: Uint8Array, at: number, min: number): number {
  let end = at;
  while (end > min + 1 && (bytes[end]! & 0xc0) === 0x80) end--;
  return end;
}
