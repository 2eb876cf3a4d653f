/**
 * Waits for a condition that an outside event makes true (a server restarting, a call reaching
 * its approver), checking every 25 ms. Not a timing assertion: the 30 s cap only keeps a broken
 * build from hanging, and its error names what never happened.
 */
export async function waitFor(
  condition: () => boolean,
  what: string,
  capMs = 30_000,
): Promise<void> {
  const end = Date.now() + capMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`waited ${capMs} ms for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
