// The importer reads a CSV a slice at a time; a row cut by a slice's end must come out whole.
import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { csvRows } from "../../app/exchange/csv-rows";

/** ~1 MB of rows with quoted delimiters, quotes and line breaks inside cells, so many fall across slices. */
function awkwardFile(delimiter: string, newline: string): string {
  const lines = [["id", "comment", "answer"].join(delimiter)];
  for (let i = 0; i < 12_000; i++) {
    const comment = i % 3 === 0 ? `"line one${newline}line ${i}, with ""quotes"" and ${delimiter}"` : `plain ${i}`;
    lines.push([String(i), comment, i % 7 === 0 ? "" : String(i % 5)].join(delimiter));
  }
  return lines.join(newline) + newline + newline;
}

async function all(text: string): Promise<string[][]> {
  const rows: string[][] = [];
  let slices = 0;
  for await (const slice of csvRows(text)) {
    slices++;
    rows.push(...slice);
  }
  expect(slices).toBeGreaterThan(5);
  return rows;
}

describe("reading a CSV a slice at a time", () => {
  for (const [delimiter, newline] of [
    [",", "\r\n"],
    [";", "\n"],
    ["\t", "\r\n"],
  ]) {
    it(`gives the same rows as reading it whole (${JSON.stringify(delimiter)}, ${JSON.stringify(newline)})`, async () => {
      const text = awkwardFile(delimiter, newline);
      const whole = Papa.parse<string[]>(text, { delimiter, skipEmptyLines: "greedy" }).data;
      const rows = await all(text);
      expect(rows.length).toBe(12_001);
      expect(rows).toEqual(whole);
      expect(rows[4]).toEqual(["3", `line one${newline}line 3, with "quotes" and ${delimiter}`, "3"]);
    });
  }

  it("stops parsing when the reader stops early", async () => {
    const text = awkwardFile(",", "\n");
    let seen = 0;
    for await (const slice of csvRows(text)) {
      seen += slice.length;
      break;
    }
    expect(seen).toBeGreaterThan(0);
    expect(seen).toBeLessThan(12_001);
  });

  it("gives the same rows from the file in pieces, however they are cut", async () => {
    for (const [delimiter, newline] of [
      [",", "\r\n"],
      [";", "\n"],
    ]) {
      const text = awkwardFile(delimiter, newline);
      const whole = Papa.parse<string[]>(text, { delimiter, skipEmptyLines: "greedy" }).data;
      for (const size of [997, 64 * 1024 + 1]) {
        async function* pieces() {
          for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
        }
        const rows: string[][] = [];
        for await (const slice of csvRows(pieces())) rows.push(...slice);
        expect(rows).toEqual(whole);
      }
    }
  });
});
