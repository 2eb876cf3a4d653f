/**
 * Code shown over the network with what a person typed as data withheld: the contents of string
 * and template literals become `…` and comments are dropped, then the text goes through
 * redact.ts. A small scanner, not a parser: when it cannot tell a regex literal from a division
 * it masks too much, never too little (a string it enters ends at its quote or the line's end).
 */
import { redactText } from "./redact.ts";

/** Masks the literals and comments of `code` (TypeScript or JavaScript). */
export function maskCodeLiterals(code: string): string {
  let out = "";
  let i = 0;
  while (i < code.length) {
    const c = code[i]!;
    const next = code[i + 1];
    if (c === "/" && next === "/") {
      while (i < code.length && code[i] !== "\n") i++;
    } else if (c === "/" && next === "*") {
      const end = code.indexOf("*/", i + 2);
      i = end < 0 ? code.length : end + 2;
      out += " ";
    } else if (c === '"' || c === "'" || c === "`") {
      i = skipString(code, i);
      out += `${c}…${c}`;
    } else {
      out += c;
      i++;
    }
  }
  return redactText(out);
}

/** The index after the literal that starts at `start`. */
function skipString(code: string, start: number): number {
  const quote = code[start];
  let i = start + 1;
  while (i < code.length) {
    const c = code[i]!;
    if (c === "\\") i += 2;
    else if (c === quote) return i + 1;
    else if (c === "\n" && quote !== "`") return i;
    else i++;
  }
  return i;
}
