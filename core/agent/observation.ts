/**
 * What goes back to the model after a cell: the result as the kernel rendered it (value,
 * console output, or the error with its line), cut to a fixed number of characters with a
 * note of what was cut. Big data stays in kernel variables; the model sees only this.
 */
import type { CellResult } from "./kernel_port.ts";
import { capText } from "./render_value.ts";

/** The observation text for one cell, at most about `maxChars` characters. */
export function cellObservation(result: CellResult, maxChars: number): string {
  const parts: string[] = [];
  if (result.stdout) parts.push(`stdout:\n${result.stdout}`);
  if (result.stderr) parts.push(`stderr:\n${result.stderr}`);
  if (result.error) {
    const where = result.error.line !== null ? ` (line ${result.error.line})` : "";
    parts.push(`Error${where}: ${result.error.name}: ${result.error.message}`);
  } else if (result.display) {
    parts.push(`result: ${result.display}`);
  }
  if (parts.length === 0) parts.push("ok (no output)");
  return capText(parts.join("\n"), maxChars);
}
