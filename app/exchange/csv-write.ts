// The one writer of every CSV the app gives out (raw export, codebook, dashboard tables): every
// field quoted, so a `;` or `,` inside a cell never splits it in any locale, and any text a
// spreadsheet could run as a formula neutralised with a leading apostrophe.
import Papa from "papaparse";

export type CsvValue = string | number | null | undefined;

/**
 * What a spreadsheet skips or treats as blank before it reads a formula: white space (no-break
 * and ideographic spaces included), control characters, and invisible format characters
 * (byte-order mark, zero-width space and joiners, direction marks, soft hyphen, fillers).
 */
const INVISIBLE_LEAD = /^[\p{White_Space}\p{Cc}\p{Cf}\p{Z}\p{Default_Ignorable_Code_Point}]+/u;
/** A formula's first character, with the full-width, small and minus-sign forms some programs fold to it. */
const FORMULA_CHAR = /^[=+\-@\uFF1D\uFF0B\uFF0D\uFF20\uFE66\uFE62\uFE63\uFE6B\u2212]/u;
/** Tab, CR and LF first start a formula on their own in some programs (and hide one after them). */
const CONTROL_FIRST = /^[\t\r\n]/;
/** A plain number (a count, a negative change) stays a number. */
const PLAIN_NUMBER = /^-?\d+(?:\.\d+)?$/;

/** The cell as a spreadsheet will take it safely: text that could start a formula gets a leading `'`. */
export function neutralise(cell: string): string {
  if (PLAIN_NUMBER.test(cell)) return cell;
  if (CONTROL_FIRST.test(cell) || FORMULA_CHAR.test(cell.replace(INVISIBLE_LEAD, ""))) return `'${cell}`;
  return cell;
}

const cellText = (value: CsvValue): string => (value === null || value === undefined ? "" : typeof value === "number" ? String(value) : neutralise(value));

/** Rows as CSV text: every field quoted and neutralised, CRLF after every row (nothing for no rows). */
export function toCsv(rows: CsvValue[][]): string {
  if (rows.length === 0) return "";
  return Papa.unparse(rows.map((r) => r.map(cellText)), { quotes: true, escapeFormulae: false, newline: "\r\n" }) + "\r\n";
}

export const BOM = "\uFEFF";
