/** The one redaction function: URLs' credentials, auth headers and registered secrets. */
import assert from "node:assert/strict";
import { redact, redactText, redactUrl, registerSecret } from "./redact.ts";

Deno.test("redactUrl masks userinfo and secret-named parameters and keeps the rest as written", () => {
  assert.equal(
    redactUrl("http://alice:s3cretpw@127.0.0.1:9/v1?token=tok123&api_key=key456&model=x"),
    "http://alice:***@127.0.0.1:9/v1?token=***&api_key=***&model=x",
  );
  assert.equal(redactUrl("https://ghp_abc123@host/repo"), "https://***@host/repo");
  assert.equal(
    redactUrl("https://s3/b?X-Amz-Credential=AK%2F1&X-Amz-Signature=ff&sig=1&x=2#access_token=t"),
    "https://s3/b?X-Amz-Credential=***&X-Amz-Signature=***&sig=***&x=2#access_token=***",
  );
  assert.equal(redactUrl("postgres://postgres@db:5432/x"), "postgres://***@db:5432/x");
  assert.equal(redactUrl("http://neurosync:5000"), "http://neurosync:5000");
  assert.equal(redactUrl("http://h/p?q=cats&page=2"), "http://h/p?q=cats&page=2");
});

Deno.test("redactText finds URLs and credentials inside error messages", () => {
  const message =
    "Cannot reach model endpoint http://alice:pw@127.0.0.1:9/v1?token=tok123: Connection error.";
  assert.equal(
    redactText(message),
    "Cannot reach model endpoint http://alice:***@127.0.0.1:9/v1?token=***: Connection error.",
  );
  assert.equal(
    redactText('header "Authorization: Bearer sk-abcdef123456" refused'),
    'header "Authorization: Bearer ***" refused',
  );
});

Deno.test("a registered secret is masked wherever it appears; short values are not registered", () => {
  registerSecret("sk-live-registered-XYZ");
  registerSecret("k");
  assert.equal(redactText("the key sk-live-registered-XYZ was refused"), "the key *** was refused");
  assert.equal(redactText("keep k and ok"), "keep k and ok");
});

Deno.test("redact walks objects, arrays and errors and leaves the input unchanged", () => {
  const input = {
    errors: ["decide: Cannot reach http://u:p@h/v1?api_key=z"],
    nested: { url: new URL("http://u:p@h/x?token=t"), n: 3, ok: true, none: null },
    e: new Error("at http://h/?password=hunter2"),
  };
  const out = redact(input);
  assert.deepEqual(out, {
    errors: ["decide: Cannot reach http://u:***@h/v1?api_key=***"],
    nested: { url: "http://u:***@h/x?token=***", n: 3, ok: true, none: null },
    e: { name: "Error", message: "at http://h/?password=***" },
  });
  assert.equal(input.errors[0], "decide: Cannot reach http://u:p@h/v1?api_key=z");
});
