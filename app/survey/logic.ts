// Skip logic: which questions a respondent sees, given the answers so far.
import type { AnswerValue, Answers, Condition, Question, SurveyDefinition } from "./definition";

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

/** Evaluates a condition against answers that already exclude hidden questions. */
export function evaluate(condition: Condition, answers: Answers): boolean {
  switch (condition.op) {
    case "equals": {
      const a = answerOf(answers, condition.question);
      return a !== undefined && hasAnswer(a) && matches(a, condition.value);
    }
    case "oneOf": {
      const a = answerOf(answers, condition.question);
      return a !== undefined && hasAnswer(a) && condition.values.some((v) => matches(a, v));
    }
    case "answered":
      return hasAnswer(answerOf(answers, condition.question));
    case "not":
      return !evaluate(condition.condition, answers);
    case "all":
      return condition.conditions.every((c) => evaluate(c, answers));
    case "any":
      return condition.conditions.some((c) => evaluate(c, answers));
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
  for (const q of def.questions) {
    const visible = q.showIf ? evaluate(q.showIf, effective) : true;
    seen.set(q.id, visible);
    if (visible && hasOwn(answers, q.id)) effective[q.id] = answers[q.id];
  }
  return seen;
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
