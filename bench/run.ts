/**
 * `npm run bench`: runs every benchmark script in bench/ (each prints its own figures), one after another, each
 * in its own Node process so that one benchmark's heap and JIT state do not colour the next.
 */
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";

const dir = __dirname;
const scripts = readdirSync(dir)
  .filter((f) => f.endsWith(".ts") && f !== "run.ts")
  .sort();
let failed = 0;
for (const script of scripts) {
  console.log(`\n== bench/${script}`);
  const result = spawnSync(process.execPath, ["--import", "tsx", path.join(dir, script)], { stdio: "inherit" });
  if (result.status !== 0) {
    failed += 1;
    console.error(`bench/${script} exited with ${result.status ?? result.signal}`);
  }
}
process.exitCode = failed ? 1 : 0;
