// Dates and times are stored as ISO-8601 UTC with milliseconds. The shortcut that leaves text
// already in that form as it is must give exactly what a Date would, or content hashes of the
// same response would differ between an import and a tablet's sync.
import { describe, expect, it } from "vitest";
import { isoInstant } from "../../db/portable";
import { parseDate } from "../../app/exchange/rows";

describe("isoInstant", () => {
  it("gives what toISOString gives, for every kind of date a file or a tablet sends", () => {
    const samples = [
      "2026-11-20T10:15:00.000Z",
      "2026-02-28T23:59:59.999Z",
      "2024-02-29T00:00:00.000Z", // a leap day: not taken as it is, yet the same
      "2026-01-31T12:00:00.000Z",
      "2026-11-20T10:15:00Z",
      "2026-11-20T13:15:00.000+03:00",
      "2026-11-20T10:15:00.123456Z",
    ];
    for (const s of samples) expect(isoInstant(s)).toBe(new Date(s).toISOString());
  });

  it("never lets a day that does not exist through as it is", () => {
    expect(isoInstant("2026-02-30T00:00:00.000Z")).toBe(new Date("2026-02-30T00:00:00.000Z").toISOString());
    expect(() => isoInstant("2026-13-01T00:00:00.000Z")).toThrow(RangeError);
    expect(parseDate("2026-02-30T00:00:00.000Z")).not.toBe("2026-02-30T00:00:00.000Z");
    expect(parseDate("2026-11-20T10:15:00.000Z")).toBe("2026-11-20T10:15:00.000Z");
  });
});
