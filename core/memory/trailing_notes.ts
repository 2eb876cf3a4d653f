/**
 * Trailing notes of a memory's text: bracketed or parenthesised groups a writer appends after
 * the words themselves ("… [shares a photo: a lake]", "… (1:56 pm on 8 May, 2023)"). Features
 * of how a text ends (a question? a time?) look past them.
 */

/** The text without trailing "[…]" and "(…)" groups (not nested). */
export function withoutTrailingNotes(text: string): string {
  let end = text.trimEnd().length;
  for (;;) {
    const last = text[end - 1];
    const open = last === "]" ? "[" : last === ")" ? "(" : "";
    if (!open) break;
    const start = text.lastIndexOf(open, end - 2);
    if (start < 0 || text.lastIndexOf(last!, end - 2) > start) break; // unbalanced: not a note
    end = text.slice(0, start).trimEnd().length;
  }
  return text.slice(0, end);
}
