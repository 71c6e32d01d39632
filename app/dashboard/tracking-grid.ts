// The tracking table as one grid of typed cells: the CSV, the workbook and the page's download all
// carry exactly these figures. A hidden figure is the word "suppressed", never a number.
import { SUPPRESSED_LABEL } from "~/stats/disclosure";
import type { TrackingFigure, TrackingRow, TrackingSource, TrackingTable } from "./tracking.server";

/** value: a share (0–1) or mean; diff: a difference of two values; ratio: 0–1 of the way; n: a count. */
export type CellFormat = "text" | "value" | "diff" | "ratio" | "n";
export type GridCell = string | number | null;

export interface TrackingGrid {
  columns: { header: string; format: CellFormat; width: number }[];
  /** Per row, the indicator kind (to format values as % or as means) and its cells. */
  rows: { kind: "share" | "mean"; cells: GridCell[] }[];
}

const hidden = SUPPRESSED_LABEL;

function figureCells(f: TrackingFigure | null): GridCell[] {
  if (!f) return [null, null, null, null];
  if (f.suppressed) return [hidden, hidden, hidden, hidden];
  return [f.value, f.low, f.high, f.n];
}

/** "Endline survey v2 (safe_night)": the survey, its latest version and the indicator a figure comes from. */
export const sourceText = (s: TrackingSource) => `${s.title} v${s.version} (${s.indicatorId})`;

export function trackingGrid(table: TrackingTable): TrackingGrid {
  const columns: TrackingGrid["columns"] = [
    { header: "Indicator", format: "text", width: 38 },
    { header: "Group", format: "text", width: 18 },
    { header: "Baseline round", format: "text", width: 12 },
    { header: "Baseline", format: "value", width: 10 },
    { header: "Baseline n", format: "n", width: 9 },
  ];
  for (const r of table.rounds) {
    columns.push(
      { header: `${r.label} target`, format: "value", width: 10 },
      { header: `${r.label} actual`, format: "value", width: 10 },
      { header: `${r.label} 95% low`, format: "value", width: 9 },
      { header: `${r.label} 95% high`, format: "value", width: 9 },
      { header: `${r.label} n`, format: "n", width: 8 },
      { header: `${r.label} source`, format: "text", width: 22 },
    );
  }
  columns.push(
    { header: "Change since baseline", format: "diff", width: 11 },
    { header: "Change 95% low", format: "diff", width: 10 },
    { header: "Change 95% high", format: "diff", width: 10 },
    { header: "Verdict", format: "text", width: 16 },
    { header: "Last target", format: "value", width: 10 },
    { header: "Date targets", format: "text", width: 24 },
    { header: "Variance to target", format: "diff", width: 11 },
    { header: "Distance achieved", format: "ratio", width: 10 },
    { header: "Status", format: "text", width: 14 },
    { header: "Why", format: "text", width: 40 },
    { header: "Data source", format: "text", width: 40 },
    { header: "Frequency", format: "text", width: 30 },
  );
  const rows = table.rows.map((row: TrackingRow) => {
    const baselineRound = table.rounds.find((r) => r.id === row.baselineRoundId)?.label ?? "";
    const base = row.baseline ? (row.baseline.suppressed ? [hidden, hidden] : [row.baseline.value, row.baseline.n]) : [null, null];
    const cells: GridCell[] = [
      row.label + (row.reference && !row.label.includes(row.reference) ? ` (${row.reference})` : ""),
      row.group ? `${row.group.dimensionLabel}: ${row.group.label}` : "All respondents",
      baselineRound,
      ...base,
    ];
    for (const c of row.cells) {
      const [value, low, high, n] = figureCells(c.actual);
      cells.push(c.target, value, low, high, n, c.source ? sourceText(c.source) : null);
    }
    cells.push(
      row.change?.diff ?? null,
      row.change?.low ?? null,
      row.change?.high ?? null,
      row.change?.verdict ?? "",
      row.finalTarget,
      row.dateTargets.map((d) => `${d.on}: ${row.kind === "share" ? `${Math.round(d.value * 1000) / 10}%` : Math.round(d.value * 100) / 100}`).join("; "),
      row.variance,
      row.achieved,
      row.status,
      row.statusReason,
      table.source,
      table.frequency,
    );
    return { kind: row.kind, cells };
  });
  return { columns, rows };
}

/** A cell as text for CSV and the page: shares in percent with one decimal, means with two. */
export function cellText(cell: GridCell, format: CellFormat, kind: "share" | "mean"): string | number | null {
  if (cell === null || typeof cell === "string") return cell;
  switch (format) {
    case "value":
    case "diff":
      return kind === "share" ? Math.round(cell * 1000) / 10 : Math.round(cell * 100) / 100;
    case "ratio":
      return Math.round(cell * 100);
    default:
      return cell;
  }
}

/** CSV headers say the unit of every figure. */
export function csvHeader(c: TrackingGrid["columns"][number]): string {
  if (c.format === "value") return `${c.header} (% or mean)`;
  if (c.format === "diff") return `${c.header} (points or mean)`;
  if (c.format === "ratio") return `${c.header} (%)`;
  return c.header;
}
