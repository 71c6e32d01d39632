// The grown condition model: numeric comparisons, count-selected, and/or/not, selected() and
// constraints, judged by the one evaluator the tablet and the server share. Table-driven: each row
// is an XLSForm-style rule, the answers, and what both sides must conclude.
import { describe, expect, it } from "vitest";
import {
  evaluate,
  meetsConstraint,
  validateAnswers,
  validateDefinition,
  definitionWarnings,
  visibleQuestions,
  type Answers,
  type Condition,
  type SurveyDefinition,
} from "../../app/survey";

const opts = (...codes: string[]) => codes.map((code) => ({ code, label: { en: code } }));

/** A household form: age, sex, threats picked, a count of people, a reason shown by rules. */
function form(): SurveyDefinition {
  return {
    title: { en: "Household protection" },
    languages: [{ code: "en", name: "English", direction: "ltr" }],
    defaultLanguage: "en",
    consent: { en: "Do you agree?" },
    questions: [
      { id: "Age", type: "number", integer: true, label: { en: "Age" }, constraint: { check: { op: "all", conditions: [{ op: "compare", question: ".", cmp: ">=", value: 0 }, { op: "compare", question: ".", cmp: "<=", value: 120 }] }, message: { en: "Age must be between 0 and 120." } } },
      { id: "hh.sex", type: "single", label: { en: "Sex" }, options: opts("male", "female", "prefer.not") },
      { id: "threats", type: "multiple", label: { en: "Threats" }, options: opts("theft", "violence", "harassment", "other") },
      { id: "_members", type: "number", label: { en: "Members" }, constraint: { check: { op: "compare", question: ".", cmp: ">", value: 0 } } },
      { id: "adult-q", type: "text", label: { en: "Adults only" }, showIf: { op: "compare", question: "Age", cmp: ">=", value: 18 } },
      { id: "many", type: "text", label: { en: "Which worries most?" }, showIf: { op: "countSelected", question: "threats", cmp: ">", value: 1 } },
      { id: "why", type: "text", label: { en: "Why?" }, showIf: { op: "all", conditions: [{ op: "equals", question: "threats", value: "violence" }, { op: "not", condition: { op: "equals", question: "hh.sex", value: "male" } }] } },
    ],
    indicators: [],
  };
}

type Row = [string, Condition, Answers, boolean];
const rows: Row[] = [
  ["${Age} >= 18, adult", { op: "compare", question: "Age", cmp: ">=", value: 18 }, { Age: 30 }, true],
  ["${Age} >= 18, child", { op: "compare", question: "Age", cmp: ">=", value: 18 }, { Age: 12 }, false],
  ["${Age} >= 18, boundary", { op: "compare", question: "Age", cmp: ">=", value: 18 }, { Age: 18 }, true],
  ["${Age} >= 18, unanswered", { op: "compare", question: "Age", cmp: ">=", value: 18 }, {}, false],
  ["${Age} < 18", { op: "compare", question: "Age", cmp: "<", value: 18 }, { Age: 17 }, true],
  ["${Age} <= 17", { op: "compare", question: "Age", cmp: "<=", value: 17 }, { Age: 18 }, false],
  ["${Age} > '5' (text literal of a number)", { op: "compare", question: "Age", cmp: ">", value: "5" }, { Age: 40 }, true],
  ["${Age} = 40", { op: "compare", question: "Age", cmp: "=", value: 40 }, { Age: 40 }, true],
  ["${Age} != 40", { op: "compare", question: "Age", cmp: "!=", value: 40 }, { Age: 41 }, true],
  ["${Age} != 40, unanswered stays false", { op: "compare", question: "Age", cmp: "!=", value: 40 }, {}, false],
  ["text = 'yes'", { op: "compare", question: "t", cmp: "=", value: "yes" }, { t: "yes" }, true],
  ["text < 5 is not a number", { op: "compare", question: "t", cmp: "<", value: 5 }, { t: "abc" }, false],
  ["count-selected > 1, two picked", { op: "countSelected", question: "threats", cmp: ">", value: 1 }, { threats: ["theft", "violence"] }, true],
  ["count-selected > 1, one picked", { op: "countSelected", question: "threats", cmp: ">", value: 1 }, { threats: ["theft"] }, false],
  ["count-selected = 0, none", { op: "countSelected", question: "threats", cmp: "=", value: 0 }, {}, true],
  ["selected(threats, 'violence')", { op: "equals", question: "threats", value: "violence" }, { threats: ["theft", "violence"] }, true],
  ["selected() absent", { op: "equals", question: "threats", value: "violence" }, { threats: ["theft"] }, false],
  ["code with a dot", { op: "equals", question: "hh.sex", value: "prefer.not" }, { "hh.sex": "prefer.not" }, true],
  ["and", { op: "all", conditions: [{ op: "compare", question: "Age", cmp: ">=", value: 18 }, { op: "equals", question: "hh.sex", value: "female" }] }, { Age: 20, "hh.sex": "female" }, true],
  ["and, one fails", { op: "all", conditions: [{ op: "compare", question: "Age", cmp: ">=", value: 18 }, { op: "equals", question: "hh.sex", value: "female" }] }, { Age: 20, "hh.sex": "male" }, false],
  ["or", { op: "any", conditions: [{ op: "compare", question: "Age", cmp: "<", value: 18 }, { op: "equals", question: "hh.sex", value: "female" }] }, { Age: 20, "hh.sex": "female" }, true],
  ["not()", { op: "not", condition: { op: "equals", question: "hh.sex", value: "male" } }, { "hh.sex": "female" }, true],
  ["answered", { op: "answered", question: "Age" }, { Age: 0 }, true],
  ["inherited key is not an answer", { op: "answered", question: "constructor" }, {}, false],
];

describe("the condition evaluator", () => {
  it.each(rows)("%s", (_name, condition, answers, expected) => {
    expect(evaluate(condition, answers)).toBe(expected);
  });

  it("reads '.' as the question's own answer in a constraint", () => {
    const check: Condition = { op: "compare", question: ".", cmp: "<=", value: 120 };
    expect(evaluate(check, { Age: 130 }, "Age")).toBe(false);
    expect(evaluate(check, { Age: 30 }, "Age")).toBe(true);
  });
});

describe("tablet and server reach the same verdict", () => {
  const def = form();
  type Case = [string, Answers, string[], string | null];
  // name, answers, questions the tablet shows, the server's fault code for the first failing answer
  const cases: Case[] = [
    ["a child sees no adult question", { Age: 12, "hh.sex": "male", threats: ["theft"], _members: 3 }, ["Age", "hh.sex", "threats", "_members"], null],
    ["an adult with two threats sees both follow-ups", { Age: 30, "hh.sex": "female", threats: ["theft", "violence"], _members: 3 }, ["Age", "hh.sex", "threats", "_members", "adult-q", "many", "why"], null],
    ["an age over 120 breaks the constraint", { Age: 130 }, ["Age", "hh.sex", "threats", "_members", "adult-q"], "constraint_failed"],
    ["zero members breaks the constraint", { Age: 30, _members: 0 }, ["Age", "hh.sex", "threats", "_members", "adult-q"], "constraint_failed"],
    ["an answer to a hidden question is refused", { Age: 12, "adult-q": "x" }, ["Age", "hh.sex", "threats", "_members"], "hidden_by_logic"],
  ];
  it.each(cases)("%s", (_name, answers, shown, fault) => {
    expect(visibleQuestions(def, answers).map((q) => q.id)).toEqual(shown);
    const result = validateAnswers(def, answers);
    expect(result.errors[0]?.code ?? null).toBe(fault);
    // The tablet's per-screen check (meetsConstraint) refuses exactly the answers the server does.
    const tabletRefuses = def.questions.filter((q) => !meetsConstraint(q, answers)).map((q) => `answers.${q.id}`);
    expect(tabletRefuses).toEqual(result.errors.filter((e) => e.code === "constraint_failed").map((e) => e.path));
  });

  it("tells the respondent the form's constraint message", () => {
    const result = validateAnswers(def, { Age: 130 });
    expect(result.errors[0]).toMatchObject({ code: "constraint_failed", path: "answers.Age", message: "Age must be between 0 and 120." });
  });
});

describe("definitions keep XLSForm names", () => {
  it("accepts names and codes exactly as a form has them", () => {
    const result = validateDefinition(form());
    expect(result.ok ? [] : result.errors).toEqual([]);
  });

  it.each([
    ["1st", "starts with a digit"],
    ["has space", "holds a space"],
    ["a/b", "holds a slash"],
    ["", "is empty"],
  ])("refuses the name %j (%s)", (id) => {
    const def = form();
    def.questions[0].id = id;
    const result = validateDefinition(def);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((e) => e.path)).toContain("questions.0.id");
  });

  it("refuses a space in a multi-pick code but not in a single-choice one", () => {
    const def = form();
    def.questions[1].options![2].code = "prefer not";
    expect(validateDefinition(def).ok).toBe(true);
    def.questions[2].options![3].code = "something else";
    const result = validateDefinition(def);
    expect(result.ok ? [] : result.errors.map((e) => [e.code, e.path])).toEqual([["code_has_space", "questions.2.options.3.code"]]);
  });

  it("warns, and does not refuse, when a condition names a code that is not in the list", () => {
    const def = form();
    def.questions[6].showIf = { op: "equals", question: "threats", value: "kidnapping" };
    const result = validateDefinition(def);
    expect(result.ok).toBe(true);
    expect(definitionWarnings(def).map((w) => [w.code, w.path])).toEqual([["unknown_code", "questions.6.showIf.value"]]);
    def.questions[6].showIf = { op: "all", conditions: [{ op: "not", condition: { op: "oneOf", question: "hh.sex", values: ["female", "7"] } }] };
    expect(validateDefinition(def).ok).toBe(true);
    expect(definitionWarnings(def).map((w) => w.path)).toEqual(["questions.6.showIf.conditions.0.condition.values.1"]);
  });

  it("refuses count-selected on a single-answer question and '.' outside a constraint", () => {
    const def = form();
    def.questions[5].showIf = { op: "countSelected", question: "hh.sex", cmp: ">", value: 0 };
    def.questions[6].showIf = { op: "compare", question: ".", cmp: ">", value: 1 };
    const result = validateDefinition(def);
    expect(result.ok ? [] : result.errors.map((e) => [e.code, e.path])).toEqual([
      ["bad_condition", "questions.5.showIf.question"],
      ["unknown_condition_question", "questions.6.showIf.question"],
    ]);
  });
});
