/** Condition lists on VM/VMI status: set (keeping lastTransitionTime when unchanged), remove, read. */
import { now } from "../api/store";
import { isObject, type Obj } from "./spec";

export interface Condition {
  type: string;
  status: "True" | "False" | "Unknown";
  reason?: string;
  message?: string;
  lastTransitionTime?: string | null;
  lastProbeTime?: string | null;
}

export function conditionsOf(status: Obj | undefined): Condition[] {
  const c = status?.conditions;
  return Array.isArray(c) ? (c.filter(isObject) as unknown as Condition[]) : [];
}

export function getCondition(status: Obj | undefined, type: string): Condition | undefined {
  return conditionsOf(status).find((c) => c.type === type);
}

export function hasConditionStatus(status: Obj | undefined, type: string, value: string): boolean {
  return getCondition(status, type)?.status === value;
}

export function setCondition(status: Obj, cond: Condition): void {
  const list = conditionsOf(status);
  const idx = list.findIndex((c) => c.type === cond.type);
  const prev = idx >= 0 ? list[idx] : undefined;
  const same =
    prev !== undefined && prev.status === cond.status && prev.reason === cond.reason && prev.message === cond.message;
  const next: Condition = {
    ...cond,
    lastProbeTime: null,
    lastTransitionTime: same ? (prev.lastTransitionTime ?? now()) : now(),
  };
  if (same) return;
  if (idx >= 0) list[idx] = next;
  else list.push(next);
  status.conditions = list;
}

export function removeCondition(status: Obj, type: string): void {
  const list = conditionsOf(status);
  if (!list.some((c) => c.type === type)) return;
  status.conditions = list.filter((c) => c.type !== type);
}
