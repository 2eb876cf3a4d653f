/**
 * RSS probe for the subprocess host. Deno requires --allow-all to read `/proc/<pid>/statm` of
 * another process, which the supervisor does not have, so the host runs this one trusted file
 * as a helper (`deno run -A`, the sandbox launcher's `rss-probe` job: the supervisor can run
 * nothing else): it reads pids on stdin ("+pid" watch, "-pid" forget) and prints
 * "pid rssBytes" for every watched pid each 20 ms ("pid gone" once it has exited). Imported, it
 * is the client: ONE helper per supervisor process, shared by every host, started lazily,
 * restarted if it dies, and stopped when the last watcher leaves (so tests leak nothing).
 */
import { splitLines } from "./line_reader.ts";
import { SANDBOX_LAUNCHER } from "./sandbox/launcher_path.ts";

const encoder = new TextEncoder();

/** Called with each RSS sample of a watched pid (bytes), or undefined once it is gone. */
export type RssListener = (bytes: number | undefined) => void;

/** The shared helper process and the pids it watches. */
class SharedRssProbe {
  #listeners = new Map<number, RssListener>();
  #child: Deno.ChildProcess | undefined;
  #writer: WritableStreamDefaultWriter<Uint8Array> | undefined;
  #done: Promise<void> = Promise.resolve();
  /** Helper processes started so far (a restart counts too); for tests and logs. */
  starts = 0;

  /** Watches `pid` until the returned `unwatch` runs; it resolves once a helper it stopped is gone. */
  watch(pid: number, listener: RssListener): () => Promise<void> {
    this.#listeners.set(pid, listener);
    if (!this.#child) this.#start();
    else this.#send(`+${pid}`);
    return () => {
      if (this.#listeners.get(pid) !== listener) return Promise.resolve();
      this.#listeners.delete(pid);
      if (this.#listeners.size > 0) {
        this.#send(`-${pid}`);
        return Promise.resolve();
      }
      return this.stop();
    };
  }

  /** Pids being watched now. */
  get watching(): number {
    return this.#listeners.size;
  }

  /** The helper's pid while it runs. */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /** Stops the helper (watchers stay registered: the next `watch` starts a new one). */
  async stop(): Promise<void> {
    const child = this.#child;
    const done = this.#done;
    this.#child = undefined;
    this.#writer = undefined;
    if (child) {
      try {
        child.kill("SIGKILL");
      } catch { /* already gone */ }
    }
    await done;
  }

  #start(): void {
    const child = new Deno.Command(SANDBOX_LAUNCHER, {
      args: ["rss-probe"],
      clearEnv: true,
      stdin: "piped",
      stdout: "piped",
      stderr: "null",
    }).spawn();
    this.starts++;
    this.#child = child;
    this.#writer = child.stdin.getWriter();
    this.#writer.closed.catch(() => {});
    this.#send([...this.#listeners.keys()].map((p) => `+${p}`).join("\n"));
    this.#done = (async () => {
      try {
        for await (const line of splitLines(child.stdout)) {
          const [pid, bytes] = line.split(" ");
          this.#listeners.get(Number(pid))?.(bytes === "gone" ? undefined : Number(bytes));
        }
      } catch { /* killed */ }
      await child.status;
      // Died on its own while hosts still watch: start a fresh helper.
      if (this.#child === child) {
        this.#child = undefined;
        this.#writer = undefined;
        if (this.#listeners.size > 0) this.#start();
      }
    })();
  }

  #send(lines: string): void {
    if (lines) this.#writer?.write(encoder.encode(lines + "\n")).catch(() => {});
  }
}

/** The one probe client of this process. */
export const rssProbe: SharedRssProbe = new SharedRssProbe();

function poll(watched: Set<number>): void {
  const lines: string[] = [];
  for (const pid of watched) {
    try {
      const pages = Number(Deno.readTextFileSync(`/proc/${pid}/statm`).split(" ")[1]);
      lines.push(`${pid} ${pages * 4096}`);
    } catch {
      watched.delete(pid);
      lines.push(`${pid} gone`);
    }
  }
  if (lines.length) Deno.stdout.writeSync(encoder.encode(lines.join("\n") + "\n"));
}

async function helperMain(): Promise<never> {
  const watched = new Set<number>();
  setInterval(() => poll(watched), 20);
  const decoder = new TextDecoder();
  let buf = "";
  for await (const chunk of Deno.stdin.readable) {
    buf += decoder.decode(chunk, { stream: true });
    const lines = buf.split("\n");
    buf = lines.pop() ?? "";
    for (const line of lines) {
      const pid = Number(line.slice(1));
      if (!Number.isInteger(pid) || pid <= 0) continue;
      if (line[0] === "+") watched.add(pid);
      else if (line[0] === "-") watched.delete(pid);
    }
  }
  Deno.exit(0); // stdin closed: the supervisor is gone
}

if (import.meta.main) await helperMain();
