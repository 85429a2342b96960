/** Label and field selectors (`?labelSelector=` / `?fieldSelector=`), parsed like apimachinery's. */
import { badRequest } from "./status";
import type { KObject } from "./store";

export type Selector = (obj: KObject) => boolean;

type Requirement =
  | { op: "=" | "!="; key: string; value: string }
  | { op: "in" | "notin"; key: string; values: string[] }
  | { op: "exists" | "!exists"; key: string };

function splitTopLevel(input: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = "";
  for (const ch of input) {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (ch === "," && depth === 0) {
      parts.push(current);
      current = "";
    } else current += ch;
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter((p) => p !== "");
}

const KEY_RE = /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?\/)?[a-zA-Z0-9]([-a-zA-Z0-9_.]*[a-zA-Z0-9])?$/;
const VALUE_RE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function checkKey(key: string, raw: string): string {
  if (!KEY_RE.test(key)) throw badRequest(`unable to parse requirement: invalid label key "${key}" in "${raw}"`);
  return key;
}
function checkValue(value: string, raw: string): string {
  if (!VALUE_RE.test(value) || value.length > 63)
    throw badRequest(`unable to parse requirement: invalid label value: "${value}" in "${raw}"`);
  return value;
}

function parseLabelRequirement(raw: string): Requirement {
  let m = /^(\S+?)\s+(in|notin)\s*\((.*)\)$/.exec(raw);
  if (m) {
    const values = m[3]!
      .split(",")
      .map((v) => v.trim())
      .map((v) => checkValue(v, raw));
    return { op: m[2] as "in" | "notin", key: checkKey(m[1]!, raw), values };
  }
  m = /^([^!=\s]+)\s*(==|=|!=)\s*(.*)$/.exec(raw);
  if (m) {
    return { op: m[2] === "!=" ? "!=" : "=", key: checkKey(m[1]!, raw), value: checkValue(m[3]!.trim(), raw) };
  }
  if (raw.startsWith("!")) return { op: "!exists", key: checkKey(raw.slice(1).trim(), raw) };
  return { op: "exists", key: checkKey(raw, raw) };
}

function matches(req: Requirement, get: (key: string) => string | undefined): boolean {
  const v = get(req.key);
  switch (req.op) {
    case "=":
      return v === req.value;
    case "!=":
      return v !== req.value;
    case "in":
      return v !== undefined && req.values.includes(v);
    case "notin":
      return v === undefined || !req.values.includes(v);
    case "exists":
      return v !== undefined;
    case "!exists":
      return v === undefined;
  }
}

export function parseLabelSelector(input: string | null): Selector {
  if (!input) return () => true;
  const reqs = splitTopLevel(input).map(parseLabelRequirement);
  return (obj) => reqs.every((r) => matches(r, (k) => obj.metadata.labels?.[k]));
}

function fieldValue(obj: KObject, path: string): string | undefined {
  let cur: unknown = obj;
  for (const part of path.split(".")) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  if (cur === undefined || cur === null) return "";
  return typeof cur === "object" ? JSON.stringify(cur) : String(cur);
}

const SUPPORTED_FIELDS: Record<string, readonly string[]> = {
  "": ["metadata.name", "metadata.namespace"],
  Node: ["metadata.name", "spec.unschedulable"],
  VirtualMachineInstance: ["metadata.name", "metadata.namespace", "status.phase", "status.nodeName"],
};

export function parseFieldSelector(input: string | null, kind: string): Selector {
  if (!input) return () => true;
  const allowed = SUPPORTED_FIELDS[kind] ?? SUPPORTED_FIELDS[""]!;
  const reqs = splitTopLevel(input).map((raw) => {
    const m = /^([^!=\s]+)\s*(==|=|!=)\s*(.*)$/.exec(raw);
    if (!m) throw badRequest(`invalid selector: '${raw}'; can't understand '${raw}'`);
    const key = m[1]!;
    if (!allowed.includes(key)) throw badRequest(`field label not supported: ${key}`);
    return { key, neg: m[2] === "!=", value: m[3]!.trim() };
  });
  return (obj) => reqs.every((r) => (fieldValue(obj, r.key) === r.value) !== r.neg);
}
