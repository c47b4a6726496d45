// One line of shell input, split into words, with access to the raw rest
// of the line for commands whose last argument is free text.

import { parseU32 } from "../../process-lib";

export class CommandLine {
  private words: string[] = [];
  private starts: i32[] = []; // offset of each word in the line

  constructor(private text: string) {
    let i = 0;
    while (i < text.length) {
      while (i < text.length && isSpace(text.charCodeAt(i))) i++;
      if (i == text.length) break;
      const start = i;
      while (i < text.length && !isSpace(text.charCodeAt(i))) i++;
      this.words.push(text.substring(start, i));
      this.starts.push(start);
    }
  }

  get count(): i32 {
    return this.words.length;
  }

  /** Word `index` (0 is the command), or "" if there are fewer words. */
  word(index: i32): string {
    return index < this.words.length ? this.words[index] : "";
  }

  /** Word `index` as a u32 (decimal or 0x hex), or -1 if it is missing or not a number. */
  number(index: i32): i64 {
    return index < this.words.length ? parseU32(this.words[index]) : -1;
  }

  /** The line from word `index` to its end, spacing kept; "" if there are fewer words. */
  rest(index: i32): string {
    return index < this.words.length ? this.text.substring(this.starts[index]).trimEnd() : "";
  }
}

function isSpace(code: i32): bool {
  return code == 32 || code == 9;
}
