/** Small output helpers shared by the knowledge benchmarks: aligned text tables, percentiles, JSON results. */
import { mkdir, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

const OUT_DIR = fileURLToPath(new URL("./out/", import.meta.url));

/** Prints rows as a table with columns padded to their widest cell (numbers right-aligned). */
export function printTable(header: string[], rows: (string | number)[][]): void {
  const cells = [header, ...rows.map((r) => r.map((c) => (typeof c === "number" ? c.toFixed(3) : c)))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? "").length)));
  const line = (r: string[], isHeader: boolean) =>
    r.map((c, i) => (i === 0 || isHeader ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join("  ");
  console.log(line(header, true));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const r of cells.slice(1)) console.log(line(r, false));
}

/** The p-th percentile (0–100) of `values`, nearest-rank. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] as number;
}

/** Milliseconds with 2 decimals, as a number. */
export const ms = (x: number) => Math.round(x * 100) / 100;

/** Writes `bench/out/<name>.json` and returns its path. */
export async function writeResults(name: string, data: unknown): Promise<string> {
  await mkdir(OUT_DIR, { recursive: true });
  const path = `${OUT_DIR}${name}.json`;
  await writeFile(path, `${JSON.stringify({ at: new Date().toISOString(), ...(data as object) }, null, 2)}\n`);
  return path;
}
