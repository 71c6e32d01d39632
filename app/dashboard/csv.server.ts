// Dashboard tables as CSV: a BOM so spreadsheet programs read UTF-8, formula-like cells escaped.
import Papa from "papaparse";
import type { DataTable } from "./dashboard.server";

/** Cells starting with = + - @, tab or CR run as formulas in spreadsheets; a leading ' stops that. */
export function neutralise(cell: string): string {
  // Negative numbers stay numbers: only text that merely starts like a formula is escaped.
  if (/^-?\d+(\.\d+)?$/.test(cell)) return cell;
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

export function tableToCsv(table: DataTable, note: string): string {
  const rows = [table.columns, ...table.rows].map((r) => r.map(neutralise));
  const body = Papa.unparse(rows, { newline: "\r\n" });
  return `\uFEFF${body}\r\n${Papa.unparse([[neutralise(`Note: ${note}`)]])}\r\n`;
}
