// Reads an uploaded XLSForm workbook (.xlsx, through exceljs) into plain rows for import.ts.
import ExcelJS from "exceljs";
import type { SheetRow, XlsformSheets } from "./import";

export class WorkbookError extends Error {}

/** The bytes as the sheets an XLSForm has; a WorkbookError says plainly why not. */
export async function readXlsform(bytes: Uint8Array): Promise<XlsformSheets> {
  if (bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0)
    throw new WorkbookError("This is an old Excel .xls file. Open it in Excel or LibreOffice, save it as .xlsx (Excel Workbook), and upload that.");
  if (bytes[0] !== 0x50 || bytes[1] !== 0x4b) throw new WorkbookError("This is not an .xlsx workbook: upload the XLSForm as an Excel .xlsx file.");
  const book = new ExcelJS.Workbook();
  try {
    await book.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch (e) {
    throw new WorkbookError(`This workbook cannot be read (${e instanceof Error ? e.message : String(e)}). Save it again as .xlsx and retry.`);
  }
  const sheet = (name: string) => book.worksheets.find((w) => w.name.trim().toLowerCase() === name);
  const survey = sheet("survey");
  if (!survey) throw new WorkbookError(`An XLSForm needs a sheet named "survey"; this workbook has ${book.worksheets.map((w) => `"${w.name}"`).join(", ") || "no sheets"}.`);
  return { survey: rowsOf(survey), choices: rowsOf(sheet("choices")), settings: rowsOf(sheet("settings")), indicators: rowsOf(sheet("indicators")) };
}

function text(cell: ExcelJS.Cell): string {
  const v = cell.value;
  if (v === null || v === undefined) return "";
  if (typeof v === "object" && "result" in v) return v.result === undefined || v.result === null ? "" : String(v.result);
  if (typeof v === "boolean") return v ? "true" : "false";
  return cell.text ?? String(v);
}

/** Rows after the header row, each with only its filled cells, keyed by the header as written. */
function rowsOf(ws: ExcelJS.Worksheet | undefined): SheetRow[] {
  if (!ws) return [];
  const headers: string[] = [];
  ws.getRow(1).eachCell({ includeEmpty: true }, (c, col) => (headers[col] = text(c).trim()));
  const rows: SheetRow[] = [];
  ws.eachRow((row, number) => {
    if (number === 1) return;
    const cells: Record<string, string> = {};
    row.eachCell({ includeEmpty: false }, (c, col) => {
      const h = headers[col];
      const v = text(c);
      if (h && v.trim() !== "") cells[h] = v;
    });
    if (Object.keys(cells).length) rows.push({ row: number, cells });
  });
  return rows;
}
