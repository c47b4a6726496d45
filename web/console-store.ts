// Console output of every process, decoded once (UTF-8, streaming per PID so
// a character split across two writes stays whole) and kept for the page API
// and the process panel: the last `capChars` characters per PID.

export const CONSOLE_CAP_CHARS = 1 << 20; // about 1 MiB of text per PID

interface Text {
  chunks: string[];
  length: number;
  decoder: TextDecoder;
  total: number; // characters ever written
}

export class ConsoleStore {
  private readonly texts = new Map<number, Text>();

  constructor(private readonly capChars = CONSOLE_CAP_CHARS) {}

  /** Decodes and stores one chunk of a process's output; returns the text. */
  append(pid: number, bytes: Uint8Array): string {
    let t = this.texts.get(pid);
    if (!t) this.texts.set(pid, (t = { chunks: [], length: 0, decoder: new TextDecoder('utf-8'), total: 0 }));
    const text = t.decoder.decode(bytes, { stream: true });
    if (text.length === 0) return text;
    t.chunks.push(text);
    t.length += text.length;
    t.total += text.length;
    // Drop whole chunks from the front while what remains still covers the cap.
    while (t.chunks.length > 1 && t.length - t.chunks[0]!.length >= this.capChars) {
      t.length -= t.chunks.shift()!.length;
    }
    if (t.chunks.length > 64) { // keep joins cheap: fold small chunks together
      const joined = t.chunks.join('');
      t.chunks = [joined];
    }
    return text;
  }

  /** Everything kept of a PID's output (at most the cap, the newest part). */
  text(pid: number): string {
    const t = this.texts.get(pid);
    if (!t) return '';
    const all = t.chunks.join('');
    if (t.chunks.length > 1) t.chunks = [all];
    return all.length > this.capChars ? all.slice(all.length - this.capChars) : all;
  }

  /** The last `chars` characters of a PID's output. */
  tail(pid: number, chars: number): string {
    const all = this.text(pid);
    return all.length > chars ? all.slice(all.length - chars) : all;
  }

  /** Characters this PID has ever written (not capped): a cheap change marker. */
  written(pid: number): number {
    return this.texts.get(pid)?.total ?? 0;
  }
}
