/** Cells files for `cli kernel run`: cells are separated by lines that are exactly `// %%`. */

/** Splits a cells file into cells (a leading or trailing empty cell is dropped). */
export function parseCells(text: string): string[] {
  const cells: string[][] = [[]];
  for (const line of text.replace(/\r\n/g, "\n").split("\n")) {
    if (line === "// %%") cells.push([]);
    else cells[cells.length - 1]!.push(line);
  }
  const out = cells.map((c) => c.join("\n"));
  if (out.length > 1 && out[0]!.trim() === "") out.shift();
  if (out.length > 1 && out[out.length - 1]!.trim() === "") out.pop();
  return out;
}
