import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Satisfier } from "../../../provider/await/condition/satisfier";
import type { CacheEvent } from "../../../provider/kubernetes/watchCache";

/** Recorded watch events (test/provider/fixtures/<name>.json), replayed into conditions. */
export function loadEvents(name: string): CacheEvent[] {
  return JSON.parse(readFileSync(join(__dirname, "..", "fixtures", `${name}.json`), "utf8")) as CacheEvent[];
}

/** Feeds events one by one; returns whether the satisfier was satisfied after each. */
export function replay(events: readonly CacheEvent[], satisfier: Satisfier): boolean[] {
  return events.map((e) => {
    satisfier.observe(e);
    return satisfier.satisfied();
  });
}
