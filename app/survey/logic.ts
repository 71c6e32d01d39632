// Skip logic: which questions a respondent sees, given the answers so far.
import type { AnswerValue, Answers, Comparison, Condition, Question, SurveyDefinition } from "./definition";

/** Whether a value counts as an answer: empty strings and empty selections do not. */
export function hasAnswer(value: AnswerValue | undefined | null): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === "string") return value.trim() !== "";
  if (typeof value === "number") return Number.isFinite(value);
  return Array.isArray(value) && value.length > 0;
}

// Codes are strings and numbers come from number questions; comparing as strings lets an author
// write {value: 1} or {value: "1"} and mean the same thing.
function matches(answer: AnswerValue, value: string | number): boolean {
  if (Array.isArray(answer)) return answer.some((a) => String(a) === String(value));
  return String(answer) === String(value);
}

// Object.hasOwn is missing on older tablet browsers (before Chrome 93, Safari 15.4).
export const hasOwn = (o: object, key: string) => Object.prototype.hasOwnProperty.call(o, key);

// Answers arrive as JSON from devices: "constructor" is a valid question id, so never read inherited keys.
export function answerOf(answers: Answers, id: string): AnswerValue | undefined {
  return hasOwn(answers, id) ? answers[id] : undefined;
}

/** The question a constraint checks: `.` in a condition means its own answer. */
export const SELF = ".";

const isNumeric = (v: unknown) => (typeof v === "number" && Number.isFinite(v)) || (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v)));

// Numbers compare numerically (a number answer against 18, or "18" from a form); text answers
// compare as text for = and !=. An order comparison involving text that is not a number is false.
function compareValues(answer: string | number, cmp: Comparison, value: string | number): boolean {
  if (cmp === "=" || cmp === "!=") {
    const same = isNumeric(answer) && isNumeric(value) ? Number(answer) === Number(value) : String(answer) === String(value);
    return cmp === "=" ? same : !same;
  }
  if (!isNumeric(answer) || !isNumeric(value)) return false;
  const a = Number(answer);
  const b = Number(value);
  return cmp === "<" ? a < b : cmp === "<=" ? a <= b : cmp === ">" ? a > b : a >= b;
}

/**
 * Evaluates a condition against answers that already exclude hidden questions. `self` is the
 * question a constraint belongs to (what `.` stands for). An unanswered question makes every
 * comparison false, `!=` included: "age >= 18" must not open a branch before age is given.
 */
export function evaluate(condition: Condition, answers: Answers, self?: string): boolean {
  const target = (q: string) => answerOf(answers, q === SELF && self !== undefined ? self : q);
  switch (condition.op) {
    case "compare": {
      const a = target(condition.question);
      if (a === undefined || !hasAnswer(a) || Array.isArray(a)) return false;
      return compareValues(a, condition.cmp, condition.value);
    }
    case "countSelected": {
      const a = target(condition.question);
      const count = Array.isArray(a) ? a.length : a !== undefined && hasAnswer(a) ? 1 : 0;
      return compareValues(count, condition.cmp, condition.value);
    }
    case "equals": {
      const a = target(condition.question);
      return a !== undefined && hasAnswer(a) && matches(a, condition.value);
    }
    case "oneOf": {
      const a = target(condition.question);
      return a !== undefined && hasAnswer(a) && condition.values.some((v) => matches(a, v));
    }
    case "answered":
      return hasAnswer(target(condition.question));
    case "not":
      return !evaluate(condition.condition, answers, self);
    case "all":
      return condition.conditions.every((c) => evaluate(c, answers, self));
    case "any":
      return condition.conditions.some((c) => evaluate(c, answers, self));
  }
}

/**
 * Visibility of every question, in definition order. A hidden question's answer is dropped before
 * later conditions look at it, so a stale answer (given before an earlier answer changed) can
 * never open a branch. Conditions may only refer to earlier questions (validateDefinition enforces
 * this); a forward reference therefore sees the question as unanswered.
 */
export function visibility(def: SurveyDefinition, answers: Answers): Map<string, boolean> {
  const seen = new Map<string, boolean>();
  const effective: Answers = {};
  const sectionShown = sectionJudge(def);
  for (const q of def.questions) {
    const visible = sectionShown(q, effective) && (q.showIf ? evaluate(q.showIf, effective) : true);
    seen.set(q.id, visible);
    if (visible && hasOwn(answers, q.id)) effective[q.id] = answers[q.id];
  }
  return seen;
}

/**
 * Whether a question's section shows. A section's condition is judged once, when its first
 * question is reached (it may only refer to questions before that), so all its questions agree.
 */
function sectionJudge(def: SurveyDefinition): (q: Question, effective: Answers) => boolean {
  if (!def.sections?.length) return () => true;
  const byId = new Map(def.sections.map((s) => [s.id, s]));
  const verdict = new Map<string, boolean>();
  return (q, effective) => {
    const section = q.section === undefined ? undefined : byId.get(q.section);
    if (!section?.showIf) return true;
    let shown = verdict.get(section.id);
    if (shown === undefined) verdict.set(section.id, (shown = evaluate(section.showIf, effective)));
    return shown;
  };
}

export function isVisible(def: SurveyDefinition, questionId: string, answers: Answers): boolean {
  return visibility(def, answers).get(questionId) ?? false;
}

export function visibleQuestions(def: SurveyDefinition, answers: Answers): Question[] {
  const seen = visibility(def, answers);
  return def.questions.filter((q) => seen.get(q.id));
}

/** The answers minus those to hidden (or unknown) questions: what the tablet should submit. */
export function dropHiddenAnswers(def: SurveyDefinition, answers: Answers): Answers {
  const seen = visibility(def, answers);
  const kept: Answers = {};
  for (const [id, value] of Object.entries(answers)) if (seen.get(id)) kept[id] = value;
  return kept;
}

/** Question ids a condition refers to, for validation and comparability checks. */
export function conditionQuestions(condition: Condition): string[] {
  switch (condition.op) {
    case "not":
      return conditionQuestions(condition.condition);
    case "all":
    case "any":
      return condition.conditions.flatMap(conditionQuestions);
    default:
      return [condition.question];
  }
}

/**
 * Whether a question's answer meets its constraint, given the answers that are visible. An
 * unanswered question meets it (requiredness is a separate rule), as in XLSForm.
 */
export function meetsConstraint(q: Question, answers: Answers): boolean {
  if (!q.constraint || !hasAnswer(answerOf(answers, q.id))) return true;
  return evaluate(q.constraint.check, answers, q.id);
}
