// The production server's Node flags come from one place: `npm start` and every harness that starts
// server.mjs itself (e2e server, bench, two-instance test) use the same heap cap.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DEFAULT_SERVER_HEAP_MB, serverNodeArgs } from "@/scripts/lib/server-node-args.mjs";

describe("server Node flags", () => {
  it("caps the old space at the default, or at SERVER_HEAP_MB", () => {
    expect(serverNodeArgs({})).toEqual([`--max-old-space-size=${DEFAULT_SERVER_HEAP_MB}`]);
    expect(serverNodeArgs({ SERVER_HEAP_MB: "1024" })).toEqual(["--max-old-space-size=1024"]);
  });

  it("refuses a value that is not a sensible number of MB, with a clear message", () => {
    for (const bad of ["abc", "12", "384MB", "1.5", "-1"]) expect(() => serverNodeArgs({ SERVER_HEAP_MB: bad })).toThrow(/SERVER_HEAP_MB/);
  });

  it("npm start passes the same flag with the same default", () => {
    const pkg = JSON.parse(readFileSync("package.json", "utf8")) as { scripts: Record<string, string> };
    expect(pkg.scripts.start).toBe(`node --max-old-space-size=\${SERVER_HEAP_MB:-${DEFAULT_SERVER_HEAP_MB}} server.mjs`);
  });

  it("the harnesses that start server.mjs themselves pass the flags", () => {
    for (const file of ["scripts/e2e-server.ts", "bench/lib/http.ts"]) {
      const text = readFileSync(file, "utf8");
      expect(text, file).toMatch(/serverNodeArgs\(/);
    }
  });
});
