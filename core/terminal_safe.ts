/**
 * The one function that makes untrusted text safe to print on a terminal: kernel output, model
 * text and model-written code reach people through it, so an escape sequence in them is shown,
 * never interpreted (no clipboard write through OSC 52, no title change, no screen clear, no
 * cursor move to overwrite a status line, no bidi reordering of code under review).
 */

/**
 * C0 controls but tab and newline, DEL, C1 controls (0x9b is a one-byte CSI on some terminals),
 * and the Unicode bidi controls that reorder how code reads (CVE-2021-42574, "Trojan Source").
 */
// deno-lint-ignore no-control-regex
const UNSAFE = /\r\n|[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { "\r": "\\r", "\x1b": "\\x1b", "\x07": "\\a", "\b": "\\b" };

/**
 * `text` with every control character replaced by a visible escape (`\x1b`, `\r`, `\u202e`);
 * `\r\n` becomes `\n`. Tabs and newlines stay.
 *
 * @example
 * ```ts
 * terminalSafe("\x1b]52;c;cGF3bmVk\x07hi"); // "\\x1b]52;c;cGF3bmVk\\ahi"
 * ```
 */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, (c) => {
    if (c === "\r\n") return "\n";
    const named = NAMED[c];
    if (named) return named;
    const code = c.charCodeAt(0);
    return code <= 0xff
      ? `\\x${code.toString(16).padStart(2, "0")}`
      : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}
