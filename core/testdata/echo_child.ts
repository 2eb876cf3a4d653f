/** Test child for subprocess_host_test.ts: answers frames with the outcome of small probes. */
import { readFrames, writeFrame } from "../subprocess_stdio.ts";

type Probe = { id: number; op: string; arg?: string };

async function probe(p: Probe): Promise<unknown> {
  switch (p.op) {
    case "echo":
      return p.arg;
    case "print":
      console.log(p.arg);
      console.error(p.arg);
      return "printed";
    case "read":
      return await Deno.readTextFile(p.arg ?? "");
    case "write":
      await Deno.writeTextFile(p.arg ?? "", "x");
      return "written";
    case "net":
      return (await fetch(p.arg ?? "")).status;
    case "env":
      return Deno.env.toObject();
    case "run":
      return (await new Deno.Command("/bin/true").output()).code;
    case "heap_bomb": {
      const keep: unknown[] = [];
      for (;;) keep.push(new Array(100_000).fill({ n: keep.length }));
    }
    case "ab_bomb": {
      const keep: Uint8Array[] = [];
      // Bounded at 1 GB so a broken watchdog fails the test instead of eating the machine.
      while (keep.length < 64) {
        keep.push(new Uint8Array(16 * 1024 * 1024).fill(1));
        await new Promise((r) => setTimeout(r, 1));
      }
      return `survived with ${keep.length * 16} MB`;
    }
    case "exit":
      Deno.exit(Number(p.arg ?? 0));
  }
  throw new Error(`unknown op ${p.op}`);
}

writeFrame({ type: "ready" });
await readFrames((frame) => {
  const p = frame as Probe;
  probe(p).then(
    (value) => writeFrame({ id: p.id, ok: true, value }),
    (e: Error) => writeFrame({ id: p.id, ok: false, error: `${e.name}: ${e.message}` }),
  );
});
