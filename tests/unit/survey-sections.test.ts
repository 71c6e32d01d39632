// Sections (XLSForm groups): a section's condition hides all its questions, on the tablet and on the
// server alike, and a field-list section's questions share one screen. Table-driven: each row is a
// respondent's answers, what the tablet shows, and what the server says of the same answers.
import { describe, expect, it } from "vitest";
import {
  comparabilityWarnings,
  dropHiddenAnswers,
  definitionWarnings,
  pages,
  validateAnswers,
  validateDefinition,
  visibleQuestions,
  type Answers,
  type SurveyDefinition,
} from "../../app/survey";
import { applyFills, translatableTexts } from "../../app/translation/texts";
import { changeType } from "../../app/ui/editor/QuestionEditor";

const opts = (...codes: string[]) => codes.map((code) => ({ code, label: { en: code, so: code } }));
const both = (en: string, so: string) => ({ en, so });

/** A protection form: about you (field-list), an adults' section, and inside it one for women (flattened). */
function form(): SurveyDefinition {
  return {
    title: both("Protection", "Ilaalin"),
    languages: [
      { code: "en", name: "English", direction: "ltr" },
      { code: "so", name: "Soomaali", direction: "ltr" },
    ],
    defaultLanguage: "en",
    consent: both("Do you agree?", "Ma ogolaatay?"),
    sections: [
      { id: "about", label: both("About you", "Adiga"), fieldList: true },
      { id: "adults", label: both("Adults", "Dadka waaweyn"), showIf: { op: "compare", question: "age", cmp: ">=", value: 18 } },
      {
        id: "women",
        label: both("Women", "Haweenka"),
        showIf: { op: "all", conditions: [{ op: "compare", question: "age", cmp: ">=", value: 18 }, { op: "equals", question: "sex", value: "female" }] },
      },
    ],
    questions: [
      { id: "age", type: "number", integer: true, required: true, label: both("Age", "Da'da"), section: "about" },
      { id: "sex", type: "single", required: true, label: both("Sex", "Jinsi"), options: opts("male", "female"), section: "about" },
      { id: "hh.size", type: "number", label: both("People at home", "Dadka guriga"), section: "about", showIf: { op: "compare", question: "age", cmp: ">=", value: 18 } },
      { id: "work", type: "single", required: true, label: both("Do you work?", "Ma shaqeysaa?"), options: opts("yes", "no"), section: "adults" },
      { id: "where", type: "text", label: both("Where?", "Xagee?"), section: "adults", showIf: { op: "equals", question: "work", value: "yes" } },
      { id: "safe_market", type: "single", label: both("Safe at the market?", "Suuqa ammaan?"), options: opts("1", "2"), section: "women" },
      { id: "comment", type: "text", label: both("Anything else?", "Wax kale?") },
    ],
    indicators: [],
  };
}

type Row = [string, Answers, string[], [string, string][]];
// name, answers, the questions the tablet shows, the server's faults [code, path]
const rows: Row[] = [
  ["a child sees neither adults' section", { age: 12, sex: "female" }, ["age", "sex", "comment"], []],
  ["an adult man sees the adults' section only", { age: 30, sex: "male", "hh.size": 4, work: "no" }, ["age", "sex", "hh.size", "work", "where", "comment"].filter((id) => id !== "where"), []],
  ["an adult woman who works sees every section", { age: 30, sex: "female", work: "yes", where: "Market", safe_market: "1" }, ["age", "sex", "hh.size", "work", "where", "safe_market", "comment"], []],
  ["a required question in a hidden section is not required", { age: 12, sex: "male" }, ["age", "sex", "comment"], []],
  ["a required question in a shown section is", { age: 40, sex: "male" }, ["age", "sex", "hh.size", "work", "comment"], [["required", "answers.work"]]],
  ["an answer in a hidden section is refused as hidden by skip logic", { age: 12, sex: "female", work: "yes" }, ["age", "sex", "comment"], [["hidden_by_logic", "answers.work"]]],
  ["an answer in the flattened inner section is refused when the outer condition fails", { age: 12, sex: "female", safe_market: "1" }, ["age", "sex", "comment"], [["hidden_by_logic", "answers.safe_market"]]],
  ["and when the inner one fails", { age: 30, sex: "male", work: "no", safe_market: "1" }, ["age", "sex", "hh.size", "work", "comment"], [["hidden_by_logic", "answers.safe_market"]]],
  ["a question's own condition still counts inside a shown section", { age: 30, sex: "male", work: "no", where: "x" }, ["age", "sex", "hh.size", "work", "comment"], [["hidden_by_logic", "answers.where"]]],
];

describe("a section's condition, on the tablet and on the server", () => {
  it("the form is a valid definition", () => {
    const result = validateDefinition(form());
    expect(result.ok ? [] : result.errors).toEqual([]);
  });

  it.each(rows)("%s", (_name, answers, shown, faults) => {
    const def = form();
    expect(visibleQuestions(def, answers).map((q) => q.id)).toEqual(shown);
    expect(validateAnswers(def, answers).errors.map((e) => [e.code, e.path])).toEqual(faults);
    // What the tablet submits (hidden answers dropped) the server accepts, bar a missing required answer.
    const submitted = dropHiddenAnswers(def, answers);
    expect(Object.keys(submitted).every((id) => shown.includes(id))).toBe(true);
    expect(validateAnswers(def, submitted).errors.filter((e) => e.code !== "required")).toEqual([]);
  });

  it("a stale answer cannot keep a section open once the answer it hangs on changes", () => {
    const def = form();
    const answers: Answers = { age: 30, sex: "female", work: "yes", safe_market: "2" };
    expect(visibleQuestions(def, answers).map((q) => q.id)).toContain("safe_market");
    answers.age = 16;
    expect(dropHiddenAnswers(def, answers)).toEqual({ age: 16, sex: "female" });
  });
});

describe("screens", () => {
  it("a field-list section's questions share one screen; every other question has its own", () => {
    expect(pages(form())).toEqual([["age", "sex", "hh.size"], ["work"], ["where"], ["safe_market"], ["comment"]]);
  });

  it("a survey made before sections keeps one question per screen and its skip logic", () => {
    const def = form();
    delete def.sections;
    for (const q of def.questions) delete q.section;
    expect(validateDefinition(def).ok).toBe(true);
    expect(pages(def)).toEqual(def.questions.map((q) => [q.id]));
    expect(visibleQuestions(def, { age: 12 }).map((q) => q.id)).toEqual(["age", "sex", "work", "safe_market", "comment"]);
  });
});

describe("definitions with sections", () => {
  const faults = (def: SurveyDefinition) => {
    const result = validateDefinition(def);
    return result.ok ? [] : result.errors.map((e) => [e.code, e.path]);
  };

  it.each<[string, (d: SurveyDefinition) => void, [string, string][]]>([
    ["a question in an undeclared section", (d) => (d.questions[0].section = "nowhere"), [["unknown_section", "questions.0.section"]]],
    ["two sections with one id", (d) => (d.sections![2].id = "adults"), [["duplicate_section_id", "sections.2.id"], ["unknown_section", "questions.5.section"]]],
    ["a section named like a question", (d) => (d.sections![1].id = "comment"), [["section_id_taken", "sections.1.id"], ["unknown_section", "questions.3.section"], ["unknown_section", "questions.4.section"]]],
    ["a heading missing in Somali", (d) => delete d.sections![0].label!.so, [["missing_translation", "sections.0.label.so"]]],
    ["a condition on a question inside the section", (d) => (d.sections![1].showIf = { op: "equals", question: "work", value: "yes" }), [["condition_looks_ahead", "sections.1.showIf.question"]]],
    ["a condition on an unknown question", (d) => (d.sections![1].showIf = { op: "answered", question: "ghost" }), [["unknown_condition_question", "sections.1.showIf.question"]]],
  ])("refuses %s, naming the field", (_name, change, expected) => {
    const def = form();
    change(def);
    expect(faults(def)).toEqual(expected);
  });

  it("a section's condition on a code not in the list is a warning, not a refusal", () => {
    const def = form();
    def.sections![2].showIf = { op: "equals", question: "sex", value: "other" };
    expect(validateDefinition(def).ok).toBe(true);
    expect(definitionWarnings(def).map((w) => [w.code, w.path])).toEqual([["unknown_code", "sections.2.showIf.value"]]);
  });
});

describe("sections elsewhere", () => {
  it("a translator's file holds each section heading once, where the respondent meets it, and fills it back", () => {
    const def = form();
    const keys = translatableTexts(def).map((t) => t.key);
    expect(keys.filter((k) => k.startsWith("sec:"))).toEqual(["sec:about:label", "sec:adults:label", "sec:women:label"]);
    expect(keys.indexOf("sec:adults:label")).toBe(keys.indexOf("q:work:label") - 1);
    const filled = applyFills(def, "so", [{ key: "sec:women:label", target: "Dumarka" }]);
    expect(filled.sections![2].label).toEqual({ en: "Women", so: "Dumarka" });
    expect(def.sections![2].label!.so).toBe("Haweenka");
  });

  it("warns that a trend breaks when the section around an indicator's question changes its condition", () => {
    const previous = form();
    previous.indicators.push({ id: "safe_market", kind: "share", label: both("Safe at the market", "Ammaan suuqa"), question: "safe_market", codes: ["1"], denominator: "all", direction: "higher_is_better" });
    const next = structuredClone(previous);
    expect(comparabilityWarnings(previous, next)).toEqual([]);
    next.sections![2].showIf = { op: "equals", question: "sex", value: "female" };
    expect(comparabilityWarnings(previous, next).map((w) => w.path)).toEqual(["questions.5.section"]);
  });

  it("changing a question's type in the editor keeps its section", () => {
    expect(changeType(form().questions[3], "text").section).toBe("adults");
  });
});
