/**
 * The names the model sees for MCP tools: `<server>.<tool>`, called from a cell as
 * `await tools.<server>.<tool>(input)`. Both parts are made identifiers: every character
 * outside `[A-Za-z0-9_]` becomes `_` (`brave-search` → `brave_search`, `get-sum` → `get_sum`)
 * and a leading digit gets a `_` before it. Two tools of one server that end up with the same
 * name are told apart by `_2`, `_3`, ... in the order the server lists them. The server's own
 * tool name is kept for the call and shown in the tool's tags, so search finds either spelling.
 */

/** `brave-search` → `brave_search`; `123` → `_123`. */
export function identifierOf(text: string): string {
  const id = text.replace(/[^A-Za-z0-9_]/g, "_");
  return /^[0-9]/.test(id) || id === "" ? `_${id}` : id;
}

/** The namespace of a server's tools, from its key in `mcpServers`. */
export function namespaceOf(serverName: string): string {
  return identifierOf(serverName);
}

/** Full names for a server's tool list, in order: MCP name → `<namespace>.<identifier>`. */
export function toolNames(namespace: string, mcpNames: string[]): Map<string, string> {
  const out = new Map<string, string>();
  const taken = new Set<string>();
  for (const mcpName of mcpNames) {
    if (out.has(mcpName)) continue; // a server listing one name twice: first wins
    const base = identifierOf(mcpName);
    let id = base;
    for (let n = 2; taken.has(id); n++) id = `${base}_${n}`;
    taken.add(id);
    out.set(mcpName, `${namespace}.${id}`);
  }
  return out;
}
