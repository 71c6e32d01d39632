// The editor's condition builder: what a facilitator picks in plain controls becomes the survey
// core's condition (and back, unchanged), half-built rows are kept and named by validation, and the
// rows the builder makes behave as intended in the one evaluator the tablet and server share.
import { describe, expect, it } from "vitest";
import { comparabilityWarnings, evaluate, meetsConstraint, validateDefinition, type Condition, type Question, type SurveyDefinition } from "../../app/survey";
import { fromBuilder, newConstraintRow, operatorsFor, rowPath, toBuilder, valueKind, withSubject, type Builder } from "../../app/ui/editor/conditions";
import { faultMessage, faultPlace, gapsByLanguage } from "../../app/ui/editor/problems";
import { editor, surveyErrors } from "../../app/i18n/staff/editor";
import { translator } from "../../app/i18n/core";

const opts = (...codes: string[]) => codes.map((code) => ({ code, label: { en: `label ${code}`, fr: `libellé ${code}` } }));
const questions: Question[] = [
  { id: "age", type: "number", label: { en: "Age", fr: "Âge" }, min: 0, max: 120 },
  { id: "sex", type: "single", label: { en: "Sex", fr: "Sexe" }, options: opts("1", "2") },
  { id: "threats", type: "multiple", label: { en: "Threats", fr: "Menaces" }, options: opts("theft", "violence", "harassment") },
  { id: "note", type: "text", label: { en: "Note", fr: "Note" } },
];

function survey(extra: Question): SurveyDefinition {
  return {
    title: { en: "T", fr: "T" },
    languages: [
      { code: "en", name: "English", direction: "ltr" },
      { code: "fr", name: "Français", direction: "ltr" },
    ],
    defaultLanguage: "en",
    consent: { en: "C", fr: "C" },
    questions: structuredClone([...questions, extra]),
    indicators: [],
  };
}
const shown = (showIf: Condition | undefined): Question => ({ id: "later", type: "text", label: { en: "L", fr: "L" }, showIf });

describe("the condition builder", () => {
  it("builds a numeric comparison and a count of options chosen, joined by all", () => {
    const b: Builder = {
      combine: "all",
      rows: [
        { subject: "answer", question: "age", op: ">=", values: ["18"] },
        { subject: "count", question: "threats", op: ">", values: ["1"] },
      ],
    };
    const c = fromBuilder(b);
    expect(c).toEqual({
      op: "all",
      conditions: [
        { op: "compare", question: "age", cmp: ">=", value: 18 },
        { op: "countSelected", question: "threats", cmp: ">", value: 1 },
      ],
    });
    expect(validateDefinition(survey(shown(c))).ok).toBe(true);
    // The evaluator agrees with what the rows say.
    expect(evaluate(c!, { age: 18, threats: ["theft", "violence"] })).toBe(true);
    expect(evaluate(c!, { age: 17, threats: ["theft", "violence"] })).toBe(false);
    expect(evaluate(c!, { age: 40, threats: ["theft"] })).toBe(false);
  });

  // Each shape the builder shows converts back to exactly the condition it came from.
  const roundTrips: [string, Condition][] = [
    ["is", { op: "equals", question: "sex", value: "2" }],
    ["is not", { op: "not", condition: { op: "equals", question: "sex", value: "1" } }],
    ["is one of", { op: "oneOf", question: "threats", values: ["theft", "violence"] }],
    ["is answered", { op: "answered", question: "note" }],
    ["is not answered", { op: "not", condition: { op: "answered", question: "note" } }],
    ["is less than", { op: "compare", question: "age", cmp: "<", value: 65 }],
    ["equals a decimal", { op: "compare", question: "age", cmp: "=", value: 2.5 }],
    ["text equals", { op: "compare", question: "note", cmp: "=", value: "yes" }],
    ["count at most", { op: "countSelected", question: "threats", cmp: "<=", value: 2 }],
    [
      "any of several",
      {
        op: "any",
        conditions: [
          { op: "compare", question: "age", cmp: ">", value: 60 },
          { op: "equals", question: "threats", value: "violence" },
          { op: "not", condition: { op: "equals", question: "sex", value: "1" } },
        ],
      },
    ],
  ];
  for (const [name, c] of roundTrips) {
    it(`converts "${name}" to rows and back unchanged`, () => {
      const b = toBuilder(c);
      expect(b).not.toBeNull();
      expect(fromBuilder(b!)).toEqual(c);
    });
  }

  it("shows deeper nesting read-only instead of guessing", () => {
    const nested: Condition = { op: "any", conditions: [{ op: "all", conditions: [{ op: "answered", question: "note" }] }, { op: "answered", question: "age" }] };
    expect(toBuilder(nested)).toBeNull();
    expect(toBuilder({ op: "not", condition: { op: "any", conditions: [{ op: "answered", question: "note" }] } })).toBeNull();
    expect(toBuilder(undefined)).toEqual({ combine: "all", rows: [] });
  });

  it("offers the operators that make sense for each kind of question", () => {
    expect(operatorsFor("answer", questions[0])).toEqual([">=", ">", "<=", "<", "=", "!=", "answered", "notAnswered"]);
    expect(operatorsFor("count", questions[2])).toContain(">");
    expect(operatorsFor("answer", questions[3])).not.toContain(">=");
    expect(valueKind({ subject: "answer", question: "sex", op: "equals", values: [] }, questions[1])).toBe("option");
    expect(valueKind({ subject: "answer", question: "threats", op: "oneOf", values: [] }, questions[2])).toBe("options");
    expect(valueKind({ subject: "count", question: "threats", op: ">=", values: [] }, questions[2])).toBe("number");
    // Switching from a choice question to a count keeps a comparison and drops the codes.
    const row = withSubject({ subject: "answer", question: "sex", op: "equals", values: ["1"] }, "count:threats", questions);
    expect(row).toEqual({ subject: "count", question: "threats", op: ">=", values: ["1"] });
  });

  it("keeps a half-built row, and validation names its field", () => {
    const t = translator("fr", editor.fr, editor.en);
    const e = translator("fr", surveyErrors.fr, surveyErrors.en);
    const b: Builder = {
      combine: "any",
      rows: [
        { subject: "answer", question: "age", op: ">=", values: ["dix-huit"] },
        { subject: "answer", question: "", op: "equals", values: [] },
      ],
    };
    const def = survey(shown(fromBuilder(b)));
    const result = validateDefinition(def);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const at = (i: number) => ["questions", 4, "showIf", ...rowPath(b, i)].join(".");
    const byPath = new Map(result.errors.map((x) => [x.path, x]));
    expect(byPath.get(`${at(0)}.value`)).toMatchObject({ code: "bad_condition", params: { reason: "needs_number" } });
    expect(byPath.get(`${at(1)}.question`)?.code).toBe("unknown_condition_question");
    // In the staff language, from the code: "Tapez un nombre…", under "Question n° 5 (later) › Condition d’affichage › Partie 1".
    expect(faultMessage(byPath.get(`${at(0)}.value`)!, def, e)).toBe("Tapez un nombre avec lequel comparer.");
    expect(faultPlace(`${at(0)}.value`, def, t)).toBe("Question n° 5 (later) › Condition d’affichage › Partie 1");

    // A count cleared while typing is not a number the model holds: its field is named, and the
    // input shows it empty rather than "NaN".
    const count: Builder = { combine: "all", rows: [{ subject: "count", question: "threats", op: ">", values: [""] }] };
    const cleared = validateDefinition(survey(shown(fromBuilder(count))));
    expect(cleared.ok ? [] : cleared.errors.map((x) => [x.path, x.code])).toEqual([["questions.4.showIf.value", "invalid"]]);
    expect(toBuilder(fromBuilder(count))).toEqual(count);
  });

  it("builds a constraint on the question's own answer that the respondent flow enforces", () => {
    const b: Builder = {
      combine: "all",
      rows: [
        { subject: "answer", question: ".", op: ">=", values: ["18"] },
        { subject: "answer", question: ".", op: "<=", values: ["120"] },
      ],
    };
    const q: Question = { ...questions[0], constraint: { check: fromBuilder(b)!, message: { en: "18 to 120", fr: "18 à 120" } } };
    expect(meetsConstraint(q, { age: 17 })).toBe(false);
    expect(meetsConstraint(q, { age: 18 })).toBe(true);
    expect(meetsConstraint(q, { age: 121 })).toBe(false);
    expect(meetsConstraint(q, {})).toBe(true);
    const def = survey(shown(undefined));
    def.questions[0] = q;
    expect(validateDefinition(def).ok).toBe(true);

    // On a multiple-choice question the rule counts the options chosen, and starts complete.
    const threats = def.questions[2];
    expect(fromBuilder({ combine: "all", rows: [newConstraintRow(threats)] })).toEqual({ op: "countSelected", question: ".", cmp: "<=", value: 3 });
    threats.constraint = { check: fromBuilder({ combine: "all", rows: [newConstraintRow(threats)] })!, message: { en: "Three at most", fr: "Trois au plus" } };
    expect(validateDefinition(def).ok).toBe(true);
    expect(meetsConstraint(threats, { threats: ["theft", "violence", "harassment"] })).toBe(true);
    expect(meetsConstraint({ ...threats, constraint: { check: { op: "countSelected", question: ".", cmp: "<=", value: 2 } } }, { threats: ["theft", "violence", "harassment"] })).toBe(false);
  });

  it("lists missing texts per language for the publish warning, with the first few places", () => {
    const def = survey(shown(undefined));
    def.languages.push({ code: "ar", name: "العربية", direction: "rtl" });
    const result = validateDefinition(def);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const gaps = gapsByLanguage(result.errors, def, 3);
    expect(gaps.map((g) => g.code)).toEqual(["ar"]);
    // title, consent, 5 question labels, 2 + 3 option labels
    expect(gaps[0].count).toBe(12);
    expect(gaps[0].first.map((f) => f.path)).toEqual(["title.ar", "consent.ar", "questions.0.label.ar"]);
    const e = translator("ar", surveyErrors.ar, surveyErrors.en);
    expect(faultMessage(result.errors[0], def, e)).toBe("لا يوجد نص بلغة العربية بعد.");
  });

  it("words a comparability warning from its code, in the staff language", () => {
    const before = survey(shown(undefined));
    before.indicators = [{ id: "feel_safe", label: { en: "Feel safe", fr: "En sécurité" }, question: "sex", kind: "share", codes: ["1"], denominator: "all", direction: "higher_is_better" }];
    const after = structuredClone(before);
    after.questions[1].options = after.questions[1].options!.filter((o) => o.code !== "1");
    const [w] = comparabilityWarnings(before, after);
    expect(w).toMatchObject({ code: "option_removed", params: { code: "1" } });
    const e = translator("fr", surveyErrors.fr, surveyErrors.en);
    expect(faultMessage({ ...w, code: `cmp_${w.code}` }, after, e)).toBe("Le code d’option 1, utilisé par cet indicateur, a été retiré.");
  });
});
