// Turns uploaded bytes into text: strips a byte-order mark, and reads files that are not valid
// UTF-8 (Excel's "CSV" on Windows) as windows-1252, saying so in the report. An Excel workbook
// (.xlsx) is read as the CSV of its first sheet, so everything after this step sees only text.
import Papa from "papaparse";

export interface Decoded {
  text: string;
  encoding: "utf-8" | "windows-1252";
  bom: boolean;
}

export function decodeUpload(bytes: Uint8Array): Decoded {
  let bom = false;
  let body = bytes;
  if (body.length >= 3 && body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) {
    bom = true;
    body = body.subarray(3);
  }
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(body), encoding: "utf-8", bom };
  } catch {
    return { text: new TextDecoder("windows-1252").decode(body), encoding: "windows-1252", bom };
  }
}

/** A zip archive's first bytes: every .xlsx file is one. */
export const isZip = (b: Uint8Array) => b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;

export class UnreadableWorkbook extends Error {}

/**
 * Any upload as text: an Excel workbook (by its content, whatever its name) becomes the CSV of its
 * first sheet; anything else goes through decodeUpload. The upload step calls this.
 */
export async function decodeFile(bytes: Uint8Array): Promise<Decoded> {
  if (!isZip(bytes)) return decodeUpload(bytes);
  return { text: await xlsxAsCsv(bytes), encoding: "utf-8", bom: false };
}

/** The first worksheet's cells, as text, as a comma-separated file. */
export async function xlsxAsCsv(bytes: Uint8Array): Promise<string> {
  // Loaded on demand: exceljs is large, and only Excel uploads need it.
  const { default: ExcelJS } = await import("exceljs");
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ArrayBuffer);
  } catch {
    throw new UnreadableWorkbook("The file is a zip archive but not an Excel workbook (.xlsx) that can be read: save it as .xlsx or CSV and upload again.");
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) return "";
  const width = sheet.actualColumnCount || sheet.columnCount;
  const rows: string[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row) => {
    const cells: string[] = [];
    for (let c = 1; c <= width; c++) cells.push(cellText(row.getCell(c).value));
    rows.push(cells);
  });
  return Papa.unparse(rows, { newline: "\n" });
}

type CellValue = import("exceljs").CellValue;

/** What a cell shows: numbers as written, dates in ISO 8601, formulas by their result. */
function cellText(value: CellValue): string {
  if (value === null || value === undefined) return "";
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "string") return String(value);
  if (typeof value === "object") {
    if ("richText" in value) return value.richText.map((r) => r.text).join("");
    if ("result" in value) return value.result === undefined ? "" : cellText(value.result as CellValue);
    if ("text" in value) return String(value.text);
    if ("error" in value) return "";
  }
  return String(value);
}
