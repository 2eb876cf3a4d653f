/**
 * How a child process's command line is built: Deno permission flags from actor permissions
 * (deny by default), the deno binary to spawn and the DENO_DIR a child with a cleared
 * environment must be told.
 */
import type { ActorPermissions } from "./actor.ts";

const PATH_KEYS = new Set(["read", "write", "ffi"]);
const KEYS = ["read", "write", "net", "env", "sys", "run", "ffi", "import"] as const;

/**
 * Maps actor permissions to `--allow-*` flags, deny by default: `true` allows all, a list
 * allows those entries (paths resolved against `cwd`), anything else adds no flag. Remote
 * imports are denied with `--deny-import` unless `import` is granted.
 */
export function permissionFlags(perms: ActorPermissions, cwd: string): string[] {
  const flags: string[] = [];
  for (const key of KEYS) {
    const value = perms[key];
    if (value === true) flags.push(`--allow-${key}`);
    else if (Array.isArray(value) && value.length > 0) {
      for (const v of value) {
        if (typeof v !== "string" || v === "" || v.includes(",")) {
          throw new TypeError(`permissions.${key}: bad entry ${JSON.stringify(v)}`);
        }
      }
      const list = PATH_KEYS.has(key) ? value.map((v) => resolvePath(cwd, v)) : value;
      flags.push(`--allow-${key}=${list.join(",")}`);
    } else if (value !== undefined && value !== false && !Array.isArray(value)) {
      throw new TypeError(`permissions.${key}: expected boolean or string[], got ${typeof value}`);
    }
  }
  if (!perms.import) flags.push("--deny-import");
  return flags;
}

function resolvePath(cwd: string, p: string): string {
  if (p.startsWith("/")) return normalize(p);
  return normalize(`${cwd.replace(/\/+$/, "")}/${p}`);
}

function normalize(p: string): string {
  const out: string[] = [];
  for (const part of p.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") out.pop();
    else out.push(part);
  }
  return "/" + out.join("/");
}

/** The DENO_DIR the supervisor uses, so a child with a cleared environment finds the cache. */
export function denoDir(): string | undefined {
  try {
    const explicit = Deno.env.get("DENO_DIR");
    if (explicit) return explicit;
    const xdg = Deno.env.get("XDG_CACHE_HOME");
    if (xdg) return `${xdg}/deno`;
    const home = Deno.env.get("HOME");
    return home ? `${home}/.cache/deno` : undefined;
  } catch {
    return undefined; // no env permission: the child falls back to its own default
  }
}

let binary: string | undefined;
/**
 * The deno binary to spawn: `Deno.execPath()`, unless the supervisor's run permission names
 * `deno` (tasks use `--allow-run=deno`) and execPath is the symlink's target, which that grant
 * does not cover; then the `deno` found on PATH.
 */
export function denoBinary(): string {
  if (binary) return binary;
  const exec = Deno.execPath();
  if (Deno.permissions.querySync({ name: "run", command: exec }).state === "granted") {
    return binary = exec;
  }
  let path = "";
  try {
    path = Deno.env.get("PATH") ?? "";
  } catch { /* no env permission */ }
  for (const dir of path.split(":")) {
    const candidate = `${dir}/deno`;
    if (Deno.permissions.querySync({ name: "run", command: candidate }).state !== "granted") {
      continue;
    }
    try {
      if (Deno.realPathSync(candidate) === exec) return binary = candidate;
    } catch (e) {
      // No read permission on the PATH entry (e.g. `--allow-read=.`): it may run, so use it.
      if (e instanceof Deno.errors.NotCapable) return binary = candidate;
    }
  }
  return binary = exec;
}
