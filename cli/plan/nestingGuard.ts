import { InputError } from "./inputError";

/**
 * Cheap scans that refuse absurdly nested input BEFORE it reaches the yaml package, whose recursive
 * parser can take minutes on a few megabytes of "[[[[" and run out of memory on "- - - - ...".
 * They over-approximate nothing a real manifest does: a block line with more than `max` compact
 * indicators, or flow collections nested more than `max` deep.
 */
export function assertNestingWithin(name: string, text: string, max: number): void {
  const compact = new RegExp(`^[ \\t]*(?:[-?:][ \\t]+){${max + 1}}`, "m").exec(text);
  if (compact) throw tooDeep(name, text, compact.index, max);
  const at = deepFlowAt(text, max);
  if (at >= 0) throw tooDeep(name, text, at, max);
}

/** Offset where flow collections ([ {) open deeper than `max`, or -1. */
function deepFlowAt(text: string, max: number): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (depth > 0 || i === 0 || isFlowStartBoundary(text.charCodeAt(i - 1))) {
        if (++depth > max) return i;
      }
    } else if (depth > 0) {
      if (c === 0x5d /* ] */ || c === 0x7d /* } */) depth--;
      else if (c === 0x22 /* " */ || c === 0x27 /* ' */) i = skipQuoted(text, i, c);
      else if (c === 0x23 /* # */ && isSpace(text.charCodeAt(i - 1))) i = lineEnd(text, i);
    } else if (c === 0x0a && text.startsWith("---", i + 1)) {
      depth = 0;
    }
  }
  return -1;
}

function isFlowStartBoundary(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x2d /* - */ || c === 0x3a /* : */ || c === 0x2c;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

function skipQuoted(text: string, start: number, quote: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5c /* \ */ && quote === 0x22) i++;
    else if (c === quote) return i;
  }
  return text.length;
}

function lineEnd(text: string, start: number): number {
  const end = text.indexOf("\n", start);
  return end < 0 ? text.length : end - 1;
}

function tooDeep(name: string, text: string, offset: number, max: number): InputError {
  const { line, col } = lineAndColumn(text, offset);
  return new InputError(`${name}:${line}:${col}: nested more than ${max} levels deep; refusing to parse it`);
}

export function lineAndColumn(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf("\n"); i >= 0 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, col: offset - lineStart + 1 };
}

/** True when `value` nests objects/arrays more than `max` levels deep (iterative: safe on any depth). */
export function nestedDeeperThan(value: unknown, max: number): boolean {
  const stack: unknown[] = [value];
  const depths: number[] = [0];
  while (stack.length) {
    const v = stack.pop();
    const d = depths.pop()!;
    if (v === null || typeof v !== "object") continue;
    if (d >= max) return true;
    if (Array.isArray(v)) {
      for (const item of v) {
        if (item !== null && typeof item === "object") {
          stack.push(item);
          depths.push(d + 1);
        }
      }
    } else {
      for (const key in v) {
        const item = (v as Record<string, unknown>)[key];
        if (item !== null && typeof item === "object") {
          stack.push(item);
          depths.push(d + 1);
        }
      }
    }
  }
  return false;
}
