/**
 * Runnable tools that are not files: each {@link ToolProvider} (one MCP server today; an
 * OpenAI-function catalogue with an implementation tomorrow) owns a name prefix and hands the
 * registry its current tools as {@link ProvidedTool}s, replacing the previous list whenever it
 * changes (a server's `tools/list_changed`, a restart). The registry runs them exactly like
 * file tools: same validation, approval, timeout, logging and search index.
 */
import type { ToolDefinition } from "../tool.ts";
import type { ToolSpec } from "./tool_spec.ts";

/** One runnable tool from a provider: what search shows and what a call runs. */
export interface ProvidedTool {
  /** `spec.name` must start with the provider's prefix. */
  spec: ToolSpec;
  definition: ToolDefinition;
}

/** A source of provided tools. */
export interface ToolProvider {
  /** Unique, e.g. `mcp:github`. */
  readonly id: string;
  /** Every name it provides starts with this (`github.`); tools.yaml's `github.*` matches it. */
  readonly prefix: string;
  /**
   * Brings its tools up to date (a lazy MCP server starts here) and calls
   * `registry.setProvided`. Awaited before a search and before a call of one of its names that
   * is not listed yet; it must not throw (it records why it has no tools instead).
   */
  prepare?(): Promise<void>;
  /** Why it cannot serve right now (a server that failed to start), for a call's error. */
  unavailable?(): string | undefined;
}

/** The providers and their current tools, for the registry. */
export class ProvidedTools {
  readonly #providers = new Map<string, ToolProvider>();
  readonly #tools = new Map<string, { tool: ProvidedTool; provider: string }>();
  readonly #listed = new Set<string>();

  /** Adds a provider; its id must be new and its prefix must not overlap another's. */
  add(provider: ToolProvider): void {
    if (this.#providers.has(provider.id)) {
      throw new Error(`Tool provider "${provider.id}" is already attached`);
    }
    for (const p of this.#providers.values()) {
      if (p.prefix.startsWith(provider.prefix) || provider.prefix.startsWith(p.prefix)) {
        throw new Error(
          `Tool provider "${provider.id}" (prefix "${provider.prefix}") overlaps "${p.id}" ` +
            `(prefix "${p.prefix}")`,
        );
      }
    }
    this.#providers.set(provider.id, provider);
  }

  /** Removes a provider; returns the names it had. */
  delete(id: string): string[] {
    const removed = this.set(id, []).removed;
    this.#providers.delete(id);
    this.#listed.delete(id);
    return removed;
  }

  /** Replaces a provider's tools; returns the names that went away and the new list. */
  set(id: string, tools: ProvidedTool[]): { removed: string[]; added: ProvidedTool[] } {
    const provider = this.#providers.get(id);
    if (!provider) throw new Error(`No tool provider "${id}" is attached`);
    for (const t of tools) {
      if (!t.spec.name.startsWith(provider.prefix)) {
        throw new Error(`Tool "${t.spec.name}" of provider "${id}" lacks its prefix`);
      }
    }
    const fresh = new Set(tools.map((t) => t.spec.name));
    const removed: string[] = [];
    for (const [name, e] of this.#tools) {
      if (e.provider === id && !fresh.has(name)) removed.push(name);
    }
    for (const name of removed) this.#tools.delete(name);
    for (const tool of tools) this.#tools.set(tool.spec.name, { tool, provider: id });
    this.#listed.add(id);
    return { removed, added: tools };
  }

  /** Whether the provider has handed over a list yet (a lazy server may not have). */
  listed(id: string): boolean {
    return this.#listed.has(id);
  }

  /** The provided tool of that name. */
  get(name: string): (ProvidedTool & { provider: string }) | undefined {
    const e = this.#tools.get(name);
    return e && { ...e.tool, provider: e.provider };
  }

  /** Every provided tool. */
  all(): (ProvidedTool & { provider: string })[] {
    return [...this.#tools.values()].map((e) => ({ ...e.tool, provider: e.provider }));
  }

  /** The provider whose prefix `name` starts with. */
  owner(name: string): ToolProvider | undefined {
    for (const p of this.#providers.values()) if (name.startsWith(p.prefix)) return p;
    return undefined;
  }

  /** Every provider's prefix. */
  prefixes(): string[] {
    return [...this.#providers.values()].map((p) => p.prefix);
  }

  /** Runs every provider's `prepare` at once; a provider that throws is ignored. */
  async prepareAll(): Promise<void> {
    await Promise.all(
      [...this.#providers.values()].map((p) => p.prepare?.().catch(() => {})),
    );
  }
}
