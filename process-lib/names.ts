// Rights as letters and back, and numbers parsed from text. The other words
// for ABI values are generated (generated/names.ts).

import { PERM_GRANT, PERM_READ, PERM_WRITE } from "../kernel/abi";

/** A perms byte as letters, e.g. "rw-". */
export function permsString(perms: u32): string {
  return (perms & PERM_READ ? "r" : "-") + (perms & PERM_WRITE ? "w" : "-") + (perms & PERM_GRANT ? "g" : "-");
}

/** Letters from "rwg" (any order, "-" ignored) or a number 0-7; -1 if neither. */
export function parsePerms(text: string): i32 {
  const number = parseU32(text);
  if (number >= 0) return number <= 7 ? <i32>number : -1;
  if (text.length == 0) return -1;
  let perms = 0;
  for (let i = 0; i < text.length; i++) {
    const letter = text.charAt(i);
    if (letter == "r") perms |= PERM_READ;
    else if (letter == "w") perms |= PERM_WRITE;
    else if (letter == "g") perms |= PERM_GRANT;
    else if (letter != "-") return -1;
  }
  return perms;
}

/** A u32 written in decimal or as 0x hex; -1 if the text is not one. */
export function parseU32(text: string): i64 {
  let digits = text;
  let radix: i64 = 10;
  if (text.startsWith("0x") || text.startsWith("0X")) {
    digits = text.substring(2);
    radix = 16;
  }
  if (digits.length == 0) return -1;
  let value: i64 = 0;
  for (let i = 0; i < digits.length; i++) {
    const digit = digitValue(digits.charCodeAt(i));
    if (digit < 0 || digit >= radix) return -1;
    value = value * radix + digit;
    if (value > 0xffffffff) return -1;
  }
  return value;
}

function digitValue(code: i32): i64 {
  if (code >= 48 && code <= 57) return code - 48; // 0-9
  if (code >= 97 && code <= 102) return code - 87; // a-f
  if (code >= 65 && code <= 70) return code - 55; // A-F
  return -1;
}
