/**
 * The VTuber platform: SCB and speech clients, the services tools use, the decision loop and
 * its decide step, metrics, the HTTP API and the daemon's wiring. Re-exports only; test
 * helpers (emulator, proxies, fixtures) are imported from their own files.
 */
export * from "./scb_entry.ts";
export * from "./platform_errors.ts";
export * from "./scb_rest_client.ts";
export * from "./scb_redis_client.ts";
export * from "./speech_context.ts";
export * from "./vtuber_client.ts";
export * from "./speech_result.ts";
export * from "./research.ts";
export * from "./platform_services.ts";
export * from "./variety.ts";
export * from "./cycle_context.ts";
export * from "./decide.ts";
export * from "./decision_loop.ts";
export * from "./write_queue.ts";
export * from "./metrics.ts";
export * from "./loop_tools.ts";
export * from "./http_api.ts";
export * from "./platform_wiring.ts";
export * from "./idempotent_writes.ts";
