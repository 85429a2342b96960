/** A field value for a table cell: scalars as they are, objects as compact JSON, cut to `max` characters. */
export function formatValue(value: unknown, max: number): string {
  let text: string;
  if (value === undefined) text = "(unset)";
  else if (typeof value === "string") text = value === "" ? '""' : value;
  else if (typeof value === "number" || typeof value === "boolean" || value === null) text = String(value);
  else text = JSON.stringify(value) ?? String(value);
  text = text.replace(/\s*\n\s*/g, " ");
  return text.length > max ? text.slice(0, Math.max(1, max - 1)) + "…" : text;
}
