/**
 * JSON from the kernel is untrusted: parsing drops `__proto__` keys, so a value a cell returns
 * can never change a prototype in the supervisor, even if later merged with Object.assign.
 */

/** JSON.parse without `__proto__` keys. */
export function safeJsonParse(text: string): unknown {
  return JSON.parse(text, (key, value) => (key === "__proto__" ? undefined : value));
}
