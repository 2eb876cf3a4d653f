/**
 * Loaded first (`--preload`, by core/sandbox/launcher.pl) in every sandbox that runs model-written
 * code: removes the web APIs a sandbox must not have although Deno grants them without any
 * permission. `localStorage`, `sessionStorage` and `caches` are stored in the supervisor's Deno
 * cache under the main module's origin, so every kernel (every generated test) would share one
 * store, persistent and without a quota; `navigator.gpu` reaches the GPU. Removed before any other
 * code runs, their implementations are unreachable (their classes cannot be constructed).
 */
for (const name of ["localStorage", "sessionStorage", "caches"]) {
  delete (globalThis as Record<string, unknown>)[name];
}
delete (Object.getPrototypeOf(navigator) as Record<string, unknown>).gpu;
for (const name of ["localStorage", "sessionStorage", "caches"]) {
  if (name in globalThis) throw new Error(`sandbox: ${name} could not be removed`);
}
if ("gpu" in navigator) throw new Error("sandbox: navigator.gpu could not be removed");
