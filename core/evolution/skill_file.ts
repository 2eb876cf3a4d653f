/**
 * Learned-function files: a header (name, version, created, model, source session, sha-256 of
 * the body) above the generated code, and versioning. The current version always lives at
 * `functions/<name>.ts` (a stable path to import and to index); regenerating moves the previous
 * file to `functions/.versions/<name>.v<N>.ts`, which directory scans of `*.ts` skip.
 */

/** What the header records. */
export interface SkillMeta {
  name: string;
  version: number;
  created: string;
  model: string;
  session: string;
  /** sha-256 (hex) of the body, i.e. everything after the header. */
  sha256: string;
}

/** A parsed learned file; `intact` is false when the body no longer matches its hash. */
export interface SkillFile {
  meta: SkillMeta;
  body: string;
  intact: boolean;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const FIELDS = ["name", "version", "created", "model", "session", "sha256"] as const;

/** Throws a clear error unless `name` can be a file name and a TypeScript identifier. */
export function assertSkillName(name: string): void {
  if (!NAME.test(name)) {
    throw new TypeError(
      `Invalid skill name ${JSON.stringify(name)}: expected letters, digits and _ (max 64), ` +
        `not starting with a digit`,
    );
  }
}

/** Hex sha-256 of a text's UTF-8 bytes. */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** The file text: header comment, a blank line, then the body. */
export function composeSkill(meta: SkillMeta, body: string): string {
  const lines = FIELDS.map((k) => ` * @${k} ${meta[k]}`);
  return `/**\n * Learned skill (generated; reviewed before loading).\n${
    lines.join("\n")
  }\n */\n\n${body}`;
}

/** Parses a learned file; throws naming what is missing when it has no valid header. */
export async function parseSkill(text: string, where = "learned file"): Promise<SkillFile> {
  const m = /^\/\*\*\n \* Learned skill[^\n]*\n((?: \* @\w+ [^\n]*\n)+) \*\/\n\n/.exec(text);
  if (!m) throw new Error(`Cannot read ${where}: no learned-skill header`);
  const fields: Record<string, string> = {};
  for (const line of m[1]!.split("\n")) {
    const f = /^ \* @(\w+) (.*)$/.exec(line);
    if (f) fields[f[1]!] = f[2]!;
  }
  for (const k of FIELDS) {
    if (fields[k] === undefined) throw new Error(`Cannot read ${where}: header has no @${k}`);
  }
  const body = text.slice(m[0].length);
  const meta: SkillMeta = {
    name: fields.name!,
    version: Number(fields.version),
    created: fields.created!,
    model: fields.model!,
    session: fields.session!,
    sha256: fields.sha256!,
  };
  return { meta, body, intact: (await sha256Hex(body)) === meta.sha256 };
}

/** Reads and parses a learned file from disk. */
export async function readSkill(path: string): Promise<SkillFile> {
  return await parseSkill(await Deno.readTextFile(path), `"${path}"`);
}

/** Who wrote a new version. */
export interface SkillOrigin {
  model: string;
  session: string;
  /** Default: now. */
  created?: Date;
}

/** Where a written function went. `previous` is the archived path of the replaced version. */
export interface WrittenSkill {
  path: string;
  meta: SkillMeta;
  previous?: string;
}

/** Writes `dir/<name>.ts` as the next version, archiving the current one under `.versions/`. */
export async function writeVersioned(
  dir: string,
  name: string,
  body: string,
  origin: SkillOrigin,
): Promise<WrittenSkill> {
  assertSkillName(name);
  const path = `${dir}/${name}.ts`;
  await Deno.mkdir(dir, { recursive: true });
  let version = 1;
  let previous: string | undefined;
  const current = await Deno.readTextFile(path).catch(() => undefined);
  if (current !== undefined) {
    const old = await parseSkill(current, `"${path}"`).catch(() => undefined);
    const oldVersion = old?.meta.version ?? Math.max(0, ...(await listVersions(dir, name))) + 1;
    version = oldVersion + 1;
    previous = `${dir}/.versions/${name}.v${oldVersion}.ts`;
    await Deno.mkdir(`${dir}/.versions`, { recursive: true });
    await Deno.rename(path, previous);
  }
  const meta: SkillMeta = {
    name,
    version,
    created: (origin.created ?? new Date()).toISOString(),
    model: origin.model.replace(/\s+/g, " "),
    session: origin.session.replace(/\s+/g, " "),
    sha256: await sha256Hex(body),
  };
  const tmp = `${path}.tmp`;
  await Deno.writeTextFile(tmp, composeSkill(meta, body));
  await Deno.rename(tmp, path);
  return previous ? { path, meta, previous } : { path, meta };
}

/** Archived version numbers of `name` under `dir/.versions/`, ascending. */
export async function listVersions(dir: string, name: string): Promise<number[]> {
  const out: number[] = [];
  try {
    for await (const e of Deno.readDir(`${dir}/.versions`)) {
      const m = new RegExp(`^${name}\\.v(\\d+)\\.ts$`).exec(e.name);
      if (m) out.push(Number(m[1]));
    }
  } catch {
    // no archive yet
  }
  return out.sort((a, b) => a - b);
}
