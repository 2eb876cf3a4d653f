/**
 * The module the generated-test sandbox hands to `deno test` (trusted, no imports). It imports
 * the model-written test file given after `--` at run time. Deno loads a main module's static
 * graph without permission checks (a test could `import s from "/any/file.json"`), but a run-time
 * import checks `--allow-read` for the imported file and everything it imports.
 */
const file = Deno.args[0];
if (!file?.startsWith("/")) throw new Error("sandbox_test_entry: expected an absolute test file");
const url = new URL("file://");
url.pathname = file;
await import(url.href);
