/**
 * make_api_post's destinations (issue 14.6), attacked: another port of an allowed host, plain
 * http to an https entry, credentials in the URL and the daemon's own API are all refused.
 */
import assert from "node:assert/strict";
import { checkPostUrl, parseAllowList } from "./post_allowlist.ts";

const allow = parseAllowList(["api.example.com", "hooks.example.com:8443", "http://lan-box:8080"]);
const self = { hostname: "127.0.0.1", port: 8000 };
const refused = (url: string, re: RegExp) =>
  assert.throws(() => checkPostUrl(url, allow, self), re);

Deno.test("only the exact host:port of an entry, over https unless the entry says http", () => {
  assert.equal(checkPostUrl("https://api.example.com/v1/x", allow, self).port, "");
  assert.ok(checkPostUrl("https://hooks.example.com:8443/h", allow, self));
  assert.ok(checkPostUrl("http://lan-box:8080/h", allow, self));
  refused("https://api.example.com:8443/x", /api\.example\.com:8443" is not on the make_api_post/);
  refused("https://hooks.example.com/h", /hooks\.example\.com:443" is not on/);
  refused("http://api.example.com/x", /http:\/\/api\.example\.com:80" is not on/);
  refused("http://api.example.com:443/x", /plain http needs an http:\/\/ entry/);
  refused("https://lan-box:8080/h", /not on the make_api_post allow-list/);
  refused("https://user:pw@api.example.com/x", /refuses URLs with credentials/);
  refused("ftp://api.example.com/x", /only sends https/);
});

Deno.test("the daemon's own address is refused even when listed", () => {
  const risky = parseAllowList([
    "http://127.0.0.1:8000",
    "http://localhost:8000",
    "http://[::1]:8000",
  ]);
  for (
    const url of [
      "http://127.0.0.1:8000/api/cycle",
      "http://localhost:8000/x",
      "http://[::1]:8000/",
    ]
  ) {
    assert.throws(() => checkPostUrl(url, risky, self), /refuses the daemon's own address/);
  }
  assert.throws(() => parseAllowList(["gopher://x"]), /only https:\/\/ or http:\/\//);
});
