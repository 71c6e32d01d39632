// A Kobo form names its questions with dots (`hh.sex`, `safe.dark`) and puts them in groups. Its
// data comes back as `household/hh.sex` (KoboToolbox), `household-hh.sex` (ODK Central) or
// `household.hh.sex` (after R, where the group's separator and the name's own dot look alike):
// each must land on the survey's question `hh.sex`, not on a question `sex`, and the respondent's
// own `respondent/sex` on `sex`. The files in tests/fixtures/exports are the tools' own shapes.
import { readFileSync } from "node:fs";
import path from "node:path";
import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { buildLayout } from "../../app/exchange/layout";
import { matchColumns } from "../../app/exchange/match";
import { convertRow } from "../../app/exchange/rows";
import type { SurveyDefinition } from "../../app/survey";

const opts = (...codes: string[]) => codes.map((code) => ({ code, label: { en: code } }));

function householdSurvey(): SurveyDefinition {
  return {
    title: { en: "Household safety" },
    languages: [{ code: "en", name: "English", direction: "ltr" }],
    defaultLanguage: "en",
    consent: { en: "Do you agree?" },
    sections: [{ id: "respondent" }, { id: "household" }, { id: "safety" }],
    questions: [
      { id: "sex", type: "single", label: { en: "Your sex" }, options: opts("male", "female"), section: "respondent" },
      { id: "hh.sex", type: "single", label: { en: "Sex of the head of household" }, options: opts("male", "female"), section: "household" },
      { id: "hh.size", type: "number", integer: true, label: { en: "People in the household" }, section: "household" },
      { id: "safe.dark", type: "single", label: { en: "Safe after dark?" }, options: opts("1", "2", "3", "4"), section: "safety" },
      { id: "threats.seen", type: "multiple", label: { en: "Threats seen" }, options: opts("theft", "armed_violence", "other"), section: "safety" },
    ],
    indicators: [],
  };
}

const U1 = "2c4e6a80-1b3d-4f5e-8a7b-9c0d1e2f3a41";
const U2 = "3d5f7b91-2c4e-4a6f-9b8c-0d1e2f3a4b52";

describe.each([
  ["kobo-dotted-names.csv", "household/hh.sex"],
  ["odk-central-dotted-names.csv", "household-hh.sex"],
  ["r-dotted-names.csv", "household.hh.sex"],
])("%s", (file, dotted) => {
  const text = readFileSync(path.resolve("tests/fixtures/exports", file), "utf8");
  const [headers, ...rows] = Papa.parse<string[]>(text.trim(), { delimiter: file.startsWith("kobo") ? ";" : "," }).data;
  const def = householdSurvey();
  const layout = buildLayout([{ version: 1, definition: def }]);
  const columns = matchColumns(layout, headers);

  it("matches every column without a hand-made mapping, dotted names inside groups included", () => {
    expect(columns.filter((c) => c.target === null).map((c) => c.header)).toEqual([]);
    const at = (h: string) => columns.find((c) => c.header === h)?.target;
    expect(at(dotted)).toEqual({ kind: "answer", question: "hh.sex" });
    expect(at(dotted.replace("hh.sex", "hh.size"))).toEqual({ kind: "answer", question: "hh.size" });
    expect(at(headers.find((h) => /respondent.sex$/.test(h))!)).toEqual({ kind: "answer", question: "sex" });
    expect(at(headers.find((h) => /safe\.dark$/.test(h))!)).toEqual({ kind: "answer", question: "safe.dark" });
    expect(at(headers.find((h) => /threats\.seen.theft$/.test(h))!)).toEqual({ kind: "option", question: "threats.seen", code: "theft" });
  });

  it("reads each submission into the survey's questions", () => {
    const ctx = { layout, columns, surveyId: "s", defaultVersion: 1, defaultLanguage: "en", languages: def.languages, communities: [], rounds: [], collectedOn: null };
    const read = rows.map((cells, i) => convertRow(ctx, cells, i + 2));
    expect(read.flatMap((r) => r.problems)).toEqual([]);
    expect(read.map((r) => [r.row!.response.id, r.row!.response.answers])).toEqual([
      [U1, { sex: "female", "hh.sex": "male", "hh.size": 6, "safe.dark": "3", "threats.seen": ["theft", "armed_violence"] }],
      [U2, { sex: "male", "hh.sex": "female", "hh.size": 2, "safe.dark": "1", "threats.seen": ["other"] }],
    ]);
  });
});
