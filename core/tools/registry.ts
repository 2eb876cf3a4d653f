/**
 * The tool registry: every tool the kernel can call (files in `tools/`, and tools of providers
 * such as MCP servers, see tool_providers.ts) plus catalogue entries it can only search and
 * describe. It applies `tools.yaml`, keeps a search index up to date on reload and whenever a
 * provider's list changes, and runs calls through {@link callTool}. Load errors and config
 * warnings are kept in lists rather than thrown, so one bad file never takes the others down.
 */
import type { Logger } from "../log.ts";
import { Logger as BaseLogger } from "../log.ts";
import type { ToolDefinition } from "../tool.ts";
import {
  type Approver,
  type CallContext,
  callTool,
  denyAll,
  type ToolResult,
} from "./call_tool.ts";
import { closeNames } from "./close_names.ts";
import { type HybridOptions, HybridToolSearch, type TextEmbedder } from "./hybrid_search.ts";
import { relatedWordsLoadError } from "./related_words.ts";
import { loadToolFiles, type ToolLoadError } from "./tool_loader.ts";
import { type ProvidedTool, ProvidedTools, type ToolProvider } from "./tool_providers.ts";
import { type ToolHit, ToolSearch, type ToolSearchOptions } from "./tool_search.ts";
import { specFromDefinition, type ToolSpec } from "./tool_spec.ts";
import { settingsFor, type ToolsConfig, type ToolSettings } from "./tools_config.ts";

/** Options for {@link ToolRegistry}. */
export interface RegistryOptions {
  /** Folder of tool files; none when only catalogues are used. */
  dir?: string;
  config?: ToolsConfig;
  /** Where `config` came from, for warnings. */
  configPath?: string;
  log?: Logger;
  /** Asked before a tool with `requiresApproval` runs; default: deny. */
  approver?: Approver;
  search?: ToolSearchOptions;
  /**
   * Semantic search for {@link ToolRegistry.rank}: an embedder, where to keep its vectors, and
   * fusion settings for it (see {@link HybridOptions}).
   */
  semantic?:
    | {
      embedder: TextEmbedder & { close?(): void };
      cacheFile?: string;
      fusion?: Pick<HybridOptions, "weight" | "minFit" | "keywordScale">;
    }
    | undefined;
  /** Timeout for tools that set none; default 30 s. */
  defaultTimeoutMs?: number;
  /** Providers attached from the start (so tools.yaml keys for them are not warned about). */
  providers?: ToolProvider[];
}

/** A row of `tools list`. */
export interface ToolInfo {
  name: string;
  description: string;
  source: string;
  enabled: boolean;
  runnable: boolean;
  requiresApproval: boolean;
  timeoutMs: number;
}

interface Entry {
  spec: ToolSpec;
  definition?: ToolDefinition;
  settings: ToolSettings;
}

/** See the file doc. Create with `new`, then `await reload()` (or use {@link openRegistry}). */
export class ToolRegistry {
  /** Files that did not load, each message naming the file. */
  loadErrors: ToolLoadError[] = [];
  /** Config entries for tools that do not exist, and similar non-fatal findings. */
  warnings: string[] = [];
  readonly #opts: RegistryOptions;
  readonly #log: Logger;
  readonly #entries = new Map<string, Entry>();
  readonly #catalog = new Map<string, ToolSpec>();
  readonly #provided = new ProvidedTools();
  readonly #search: ToolSearch;
  readonly #hybrid?: HybridToolSearch;
  /** Why semantic search was given up (logged once); keyword search serves from then on. */
  #semanticError?: string;
  readonly #listeners = new Set<() => void>();
  #reloading: Promise<void> = Promise.resolve();

  constructor(options: RegistryOptions = {}) {
    this.#opts = options;
    this.#log = options.log ?? new BaseLogger({ actor: "tools" });
    this.#search = new ToolSearch(options.search ?? {});
    for (const p of options.providers ?? []) this.#provided.add(p);
    const missing = options.search?.relatedWords === undefined && relatedWordsLoadError();
    if (missing) this.#log.warn("related_words_unavailable", { error: missing });
    const semantic = options.semantic;
    if (semantic) {
      this.#hybrid = new HybridToolSearch(this.#search, semantic.embedder, {
        ...semantic.fusion,
        ...(semantic.cacheFile ? { cacheFile: semantic.cacheFile } : {}),
        progress: (done, total) => this.#log.info("tool_vectors", { done, total }),
      });
    }
  }

  /**
   * (Re)loads the tool folder, re-applies the config and updates the index incrementally.
   * Concurrent calls (a watcher event during a manual reload) run one after the other.
   */
  reload(): Promise<void> {
    const next = this.#reloading.then(() => this.#reload());
    this.#reloading = next.catch(() => {});
    return next;
  }

  async #reload(): Promise<void> {
    const { tools, errors } = this.#opts.dir
      ? await loadToolFiles(this.#opts.dir)
      : { tools: [], errors: [] };
    const settings = this.#opts.config?.tools ?? {};
    const fresh = new Map<string, Entry>();
    for (const t of tools) {
      let spec: ToolSpec;
      try {
        spec = specFromDefinition(t.name, t.definition, t.path);
      } catch (e) {
        // A schema zod cannot express as JSON Schema: report the file, keep the others.
        const message = `Cannot load tool "${t.path}": cannot render its schema: ${
          (e as Error).message
        }`;
        errors.push({ path: t.path, message });
        continue;
      }
      fresh.set(t.name, {
        spec,
        definition: t.definition,
        settings: settingsFor(settings, t.name) ?? {},
      });
    }
    for (const name of this.#entries.keys()) {
      if (!fresh.has(name)) this.#search.remove([name]);
    }
    this.#entries.clear();
    for (const [name, e] of fresh) this.#entries.set(name, e);
    this.#search.add(
      [...fresh.values()].filter((e) => e.settings.enabled !== false).map((e) => e.spec),
    );
    this.#search.remove(
      [...fresh.values()].filter((e) => e.settings.enabled === false).map((e) => e.spec.name),
    );
    this.loadErrors = errors;
    for (const e of errors) this.#log.error("tool_load_failed", { error: e.message });
    this.#checkConfig();
    this.#log.info("tools_loaded", { tools: fresh.size, errors: errors.length });
    for (const listener of this.#listeners) listener();
  }

  /** Warns (once per finding) about tools.yaml keys that configure no tool. */
  #checkConfig(): void {
    const where = this.#opts.configPath ? ` in "${this.#opts.configPath}"` : "";
    const names = [...this.#entries.keys(), ...this.#provided.all().map((t) => t.spec.name)];
    const known = new Set(names);
    const before = new Set(this.warnings);
    this.warnings = Object.keys(this.#opts.config?.tools ?? {}).filter((key) => {
      if (key.endsWith("*")) {
        const prefix = key.slice(0, -1);
        return !names.some((n) => n.startsWith(prefix)) &&
          !this.#provided.prefixes().some((p) => p.startsWith(prefix) || prefix.startsWith(p));
      }
      if (known.has(key)) return false;
      // A provider that has not listed its tools yet (a lazy server) may still have it.
      const owner = this.#provided.owner(key);
      return !owner || this.#provided.listed(owner.id);
    }).map((n) => `tools config${where} configures "${n}" but there is no such tool`);
    for (const w of this.warnings) {
      if (!before.has(w)) this.#log.warn("tools_config_warning", { message: w });
    }
  }

  /**
   * Attaches a provider of runnable tools (an MCP server): it owns every name that starts with
   * its prefix and supplies them through {@link setProvided}.
   */
  addProvider(provider: ToolProvider): void {
    this.#provided.add(provider);
    this.#checkConfig();
  }

  /** Detaches a provider; its tools leave the registry and the search index. */
  removeProvider(id: string): void {
    this.setProvided(id, []);
    this.#provided.delete(id);
  }

  /**
   * Replaces a provider's tools (after its first listing, a `tools/list_changed`, a restart):
   * the search index and tools.yaml checks follow, and reload listeners are called.
   */
  setProvided(id: string, tools: ProvidedTool[]): void {
    const { removed } = this.#provided.set(id, tools);
    const settings = this.#opts.config?.tools ?? {};
    const enabled = (name: string) => settingsFor(settings, name)?.enabled !== false;
    this.#search.remove([
      ...removed,
      ...tools.filter((t) => !enabled(t.spec.name)).map((t) => t.spec.name),
    ]);
    this.#search.add(tools.filter((t) => enabled(t.spec.name)).map((t) => t.spec));
    this.#checkConfig();
    this.#log.info("tools_provided", { provider: id, tools: tools.length });
    for (const listener of this.#listeners) listener();
  }

  /** Adds catalogue entries (searchable and describable, not runnable). Files win on a clash. */
  addCatalog(specs: ToolSpec[]): void {
    const add = specs.filter((s) => !this.#entries.has(s.name));
    for (const s of add) this.#catalog.set(s.name, s);
    this.#search.add(add);
  }

  /** Calls `listener` after every reload; returns a function that unsubscribes. */
  onReload(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Every tool file and provided tool (enabled or not) and catalogue entry. */
  list(): ToolInfo[] {
    const rows: ToolInfo[] = [];
    for (const [name, e] of [...this.#entries, ...this.#providedEntries()]) {
      rows.push({
        name,
        description: e.spec.description,
        source: e.spec.source,
        enabled: e.settings.enabled !== false,
        runnable: true,
        requiresApproval: this.#policy(e).requiresApproval,
        timeoutMs: this.#policy(e).timeoutMs,
      });
    }
    for (const [name, s] of this.#catalog) {
      rows.push({
        name,
        description: s.description,
        source: s.source,
        enabled: true,
        runnable: false,
        requiresApproval: false,
        timeoutMs: 0,
      });
    }
    return rows;
  }

  /** Ranked enabled tools for `query` (see {@link ToolSearch.search}). */
  search(query: string, k = 5, minScore?: number): ToolHit[] {
    return this.#search.search(query, k, minScore);
  }

  /**
   * What `search_tools` uses: keyword and semantic search fused when an embedder is configured
   * (embedding new or edited tools first), keyword search alone otherwise. If the embedder
   * fails, the failure is logged once and keyword search serves this and later queries.
   */
  async rank(query: string, k = 5): Promise<ToolHit[]> {
    await this.#provided.prepareAll();
    if (!this.#hybrid || this.#semanticError) return this.search(query, k);
    try {
      await this.#hybrid.sync();
      return await this.#hybrid.search(query, k);
    } catch (e) {
      this.#semanticError = (e as Error).message;
      this.#log.warn("semantic_tool_search_off", {
        error: this.#semanticError,
        hint: "search_tools falls back to keywords; set TOOL_SEARCH_EMBEDDER=off to silence",
      });
      return this.search(query, k);
    }
  }

  /** Stops the semantic embedder's worker, if any. */
  close(): void {
    this.#opts.semantic?.embedder.close?.();
  }

  /** The spec of an enabled tool or catalogue entry. */
  spec(name: string): ToolSpec | undefined {
    return this.#search.spec(name);
  }

  /** Names the model may call or look up (enabled tools and catalogue entries). */
  names(): string[] {
    return this.#search.specs().map((s) => s.name);
  }

  /** Specs of every enabled tool and catalogue entry (what search covers). */
  specs(): ToolSpec[] {
    return this.#search.specs();
  }

  /**
   * Runs a tool; never throws on a model mistake (unknown name, bad args, failure). A name a
   * provider owns but has not listed yet waits for the provider to list (a lazy server starts).
   */
  async call(name: string, args: unknown, ctx: CallContext = {}): Promise<ToolResult> {
    let entry = this.#entry(name);
    const owner = entry ? undefined : this.#provided.owner(name);
    if (owner?.prepare) {
      await owner.prepare().catch(() => {});
      entry = this.#entry(name);
    }
    const down = entry ? undefined : owner?.unavailable?.();
    if (down) {
      this.#log.info("tool_call", { tool: name, ok: false, ms: 0, code: "unavailable" });
      return { ok: false, error: { code: "unavailable", message: down }, ms: 0 };
    }
    if (!entry || !entry.definition) {
      const known = this.#catalog.has(name);
      const code = known ? "not_runnable" : "unknown_tool";
      const near = closeNames(name, this.names());
      const signature = known ? this.#catalog.get(name)?.signature : undefined;
      const message = signature
        ? `"${name}" is not called through tools: call it as declared, ${signature}`
        : known
        ? `Tool "${name}" comes from a catalogue and has no implementation here`
        : `Unknown tool "${name}"` +
          (near.length
            ? `; did you mean ${near.map((n) => `"${n}"`).join(", ")}?`
            : "; use search_tools to find one");
      this.#log.info("tool_call", { tool: name, ok: false, ms: 0, code });
      return { ok: false, error: { code, message }, ms: 0 };
    }
    if (entry.settings.enabled === false) {
      const message = `Tool "${name}" is disabled in the tools config`;
      return { ok: false, error: { code: "disabled", message }, ms: 0 };
    }
    return await callTool(name, entry.definition, args, this.#policy(entry), {
      log: this.#log,
      approver: this.#opts.approver ?? denyAll,
      ctx,
      source: entry.spec.source,
    });
  }

  /** A tool file or provided tool by name, with its tools.yaml settings. */
  #entry(name: string): Entry | undefined {
    const file = this.#entries.get(name);
    if (file) return file;
    const p = this.#provided.get(name);
    return p && this.#providedEntry(p);
  }

  #providedEntries(): [string, Entry][] {
    return this.#provided.all().map((p) => [p.spec.name, this.#providedEntry(p)]);
  }

  #providedEntry(p: ProvidedTool): Entry {
    const settings = settingsFor(this.#opts.config?.tools ?? {}, p.spec.name) ?? {};
    return { spec: p.spec, definition: p.definition, settings };
  }

  #policy(e: Entry) {
    return {
      timeoutMs: e.settings.timeoutMs ?? e.definition?.timeoutMs ?? this.#opts.defaultTimeoutMs ??
        30_000,
      requiresApproval: e.settings.requiresApproval ?? e.definition?.requiresApproval ?? false,
      params: e.settings.params ?? {},
    };
  }
}

/** Creates a registry and loads it. */
export async function openRegistry(options: RegistryOptions = {}): Promise<ToolRegistry> {
  const registry = new ToolRegistry(options);
  await registry.reload();
  return registry;
}
