// One line of shell input, split into words, with access to the raw rest
// of the line for commands whose last argument is free text.

import { parseU32 } from "../../process-lib";

/** What integer() gives for a word that is not a whole number. */
export const NOT_A_NUMBER: i64 = i64.MIN_VALUE;

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

  /**
   * Word `index` as a signed decimal integer, so that a negative or huge
   * number can be answered in words rather than with the usage; numbers
   * beyond 18 digits saturate. NOT_A_NUMBER if it is missing or not one.
   */
  integer(index: i32): i64 {
    const text = this.word(index);
    const negative = text.startsWith("-");
    const digits = negative || text.startsWith("+") ? text.substring(1) : text;
    if (digits.length == 0) return NOT_A_NUMBER;
    let value: i64 = 0;
    for (let i = 0; i < digits.length; i++) {
      const code = digits.charCodeAt(i);
      if (code < 48 || code > 57) return NOT_A_NUMBER;
      if (value < 100_000_000_000_000_000) value = value * 10 + (code - 48);
    }
    return negative ? -value : value;
  }

  /** The line from word `index` to its end, spacing kept; "" if there are fewer words. */
  rest(index: i32): string {
    return index < this.words.length ? this.text.substring(this.starts[index]).trimEnd() : "";
  }
}

function isSpace(code: i32): bool {
  return code == 32 || code == 9;
}
