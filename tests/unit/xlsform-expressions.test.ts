// The XLSForm expression reader: each row is a relevant or constraint as real forms write it, the
// condition the survey core holds, and (for what the model cannot hold) the reason reported.
import { describe, expect, it } from "vitest";
import { ExpressionError, parseExpression, writeExpression } from "../../app/xlsform/expressions";
import type { Condition, Question } from "../../app/survey";

const questions: Question[] = [
  { id: "age", type: "number", integer: true, label: { en: "Age" } },
  { id: "sex", type: "single", label: { en: "Sex" }, options: [{ code: "m", label: { en: "M" } }, { code: "f", label: { en: "F" } }] },
  { id: "threats", type: "multiple", label: { en: "Threats" }, options: [{ code: "theft", label: { en: "Theft" } }, { code: "other", label: { en: "Other" } }] },
  { id: "note1", type: "text", label: { en: "Note" } },
  { id: "hh.size", type: "number", label: { en: "Size" } },
];
const byId = (id: string) => questions.find((q) => q.id === id);
const scope = { question: byId };
const self = (id: string) => ({ question: byId, self: byId(id) });

const read: [string, Condition][] = [
  ["${age} >= 18", { op: "compare", question: "age", cmp: ">=", value: 18 }],
  ["18 <= ${age}", { op: "compare", question: "age", cmp: ">=", value: 18 }],
  ["${age}>17 and ${age}<65", { op: "all", conditions: [{ op: "compare", question: "age", cmp: ">", value: 17 }, { op: "compare", question: "age", cmp: "<", value: 65 }] }],
  ["${hh.size} != 0", { op: "compare", question: "hh.size", cmp: "!=", value: 0 }],
  ["${sex} = 'f'", { op: "equals", question: "sex", value: "f" }],
  ['${sex} = "f"', { op: "equals", question: "sex", value: "f" }],
  ["${sex} != 'f'", { op: "not", condition: { op: "equals", question: "sex", value: "f" } }],
  ["${sex}='m' or ${sex}='f'", { op: "oneOf", question: "sex", values: ["m", "f"] }],
  ["selected(${threats}, 'other')", { op: "equals", question: "threats", value: "other" }],
  ["selected( ${threats} , \"theft\" ) or count-selected(${threats}) >= 2", { op: "any", conditions: [{ op: "equals", question: "threats", value: "theft" }, { op: "countSelected", question: "threats", cmp: ">=", value: 2 }] }],
  ["count-selected(${threats}) > 1", { op: "countSelected", question: "threats", cmp: ">", value: 1 }],
  ["not(selected(${threats}, 'theft'))", { op: "not", condition: { op: "equals", question: "threats", value: "theft" } }],
  ["${note1} != ''", { op: "answered", question: "note1" }],
  ["${note1} = ''", { op: "not", condition: { op: "answered", question: "note1" } }],
  ["(${age} < 18 or ${sex} = 'f') and ${note1} != ''", { op: "all", conditions: [{ op: "any", conditions: [{ op: "compare", question: "age", cmp: "<", value: 18 }, { op: "equals", question: "sex", value: "f" }] }, { op: "answered", question: "note1" }] }],
  ["${age} > -1", { op: "compare", question: "age", cmp: ">", value: -1 }],
  ["${age} <= 2.5", { op: "compare", question: "age", cmp: "<=", value: 2.5 }],
];

describe("relevant expressions", () => {
  it.each(read)("%s", (text, condition) => {
    expect(parseExpression(text, scope)).toEqual(condition);
  });

  it.each(read)("writes %s back to an expression that reads to the same condition", (text, condition) => {
    expect(parseExpression(writeExpression(condition, byId), scope)).toEqual(condition);
  });
});

describe("constraints", () => {
  it.each([
    [". >= 0 and . <= 120", "age", { op: "all", conditions: [{ op: "compare", question: ".", cmp: ">=", value: 0 }, { op: "compare", question: ".", cmp: "<=", value: 120 }] }],
    ["count-selected(.) <= 2", "threats", { op: "countSelected", question: ".", cmp: "<=", value: 2 }],
    ["not(selected(., 'other') and count-selected(.) > 1)", "threats", { op: "not", condition: { op: "all", conditions: [{ op: "equals", question: ".", value: "other" }, { op: "countSelected", question: ".", cmp: ">", value: 1 }] } }],
    ["${age} < 130", "age", { op: "compare", question: ".", cmp: "<", value: 130 }],
  ] as [string, string, Condition][])("%s", (text, own, condition) => {
    expect(parseExpression(text, self(own))).toEqual(condition);
    expect(writeExpression(condition, byId)).not.toContain("${" + own + "}");
  });
});

describe("what the model cannot hold is named", () => {
  it.each([
    ["regex(., '^[0-9]+$')", "age", "unsupported", /regex\(\) is not supported/],
    ["string-length(.) < 10", "note1", "unsupported", /string-length\(\) is not supported/],
    ["${age} > today()", undefined, "unsupported", /today\(\) is not supported/],
    [". < ${age}", "hh.size", "unsupported", /quoted text or a number on one side/],
    ["${is_adult} = 1", undefined, "reference", /\$\{is_adult\} is not a question/],
    ["${threats} = 'theft'", undefined, "unsupported", /use selected\(\)/],
    [". > 1", undefined, "syntax", /only has a meaning in a constraint/],
    ["${age} >= ", undefined, "syntax", /ends too early/],
    ["${age} >= 18)", undefined, "syntax", /follows the end/],
    ["'yes'", undefined, "syntax", /must compare something/],
    ["${age", undefined, "syntax", /not closed/],
  ] as [string, string | undefined, string, RegExp][])("%s", (text, own, kind, message) => {
    let error: unknown;
    try {
      parseExpression(text, own ? self(own) : scope);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ExpressionError);
    expect((error as ExpressionError).kind).toBe(kind);
    expect((error as Error).message).toMatch(message);
  });
});
