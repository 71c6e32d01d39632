// How one header or one cell of another tool's export is read: the pure part of the import.
import { describe, expect, it } from "vitest";
import { buildLayout } from "../../app/exchange/layout";
import { matchHeader } from "../../app/exchange/match";
import { isEmptyCell, parseDate, submissionId } from "../../app/exchange/rows";
import { marketSurvey } from "../support/exchange";

const layout = buildLayout([{ version: 1, definition: marketSurvey() }]);
const target = (h: string) => matchHeader(layout, h).target;

describe("headers from other tools", () => {
  it.each([
    ["market/threats/theft", { kind: "option", question: "threats", code: "theft" }],
    ["market.threats.theft", { kind: "option", question: "threats", code: "theft" }],
    ["market-threats/theft", { kind: "option", question: "threats", code: "theft" }],
    ["threats/theft", { kind: "option", question: "threats", code: "theft" }],
    ["threats_theft", { kind: "option", question: "threats", code: "theft" }],
    ["g1-g2-visits", { kind: "answer", question: "visits" }],
    ["top_threats_2", { kind: "position", question: "top_threats", position: 2 }],
  ])("%s is %o", (header, expected) => expect(target(header)).toEqual(expected));

  it.each([
    ["_uuid", "id"],
    ["X_uuid", "id"],
    ["meta/instanceID", "id"],
    ["meta-instanceID", "id"],
    ["meta.instanceID", "id"],
    ["instanceID", "id"],
    ["KEY", "id"],
    ["response_id", "id"],
    ["end", "collected_at"],
    ["start", "started_at"],
    ["today", "collected_on"],
    ["SubmissionDate", "submitted_at"],
    ["_submission_time", "submitted_at"],
    ["X_submission_time", "submitted_at"],
  ])("%s carries the response's %s", (header, field) => expect(target(header)).toEqual({ kind: "meta", field }));

  it.each(["_id", "X_id", "_index", "_validation_status", "__version__", "X__version__", "ReviewState", "DeviceID", "SubmitterName", "AttachmentsPresent", "Status", "Edits", "FormVersion", "formhub/uuid", "meta/instanceName", ""])(
    "%s is the tool's own metadata",
    (header) => expect(matchHeader(layout, header)).toEqual({ target: { kind: "ignore" }, how: "tool metadata" }),
  );
});

describe("cells from other tools", () => {
  it("reads unanswered markers, uuid: prefixes and each tool's dates", () => {
    expect(["n/a", "NA", "N/A", "#N/A", " ", ""].every(isEmptyCell)).toBe(true);
    expect(isEmptyCell("na ok")).toBe(false);
    expect(submissionId("uuid:6F1C0B4E-2A47-4D8E-9B3A-1C2D3E4F5A61")).toBe("6F1C0B4E-2A47-4D8E-9B3A-1C2D3E4F5A61");
    expect(parseDate("Mar 12, 2026 8:05:09 PM")).toBe("2026-03-12T20:05:09.000Z");
    expect(parseDate("Jun 16, 2025 12:00:00 AM")).toBe("2025-06-16T00:00:00.000Z");
    expect(parseDate("2016-04-01 19:57:45.306805")).toBe("2016-04-01T19:57:45.306Z");
    expect(parseDate("2026-03-10T09:07:00.000+03:00")).toBe("2026-03-10T06:07:00.000Z");
    expect(parseDate("Foo 12, 2026")).toBeNull();
  });
});

describe("select-multiple summary cells", () => {
  it("reads labels with spaces of their own, in any language, as Kobo's label exports join them", async () => {
    const { convertRow } = await import("../../app/exchange/rows");
    const { matchColumns } = await import("../../app/exchange/match");
    const def = marketSurvey();
    def.questions.find((q) => q.id === "threats")!.options!.push({ code: "leaders", label: { en: "Bad community leaders", fr: "Mauvais chefs" } });
    const l = buildLayout([{ version: 1, definition: def }]);
    const headers = ["threats", "end"];
    const ctx = { layout: l, columns: matchColumns(l, headers), surveyId: "s", defaultVersion: 1, defaultLanguage: "en", languages: def.languages, communities: [], rounds: [], collectedOn: null };
    const { row } = convertRow(ctx, ["Theft Bad community leaders Gangs", "2026-03-10"], 2);
    expect(row!.response.answers.threats).toEqual(["theft", "leaders", "gangs"]);
    expect(convertRow(ctx, ["Vol Mauvais chefs", "2026-03-10"], 3).row!.response.answers.threats).toEqual(["theft", "leaders"]);
  });
});
