// A translator's file for one language: CSV (key, what, status, source, target) or .xlsx with the
// same columns, and reading either back.
import ExcelJS from "exceljs";
import Papa from "papaparse";
import { BOM, toCsv } from "~/exchange/csv-write";
import type { TranslationRow } from "./texts";

export const HEADERS = (source: string, target: string) => ["key", "what", "status", `source (${source})`, `target (${target})`];

export function translationCsv(rows: TranslationRow[], source: string, target: string): string {
  return BOM + toCsv([HEADERS(source, target), ...rows.map((r) => [r.key, r.what, r.status, r.source, r.target])]);
}

export async function translationXlsx(rows: TranslationRow[], source: string, target: string): Promise<Uint8Array> {
  const book = new ExcelJS.Workbook();
  const ws = book.addWorksheet(`translation ${target}`);
  ws.addRow(HEADERS(source, target));
  ws.getRow(1).font = { bold: true };
  for (const r of rows) {
    const row = ws.addRow([r.key, r.what, r.status, r.source, r.target]);
    if (r.status !== "translated") row.getCell(3).font = { bold: true, color: { argb: "FFB00020" } };
  }
  ws.columns = [{ width: 30 }, { width: 28 }, { width: 14 }, { width: 60 }, { width: 60 }];
  return new Uint8Array(await book.xlsx.writeBuffer());
}

export class TranslationFileError extends Error {}

/** The rows of an uploaded file: key and target required, source kept to spot an older wording. */
export async function readTranslationFile(bytes: Uint8Array): Promise<{ row: number; key: string; source?: string; target: string }[]> {
  let table: string[][];
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(bytes as unknown as ArrayBuffer);
    const ws = book.worksheets[0];
    table = [];
    ws?.eachRow({ includeEmpty: true }, (row, n) => {
      const cells: string[] = [];
      row.eachCell({ includeEmpty: true }, (c, col) => (cells[col - 1] = c.text ?? ""));
      table[n - 1] = Array.from(cells, (c) => c ?? "");
    });
    table = Array.from(table, (r) => r ?? []);
  } else {
    const text = new TextDecoder("utf-8").decode(bytes).replace(/^\uFEFF/, "");
    table = Papa.parse<string[]>(text, { skipEmptyLines: true }).data;
  }
  const header = (table[0] ?? []).map((h) => h.trim().toLowerCase());
  const col = (name: string) => header.findIndex((h) => h === name || h.startsWith(`${name} (`));
  const key = col("key");
  const target = col("target");
  const source = col("source");
  if (key < 0 || target < 0) throw new TranslationFileError(`The file needs a "key" and a "target" column; its first row has ${header.map((h) => `"${h}"`).join(", ") || "nothing"}.`);
  return table
    .slice(1)
    .map((r, i) => ({ row: i + 2, key: (r[key] ?? "").trim(), source: source >= 0 ? (r[source] ?? "") : undefined, target: r[target] ?? "" }))
    .filter((r) => r.key !== "");
}
