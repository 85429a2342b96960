import type { Outcome } from "../../core/kubevirt/plan";

/** ANSI styles for the table output; `enabled` is false when not on a TTY or when NO_COLOR is set. */
export interface Painter {
  outcome(outcome: Outcome, text: string): string;
  bold(text: string): string;
  dim(text: string): string;
}

const CODES: Record<Outcome, string> = {
  none: "2",
  staged: "36",
  live: "32",
  stuck: "33",
  restart: "33;1",
  rejected: "31;1",
};

export function painter(enabled: boolean): Painter {
  const wrap = (code: string, text: string): string => (enabled && text ? `\x1b[${code}m${text}\x1b[0m` : text);
  return {
    outcome: (outcome, text) => wrap(CODES[outcome], text),
    bold: (text) => wrap("1", text),
    dim: (text) => wrap("2", text),
  };
}

/** Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function colourWanted(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  return Boolean(stream.isTTY) && !env.NO_COLOR;
}
