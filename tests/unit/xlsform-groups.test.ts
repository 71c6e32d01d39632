// XLSForm groups read into sections and written back, without a workbook in between (the pure part
// of the import and export): how odd groups are reported by their row, and what a section the editor
// split comes back as.
import { describe, expect, it } from "vitest";
import { importXlsform, type SheetRow, type XlsformSheets } from "../../app/xlsform/import";
import { exportXlsform } from "../../app/xlsform/export";
import type { SurveyDefinition } from "../../app/survey";

/** Sheets from rows of cells, numbered as a spreadsheet numbers them (the header is row 1). */
const sheet = (rows: Record<string, string>[]): SheetRow[] => rows.map((cells, i) => ({ row: i + 2, cells }));
const sheets = (survey: Record<string, string>[], choices: Record<string, string>[] = []): XlsformSheets => ({
  survey: sheet(survey),
  choices: sheet(choices),
  settings: sheet([{ form_title: "Groups", "consent::English (en)": "Agree?", "consent::Somali (so)": "Ma ogtahay?" }]),
  indicators: [],
});
const L = (en: string, so?: string) => ({ "label::English (en)": en, ...(so ? { "label::Somali (so)": so } : {}) });
const sex = [
  { list_name: "sex", name: "male", ...L("Man", "Nin") },
  { list_name: "sex", name: "female", ...L("Woman", "Naag") },
];

describe("groups the import reports by their row", () => {
  it("names the group's row for a heading missing in a language, a condition on an unknown code, a bad name and an unreadable relevant", () => {
    const { definition, report } = importXlsform(
      sheets(
        [
          { type: "select_one sex", name: "sex", ...L("Sex", "Jinsi") }, // 2
          { type: "begin_group", name: "women", ...L("Women"), relevant: "${sex} = 'other'" }, // 3
          { type: "text", name: "q1", ...L("Q1", "S1") }, // 4
          { type: "end_group" }, // 5
          { type: "begin group", name: "1st", ...L("First", "Koowaad"), relevant: "regex(${sex}, 'a')" }, // 6
          { type: "text", name: "q2", ...L("Q2", "S2") }, // 7
          { type: "end group" }, // 8
        ],
        sex,
      ),
    );
    expect(definition.sections).toEqual([
      { id: "women", label: { en: "Women" }, showIf: { op: "equals", question: "sex", value: "other" } },
      { id: "group_6", label: { en: "First", so: "Koowaad" } },
    ]);
    const rows = report.map((r) => [r.row, r.column, r.done]);
    expect(rows).toEqual(
      expect.arrayContaining([
        [6, "relevant", "left out"],
        [6, "name", "changed"],
        [3, null, "to fix in the editor"],
        [3, "relevant", "warning"],
      ]),
    );
    expect(report.find((r) => r.row === 6 && r.column === "relevant")!.what).toContain("the group's questions are shown whatever the answers");
  });

  it("keeps a group without questions out of the sections, and a question outside every group outside them", () => {
    const { definition } = importXlsform(
      sheets([
        { type: "begin_group", name: "empty", ...L("Empty", "Madhan") },
        { type: "end_group" },
        { type: "text", name: "alone", ...L("Alone", "Keli") },
      ]),
    );
    expect(definition.sections).toBeUndefined();
    expect(definition.questions[0].section).toBeUndefined();
  });
});

describe("sections written back as groups", () => {
  const base = (): SurveyDefinition => ({
    title: { en: "Groups", so: "Kooxo" },
    languages: [
      { code: "en", name: "English", direction: "ltr" },
      { code: "so", name: "Soomaali", direction: "ltr" },
    ],
    defaultLanguage: "en",
    consent: { en: "Agree?", so: "Ma ogtahay?" },
    sections: [{ id: "about", label: { en: "About you", so: "Adiga" }, fieldList: true }],
    questions: [
      { id: "age", type: "number", integer: true, label: { en: "Age", so: "Da'da" }, section: "about" },
      { id: "comment", type: "text", label: { en: "Comment", so: "Faallo" } },
      { id: "sex", type: "single", label: { en: "Sex", so: "Jinsi" }, options: [{ code: "m", label: { en: "Man", so: "Nin" } }, { code: "f", label: { en: "Woman", so: "Naag" } }], section: "about" },
    ],
    indicators: [],
  });
  const survey = (def: SurveyDefinition) => exportXlsform(def).find((s) => s.name === "survey")!.rows.map((r) => [r.type, r.name ?? ""]);

  it("writes one group per run, and a run the editor split off under a numbered name", () => {
    expect(survey(base())).toEqual([
      ["begin_group", "about"],
      ["integer", "age"],
      ["end_group", ""],
      ["text", "comment"],
      ["begin_group", "about_2"],
      ["select_one sex", "sex"],
      ["end_group", ""],
    ]);
  });

  it("reads a definition without sections back without any", () => {
    const def = base();
    delete def.sections;
    for (const q of def.questions) delete q.section;
    expect(survey(def).map((r) => r[0])).toEqual(["integer", "text", "select_one sex"]);
    const back = importXlsform(Object.fromEntries(exportXlsform(def).map((s) => [s.name, sheet(s.rows)])) as unknown as XlsformSheets).definition;
    expect(back.sections).toBeUndefined();
    expect(back.questions).toEqual(def.questions);
  });
});
