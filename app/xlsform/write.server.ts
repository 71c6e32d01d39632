// Writes XLSForm sheets (export.ts) as an .xlsx workbook.
import ExcelJS from "exceljs";
import type { ExportSheet } from "./export";

export async function writeWorkbook(sheets: ExportSheet[]): Promise<Uint8Array> {
  const book = new ExcelJS.Workbook();
  for (const s of sheets) {
    const ws = book.addWorksheet(s.name);
    ws.addRow(s.headers);
    ws.getRow(1).font = { bold: true };
    // Every cell as text: an option code "01" or "1.0" must come back as written.
    for (const r of s.rows) ws.addRow(s.headers.map((h) => r[h] ?? ""));
    ws.columns.forEach((c) => (c.width = 18));
  }
  return new Uint8Array(await book.xlsx.writeBuffer());
}
