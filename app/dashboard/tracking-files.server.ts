// The tracking table as downloads: CSV through the app's one CSV writer, and a formatted workbook
// (exceljs) with the table, one reference sheet per indicator, and a method and suppression note.
import type { Indicator } from "~/survey";
import { BOM, toCsv } from "~/exchange/csv-write";
import { neutralise } from "~/exchange/csv-write";
import type { DashboardContext } from "./context.server";
import { referenceSheet, METHOD_NOTES, type ReferenceSheet } from "./reference-sheet";
import { cellText, csvHeader, trackingGrid, type CellFormat } from "./tracking-grid";
import { STATUS_RULES } from "./tracking";
import type { TrackingTable } from "./tracking.server";

export function trackingCsv(table: TrackingTable): string {
  const grid = trackingGrid(table);
  return (
    BOM +
    toCsv([
      grid.columns.map(csvHeader),
      ...grid.rows.map((r) => r.cells.map((c, i) => cellText(c, grid.columns[i].format, r.kind))),
      [`Note: ${table.suppressionNote}`],
    ])
  );
}

export function referenceSheets(ctx: DashboardContext, table: TrackingTable): ReferenceSheet[] {
  const def = ctx.survey.definition;
  return def.indicators.map((ind: Indicator) =>
    referenceSheet(def, ind, table.rows.find((r) => r.indicatorId === ind.id && !r.group)!, table, ctx.dimensions),
  );
}

const NUMBER_FORMATS: Record<CellFormat, { share: string; mean: string }> = {
  text: { share: "@", mean: "@" },
  value: { share: "0.0%", mean: "0.00" },
  diff: { share: '+0.0" pts";-0.0" pts";0.0" pts"', mean: "+0.00;-0.00;0.00" },
  ratio: { share: "0%", mean: "0%" },
  n: { share: "#,##0", mean: "#,##0" },
};

/** Sheet names: at most 31 characters, none of : \ / ? * [ ], unique in the workbook. */
function sheetName(base: string, taken: Set<string>): string {
  const clean = base.replace(/[:\\/?*[\]]/g, " ").slice(0, 31);
  let name = clean;
  for (let i = 2; taken.has(name.toLowerCase()); i++) name = `${clean.slice(0, 27)} (${i})`;
  taken.add(name.toLowerCase());
  return name;
}

/** Text a spreadsheet could run as a formula is neutralised here as in CSV. */
const safe = (v: string) => neutralise(v);

export async function trackingWorkbook(ctx: DashboardContext, table: TrackingTable, meta: { programme: string; generatedOn: string }): Promise<Buffer> {
  const { default: ExcelJS } = await import("exceljs");
  const wb = new ExcelJS.Workbook();
  wb.creator = "Safety perception surveys";
  wb.created = new Date(`${meta.generatedOn}T00:00:00Z`);
  const taken = new Set<string>();
  const grid = trackingGrid(table);

  const ws = wb.addWorksheet(sheetName("Tracking table", taken), { views: [{ state: "frozen", xSplit: 2, ySplit: 3 }] });
  ws.getCell(1, 1).value = safe(`Indicator tracking table: ${meta.programme} · ${ctx.survey.title}`);
  ws.getCell(1, 1).font = { bold: true, size: 13 };
  ws.getCell(2, 1).value = safe(`Generated ${meta.generatedOn}. Shares in %, means in scale points. “suppressed”: ${table.suppressionNote.replace(/^“suppressed”: /, "")}`);
  ws.getCell(2, 1).font = { italic: true, size: 9 };
  const header = ws.getRow(3);
  grid.columns.forEach((c, i) => {
    header.getCell(i + 1).value = c.header;
    ws.getColumn(i + 1).width = c.width;
  });
  header.font = { bold: true };
  header.alignment = { wrapText: true, vertical: "top" };
  header.height = 30;
  header.eachCell((cell) => {
    cell.fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFE8EEF4" } };
    cell.border = { bottom: { style: "thin" } };
  });
  grid.rows.forEach((r, k) => {
    const row = ws.getRow(4 + k);
    r.cells.forEach((value, i) => {
      const cell = row.getCell(i + 1);
      const format = grid.columns[i].format;
      if (typeof value === "number") {
        cell.value = value;
        cell.numFmt = NUMBER_FORMATS[format][r.kind];
      } else if (typeof value === "string") {
        cell.value = safe(value);
        if (value === "suppressed") cell.font = { italic: true, color: { argb: "FF666666" } };
      }
    });
    if (table.rows[k].group === null) row.font = { bold: true };
  });
  ws.autoFilter = { from: { row: 3, column: 1 }, to: { row: 3 + grid.rows.length, column: grid.columns.length } };

  for (const sheet of referenceSheets(ctx, table)) {
    const rs = wb.addWorksheet(sheetName(`Ref ${sheet.indicatorId}`, taken), { views: [{ state: "frozen", ySplit: 1 }] });
    rs.getColumn(1).width = 26;
    rs.getColumn(2).width = 100;
    rs.getCell(1, 1).value = safe(`Reference sheet: ${sheet.title}`);
    rs.getCell(1, 1).font = { bold: true, size: 13 };
    sheet.entries.forEach((e, i) => {
      const row = rs.getRow(i + 2);
      row.getCell(1).value = safe(e.label);
      row.getCell(1).font = { bold: true };
      row.getCell(2).value = safe(e.value);
      row.getCell(2).alignment = { wrapText: true, vertical: "top" };
      row.getCell(1).alignment = { vertical: "top" };
    });
  }

  const ns = wb.addWorksheet(sheetName("Method and suppression", taken));
  ns.getColumn(1).width = 120;
  const notes = [
    "Method and disclosure control",
    ...METHOD_NOTES,
    ...Object.entries(STATUS_RULES).map(([k, v]) => `${k}: ${v}.`),
    `Disclosure control: ${table.suppressionNote} Groups are published by round only; when a total is published, more figures are hidden beside a hidden one so it cannot be worked out by subtraction.`,
    ...(table.indicative ? ["Some figures include focus-group responses: these are not probability samples, so their intervals are indicative only."] : []),
    `Data source: ${table.source}.`,
    `Frequency: ${table.frequency}.`,
  ];
  notes.forEach((t, i) => {
    const cell = ns.getCell(i + 1, 1);
    cell.value = safe(t);
    cell.alignment = { wrapText: true, vertical: "top" };
    if (i === 0) cell.font = { bold: true, size: 13 };
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}
