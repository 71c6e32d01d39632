// The condition builder's state and its conversion to and from the survey core's conditions.
// A builder holds rows joined by all/any; each row is "[question] [operator] [value(s)]" or
// "[number of options chosen in question] [operator] [n]". Pure, so it is unit-tested both ways.
import { SELF, type Comparison, type Condition, type Question } from "~/survey";

/** Operators a row can hold. `equals` reads "is" (or "includes" for a multi-pick question). */
export type RowOp =
  | "equals"
  | "notEquals"
  | "oneOf"
  | "answered"
  | "notAnswered"
  | Comparison;

export type Subject = "answer" | "count";

export interface Row {
  subject: Subject;
  question: string;
  op: RowOp;
  /** Option codes for equals/notEquals/oneOf; one typed value for comparisons. */
  values: string[];
}

export interface Builder {
  combine: "all" | "any";
  rows: Row[];
}

export const ORDER_OPS: Comparison[] = [">=", ">", "<=", "<"];
const isComparison = (op: RowOp): op is Comparison => (["=", "!=", "<", "<=", ">", ">="] as string[]).includes(op);

/** A condition as builder rows, or null when it is nested deeper than the builder shows. */
export function toBuilder(c: Condition | undefined): Builder | null {
  if (!c) return { combine: "all", rows: [] };
  if (c.op === "all" || c.op === "any") {
    const rows = c.conditions.map(toRow);
    return rows.every((r): r is Row => r !== null) ? { combine: c.op, rows } : null;
  }
  const single = toRow(c);
  return single ? { combine: "all", rows: [single] } : null;
}

export function toRow(c: Condition): Row | null {
  switch (c.op) {
    case "equals":
      return { subject: "answer", question: c.question, op: "equals", values: [String(c.value)] };
    case "oneOf":
      return { subject: "answer", question: c.question, op: "oneOf", values: c.values.map(String) };
    case "answered":
      return { subject: "answer", question: c.question, op: "answered", values: [] };
    case "compare":
      return { subject: "answer", question: c.question, op: c.cmp, values: [String(c.value)] };
    case "countSelected":
      return { subject: "count", question: c.question, op: c.cmp, values: [Number.isFinite(c.value) ? String(c.value) : ""] };
    case "not":
      if (c.condition.op === "equals") return { subject: "answer", question: c.condition.question, op: "notEquals", values: [String(c.condition.value)] };
      if (c.condition.op === "answered") return { subject: "answer", question: c.condition.question, op: "notAnswered", values: [] };
      return null;
    default:
      return null;
  }
}

/**
 * "18" → 18, "2.5" → 2.5; anything else stays text (validation then names the field). Only text
 * that a number writes back the same way becomes one, so "2." stays as typed while typing "2.5".
 */
export function typedValue(text: string): string | number {
  const n = Number(text);
  return text.trim() !== "" && Number.isFinite(n) && String(n) === text ? n : text;
}

/**
 * A row as a condition. Incomplete rows are kept (validation flags them at the row's field) so a
 * half-built condition is never lost while the author is still choosing.
 */
export function fromRow(r: Row): Condition {
  const first = r.values[0] ?? "";
  if (r.subject === "count") {
    const cmp: Comparison = isComparison(r.op) ? r.op : ">=";
    const n = typedValue(first);
    // NaN is not a number the schema accepts: the value field is then reported as invalid.
    return { op: "countSelected", question: r.question, cmp, value: typeof n === "number" ? n : Number.NaN };
  }
  switch (r.op) {
    case "answered":
      return { op: "answered", question: r.question };
    case "notAnswered":
      return { op: "not", condition: { op: "answered", question: r.question } };
    case "oneOf":
      return { op: "oneOf", question: r.question, values: r.values.length ? r.values : [""] };
    case "notEquals":
      return { op: "not", condition: { op: "equals", question: r.question, value: first } };
    case "equals":
      return { op: "equals", question: r.question, value: first };
    default:
      return { op: "compare", question: r.question, cmp: r.op, value: typedValue(first) };
  }
}

export function fromBuilder(b: Builder): Condition | undefined {
  const conditions = b.rows.map(fromRow);
  if (conditions.length === 0) return undefined;
  if (conditions.length === 1) return conditions[0];
  return { op: b.combine, conditions };
}

/** Where a row's condition sits in the definition, below the condition's own path. */
export function rowPath(b: Builder, i: number): (string | number)[] {
  const r = b.rows[i];
  const base = b.rows.length > 1 ? ["conditions", i] : [];
  return r.op === "notEquals" || r.op === "notAnswered" ? [...base, "condition"] : base;
}

const MULTI = new Set(["multiple", "ranking"]);
export const isMulti = (q: Question | undefined) => !!q && MULTI.has(q.type);

/** The operators offered for a subject, by the question's type (what makes sense to ask of it). */
export function operatorsFor(subject: Subject, q: Question | undefined): RowOp[] {
  if (subject === "count") return [">=", ">", "<=", "<", "=", "!="];
  if (!q) return ["equals", "notEquals", "oneOf", "answered", "notAnswered"];
  if (q.type === "number") return [">=", ">", "<=", "<", "=", "!=", "answered", "notAnswered"];
  if (q.type === "text") return ["equals", "notEquals", "answered", "notAnswered"];
  return ["equals", "notEquals", "oneOf", "answered", "notAnswered"];
}

/** What a row's value control is: none, option codes (one or several), or a typed number/text. */
export function valueKind(row: Row, q: Question | undefined): "none" | "option" | "options" | "number" | "text" {
  if (row.op === "answered" || row.op === "notAnswered") return "none";
  if (row.subject === "count") return "number";
  if (isComparison(row.op)) return q?.type === "text" ? "text" : "number";
  if (q?.options?.length) return row.op === "oneOf" ? "options" : "option";
  return "text";
}

/** The builder's choice of "what": a question's answer, or how many options were chosen in it. */
export const subjectKey = (r: Pick<Row, "subject" | "question">) => (r.subject === "count" ? `count:${r.question}` : r.question);
export function parseSubjectKey(key: string): Pick<Row, "subject" | "question"> {
  return key.startsWith("count:") ? { subject: "count", question: key.slice(6) } : { subject: "answer", question: key };
}

/**
 * A row after its "what" changes: the operator is kept when it still applies, else the first that
 * does; values are cleared (codes of another question mean nothing here).
 */
export function withSubject(row: Row, key: string, questions: Question[]): Row {
  const next = parseSubjectKey(key);
  const q = questions.find((x) => x.id === next.question);
  const ops = operatorsFor(next.subject, q);
  // A count starts complete ("at least 1"), so a new row never hides the other problems.
  return { ...next, op: ops.includes(row.op) ? row.op : ops[0], values: next.subject === "count" ? ["1"] : [] };
}

/** A constraint's rows are about the question's own answer ("."): only comparisons (or counts). */
export function constraintSubject(q: Question): Subject | null {
  if (q.type === "number") return "answer";
  if (isMulti(q)) return "count";
  return null;
}

/** A new rule row: "the answer is at least …" (to fill in), or "the number chosen is at most 3". */
export function newConstraintRow(q: Question): Row {
  if (constraintSubject(q) === "count") return { subject: "count", question: SELF, op: "<=", values: ["3"] };
  return { subject: "answer", question: SELF, op: ">=", values: [] };
}
