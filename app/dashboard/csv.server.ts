// Dashboard tables as CSV: a BOM so spreadsheet programs read UTF-8, then the one CSV writer
// (every field quoted, formula-like cells neutralised) and a note row.
import type { DataTable } from "./dashboard.server";
import { BOM, toCsv } from "~/exchange/csv-write";

export function tableToCsv(table: DataTable, note: string): string {
  return BOM + toCsv([table.columns, ...table.rows, [`Note: ${note}`]]);
}
