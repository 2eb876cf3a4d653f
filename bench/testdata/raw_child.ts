/** Raw baseline for the actor benchmark: a bare child process that echoes stdin lines. */
const enc = new TextEncoder();
Deno.stdout.writeSync(enc.encode("ready\n"));
let buf = "";
for await (const chunk of Deno.stdin.readable.pipeThrough(new TextDecoderStream())) {
  buf += chunk;
  let nl;
  while ((nl = buf.indexOf("\n")) >= 0) {
    Deno.stdout.writeSync(enc.encode(buf.slice(0, nl + 1)));
    buf = buf.slice(nl + 1);
  }
}
