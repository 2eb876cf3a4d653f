/**
 * `tools.yaml` (or `tools.json`): per-tool switches and parameters, validated strictly so a
 * misspelt key is an error naming the key and the file rather than a silently ignored setting.
 *
 *     tools:
 *       word_count: { enabled: true, timeoutMs: 2000, requiresApproval: false, params: {} }
 *       "github.*": { requiresApproval: false }        # every tool of the MCP server "github"
 *       "github.delete_repo": { requiresApproval: true } # one of them (exact names win)
 */
import { z } from "zod";
import { parse as parseYaml } from "yaml";
import { ConfigError } from "../errors.ts";

/** Settings for one tool; every key optional. */
export const ToolSettingsSchema = z.strictObject({
  enabled: z.boolean().optional(),
  params: z.record(z.string(), z.unknown()).optional(),
  timeoutMs: z.number().int().positive().optional(),
  requiresApproval: z.boolean().optional(),
});

/** The whole file. */
export const ToolsConfigSchema = z.strictObject({
  tools: z.record(z.string(), ToolSettingsSchema).default({}),
});

/** Settings for one tool. */
export type ToolSettings = z.infer<typeof ToolSettingsSchema>;
/** The parsed file. */
export type ToolsConfig = z.infer<typeof ToolsConfigSchema>;

/**
 * The settings that apply to `name`: its exact key, else the longest `prefix*` key it matches
 * (`github.*`), else none.
 */
export function settingsFor(
  settings: Record<string, ToolSettings>,
  name: string,
): ToolSettings | undefined {
  const exact = settings[name];
  if (exact) return exact;
  let best: string | undefined;
  for (const key of Object.keys(settings)) {
    if (!key.endsWith("*")) continue;
    const prefix = key.slice(0, -1);
    if (name.startsWith(prefix) && (best === undefined || prefix.length > best.length - 1)) {
      best = key;
    }
  }
  return best === undefined ? undefined : settings[best];
}

/** Parses config text; `file` names the source in errors. Throws {@link ConfigError}. */
export function parseToolsConfig(text: string, file: string): ToolsConfig {
  let raw: unknown;
  try {
    raw = file.endsWith(".json") ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    throw new ConfigError(`Cannot parse tools config "${file}": ${(e as Error).message}`);
  }
  const result = ToolsConfigSchema.safeParse(raw ?? {});
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const path = issue.path.map(String).join(".");
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((k) => `unknown key "${path ? path + "." : ""}${k}"`).join(", ");
    }
    return `${path || "(top level)"}: ${issue.message}`;
  });
  throw new ConfigError(`Invalid tools config "${file}":\n  ${lines.join("\n  ")}`);
}

/** Reads and parses a config file; a missing file at an optional path gives an empty config. */
export async function loadToolsConfig(file: string, optional = false): Promise<ToolsConfig> {
  let text: string;
  try {
    text = await Deno.readTextFile(file);
  } catch (e) {
    if (optional && e instanceof Deno.errors.NotFound) return { tools: {} };
    throw new ConfigError(`Cannot read tools config "${file}": ${(e as Error).message}`);
  }
  return parseToolsConfig(text, file);
}

/** The default config path: `./tools.yaml`, else `./tools.yml`, else `./tools.json`, if any. */
export function defaultToolsConfigPath(): string | undefined {
  for (const name of ["tools.yaml", "tools.yml", "tools.json"]) {
    try {
      if (Deno.statSync(name).isFile) return name;
    } catch {
      // absent
    }
  }
  return undefined;
}
