/** Raw baseline: a bare child that loads the same actor module (zod included), then echoes. */
import def from "./echo_actor.ts";
const enc = new TextEncoder();
Deno.stdout.writeSync(enc.encode("ready\n"));
for await (const line of Deno.stdin.readable.pipeThrough(new TextDecoderStream())) {
  Deno.stdout.writeSync(
    enc.encode(JSON.stringify(def.receive(JSON.parse(line), undefined as never)) + "\n"),
  );
}
