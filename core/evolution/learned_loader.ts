/**
 * Loads approved learned functions into a kernel, so "teach it once" holds in every new session
 * and kernel: each current, intact file of `learned_skills/functions/` (its header's sha-256
 * matches its body; edited files are skipped and logged) becomes one import cell
 * `import { twice } from "file:///…/twice.ts?v=<sha>"`. A static import in a cell binds the names
 * for later cells and is a definition, so a restarted kernel gets it back by replay. The kernel
 * only reads learned_skills/; the supervisor never imports these files.
 */
import { parse } from "acorn";
import type { Node } from "acorn";
import { transform } from "sucrase";
import type { Logger } from "../log.ts";
import { parseSkill } from "./skill_file.ts";

/** What an import cell needs of a kernel. */
export interface ImportingKernel {
  execute(code: string): Promise<{ ok: boolean; error: { message: string } | null }>;
}

/** The cell that imports the learned file at absolute `path` and binds its exports. */
export function importCell(path: string, version: string, source?: string): string {
  if (!path.startsWith("/")) throw new TypeError(`importCell: "${path}" is not absolute`);
  const url = new URL("file://");
  url.pathname = path;
  url.searchParams.set("v", version.slice(0, 12)); // a new version is a new module
  const names = source === undefined ? [] : exportedNames(source);
  return names.length
    ? `import { ${names.join(", ")} } from ${JSON.stringify(url.href)};`
    : `Object.assign(globalThis, await import(${JSON.stringify(url.href)})); void 0`;
}

/** Names a module exports (functions, classes, variables, `export { a }`), without running it. */
export function exportedNames(source: string): string[] {
  let body: Node[];
  try {
    const js = transform(source, { transforms: ["typescript"] }).code;
    body = (parse(js, { ecmaVersion: "latest", sourceType: "module" }) as Node & { body: Node[] })
      .body;
  } catch {
    return [];
  }
  const out = new Set<string>();
  for (const n of body as (Node & Record<string, unknown>)[]) {
    if (n.type !== "ExportNamedDeclaration" || n.source) continue;
    const d = n.declaration as (Node & Record<string, unknown>) | null;
    if (d?.type === "FunctionDeclaration" || d?.type === "ClassDeclaration") {
      out.add((d.id as { name: string }).name);
    } else if (d?.type === "VariableDeclaration") {
      for (const v of d.declarations as { id: Node & { name?: string } }[]) {
        if (v.id.type === "Identifier") out.add(v.id.name!);
      }
    }
    for (const s of (n.specifiers ?? []) as { exported: { name?: string } }[]) {
      if (s.exported.name && s.exported.name !== "default") out.add(s.exported.name);
    }
  }
  return [...out].filter((x) => /^[A-Za-z_$][\w$]*$/.test(x));
}

/** Imports every current, intact learned function into `kernel`; returns the names loaded. */
export async function loadLearnedFunctions(
  kernel: ImportingKernel,
  learnedDir: string,
  log?: Logger,
): Promise<string[]> {
  const dir = `${learnedDir}/functions`;
  let files: string[];
  try {
    files = (await Array.fromAsync(Deno.readDir(dir)))
      .filter((e) => e.isFile && e.name.endsWith(".ts") && !e.name.startsWith("."))
      .map((e) => e.name).sort();
  } catch {
    return [];
  }
  const loaded: string[] = [];
  for (const file of files) {
    const path = `${dir}/${file}`;
    const skill = await parseSkill(await Deno.readTextFile(path), path).catch((e) => e as Error);
    if (skill instanceof Error || !skill.intact) {
      const reason = skill instanceof Error ? skill.message : "changed outside the pipeline";
      log?.warn("evolution.learned_skipped", { path, reason });
      continue;
    }
    const r = await kernel.execute(importCell(path, skill.meta.sha256, skill.body));
    if (r.ok) loaded.push(file.slice(0, -3));
    else log?.warn("evolution.load_failed", { path, error: r.error?.message });
  }
  return loaded;
}
