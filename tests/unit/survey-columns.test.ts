// The survey core keeps every export column name unique: an author cannot give a question the
// name of a fixed column or of another question's option or position column.
import { describe, expect, it } from "vitest";
import { answerColumns, validateDefinition, type SurveyDefinition } from "../../app/survey";

const en = (text: string) => ({ en: text });
const base = (questions: SurveyDefinition["questions"]): SurveyDefinition => ({
  title: en("Market"),
  languages: [{ code: "en", name: "English", direction: "ltr" }],
  defaultLanguage: "en",
  consent: en("Agree?"),
  questions,
  indicators: [],
});
const choice = (code: string) => ({ code, label: en(code) });

describe("export column names", () => {
  it("lets a multiple choice with option `other` sit beside a text question `<q>_other`", () => {
    const def = base([
      { id: "threats", type: "multiple", label: en("Threats"), options: [choice("theft"), choice("other")] },
      { id: "threats_other", type: "text", label: en("Which other?") },
    ]);
    expect(validateDefinition(def)).toMatchObject({ ok: true });
    expect(def.questions.flatMap((q) => answerColumns(q))).toEqual(["threats/theft", "threats/other", "threats_other"]);
  });

  it("refuses a question id that takes another question's ranking column, with the path", () => {
    const result = validateDefinition(
      base([
        { id: "top", type: "ranking", maxPicks: 2, label: en("Rank"), options: [choice("a"), choice("b"), choice("c")] },
        { id: "top_2", type: "text", label: en("Why?") },
      ]),
    );
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors).toEqual([expect.objectContaining({ path: "questions.1.id", code: "column_taken", params: { id: "top_2", column: "top_2", question: "top" } })]);
  });

  it("refuses a question named like a fixed export column", () => {
    const result = validateDefinition(base([{ id: "community", type: "text", label: en("Where?") }]));
    expect(!result.ok && result.errors).toEqual([expect.objectContaining({ path: "questions.0.id", code: "reserved_id" })]);
  });
});

describe("the export layout over versions", () => {
  it("never gives two columns one name, even when versions named things differently", async () => {
    const { buildLayout } = await import("../../app/exchange/layout");
    const v1 = base([{ id: "top_2", type: "text", label: en("Why?") }]);
    const v2 = base([{ id: "top", type: "ranking", maxPicks: 2, label: en("Rank"), options: [choice("a"), choice("b")] }]);
    const layout = buildLayout([
      { version: 1, definition: v1 },
      { version: 2, definition: v2 },
    ]);
    expect(new Set(layout.columns).size).toBe(layout.columns.length);
    expect(layout.columns.slice(-3)).toEqual(["top_1", "top_2", "top_2~2"]);
  });
});
