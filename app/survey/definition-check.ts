// Accepts or refuses survey definitions (zod shape, then references, translations and indicators),
// with a path and plain message per fault. Kept apart from validate.ts so answers can be checked without zod.
import type { z } from "zod";
import {
  SurveyDefinitionSchema,
  isChoice,
  type Condition,
  type LocalizedText,
  type Question,
  type SurveyDefinition,
} from "./definition";
import { definitionFault, type DefinitionErrorCode, type ErrorParams, type ValidationError } from "./errors";
import { FIXED_COLUMNS, answerColumns, rankingPositions } from "./columns";
import { SELF } from "./logic";

export type DefinitionResult = { ok: true; definition: SurveyDefinition } | { ok: false; errors: ValidationError[] };

/** The value at a zod issue's path in what was given (undefined when absent). */
function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let at: unknown = input;
  for (const key of path) at = at !== null && typeof at === "object" ? (at as Record<PropertyKey, unknown>)[key] : undefined;
  return at;
}

function zodErrors(error: z.ZodError, input: unknown): ValidationError[] {
  return error.issues.map((issue) => {
    const path = issue.path.map(String).join(".");
    // zod's wording for a missing field ("expected string, received undefined") puzzles authors.
    if (issue.code === "invalid_type" && valueAt(input, issue.path) === undefined) return definitionFault("missing", path, "This is required.");
    return definitionFault("invalid", path, issue.message, { zod: issue.code });
  });
}

export function validateDefinition(input: unknown): DefinitionResult {
  const parsed = SurveyDefinitionSchema.safeParse(input);
  if (!parsed.success) return { ok: false, errors: zodErrors(parsed.error, input) };
  const errors = definitionErrors(parsed.data);
  return errors.length ? { ok: false, errors } : { ok: true, definition: parsed.data };
}

/** The semantic checks zod cannot express: references, uniqueness, translations, indicator codes. */
export function definitionErrors(def: SurveyDefinition): ValidationError[] {
  const errors: ValidationError[] = [];
  const add: Add = (path, code, message, params) => errors.push(definitionFault(code, path, message, params));

  const langs = def.languages.map((l) => l.code);
  const langName = new Map(def.languages.map((l) => [l.code, l.name]));
  def.languages.forEach((l, i) => {
    if (langs.indexOf(l.code) !== i) add(`languages.${i}.code`, "duplicate_language", `The language "${l.code}" is declared twice.`);
  });
  if (!langs.includes(def.defaultLanguage)) {
    add("defaultLanguage", "unknown_default_language", `The default language "${def.defaultLanguage}" is not among the survey's languages (${langs.join(", ")}).`);
  }

  // Every respondent-facing text must exist in every declared language: a tablet must never fall
  // back to a language the respondent may not read.
  const text = (value: LocalizedText | undefined, path: string, what: string) => {
    if (!value) return;
    for (const lang of langs) {
      if (!value[lang]?.trim()) add(`${path}.${lang}`, "missing_translation", `${what} has no ${langName.get(lang)} (${lang}) text.`);
    }
  };
  if (def.template) {
    text(def.template.name, "template.name", "The template name");
    text(def.template.summary, "template.summary", "The template summary");
  }
  text(def.title, "title", "The title");
  text(def.description, "description", "The description");
  text(def.consent, "consent", "The consent text");

  const index = new Map<string, number>();
  const disaggregations = new Map<string, string>();
  def.questions.forEach((q, i) => {
    const at = `questions.${i}`;
    const name = `Question "${q.id}"`;
    if (index.has(q.id)) add(`${at}.id`, "duplicate_question_id", `The question id "${q.id}" is already used by question ${index.get(q.id)! + 1}.`);
    else index.set(q.id, i);

    text(q.label, `${at}.label`, `${name}'s label`);
    text(q.help, `${at}.help`, `${name}'s help text`);
    questionShapeErrors(q, at, add);
    (q.options ?? []).forEach((o, j) => text(o.label, `${at}.options.${j}.label`, `Option "${o.code}" of ${name.toLowerCase()}`));

    if (q.disaggregation !== undefined) {
      const key = typeof q.disaggregation === "string" ? q.disaggregation : `custom:${q.disaggregation.custom}`;
      if (!isChoice(q) || q.type === "multiple" || q.type === "ranking") {
        add(`${at}.disaggregation`, "bad_disaggregation", "Only a single-answer choice question can split results into groups.");
      } else if (disaggregations.has(key)) {
        add(`${at}.disaggregation`, "duplicate_disaggregation", `Results are already split by this dimension with question "${disaggregations.get(key)}".`);
      } else disaggregations.set(key, q.id);
    }

    if (q.showIf) conditionErrors(def, q.showIf, i, `${at}.showIf`, add, () => undefined);
    if (q.constraint) {
      conditionErrors(def, q.constraint.check, i, `${at}.constraint.check`, add, () => undefined, true);
      text(q.constraint.message, `${at}.constraint.message`, `${name}'s constraint message`);
    }
  });

  sectionErrors(def, add, text);
  columnErrors(def, add);
  indicatorErrors(def, add);
  return errors;
}

/**
 * Sections: unique ids apart from the questions' (an XLSForm group and a question share one
 * namespace), every question's section declared, labels in every language, and a condition that
 * looks only before the section's first question (it is judged there, for all its questions).
 */
function sectionErrors(def: SurveyDefinition, add: Add, text: (value: LocalizedText | undefined, path: string, what: string) => void, warn?: Add) {
  const sections = def.sections ?? [];
  const ids = new Map<string, number>();
  const questionIds = new Set(def.questions.map((q) => q.id));
  sections.forEach((s, k) => {
    const at = `sections.${k}`;
    if (!warn) {
      if (ids.has(s.id)) add(`${at}.id`, "duplicate_section_id", `The section id "${s.id}" is already used by section ${ids.get(s.id)! + 1}.`, { id: s.id });
      else if (questionIds.has(s.id)) add(`${at}.id`, "section_id_taken", `The section id "${s.id}" is also a question's id: an XLSForm group and a question cannot share a name.`, { id: s.id });
      text(s.label, `${at}.label`, `Section "${s.id}"'s heading`);
    }
    ids.set(s.id, k);
    const first = def.questions.findIndex((q) => q.section === s.id);
    // Codes not in the list are warnings (definitionWarnings), never errors.
    if (s.showIf && first >= 0) conditionErrors(def, s.showIf, first, `${at}.showIf`, add, warn ?? (() => undefined));
  });
  if (warn) return;
  def.questions.forEach((q, i) => {
    if (q.section !== undefined && !ids.has(q.section)) add(`questions.${i}.section`, "unknown_section", `Question "${q.id}" is in the section "${q.section}", which the survey does not declare.`, { section: q.section });
  });
}

/**
 * Every answer column name is unique (survey/columns.ts): a question id may not be a fixed
 * column's name, nor another question's option or position column. `q` with an option `other`
 * beside a text question `q_other` is fine (the option's column is `q/other`).
 */
function columnErrors(def: SurveyDefinition, add: Add) {
  const owner = new Map<string, number>();
  def.questions.forEach((q, i) => {
    for (const column of answerColumns(q, rankingPositions(q))) if (!owner.has(column)) owner.set(column, i);
  });
  def.questions.forEach((q, i) => {
    if ((FIXED_COLUMNS as readonly string[]).includes(q.id)) {
      add(`questions.${i}.id`, "reserved_id", `"${q.id}" is the name of a fixed export column (${FIXED_COLUMNS.join(", ")}): choose another question id.`, { id: q.id });
      return;
    }
    for (const column of answerColumns(q, rankingPositions(q))) {
      const other = owner.get(column);
      if (other !== undefined && other !== i && def.questions[other].id !== q.id)
        add(`questions.${i}.id`, "column_taken", `The question id "${q.id}" would take the export column "${column}" of question "${def.questions[other].id}" (question ${other + 1}): choose another id.`, { id: q.id, column, question: def.questions[other].id });
    }
  });
}

const isNumber = (v: string | number) => (typeof v === "number" ? Number.isFinite(v) : v.trim() !== "" && Number.isFinite(Number(v)));

type Add = (path: string, code: DefinitionErrorCode, message: string, params?: ErrorParams) => void;

function questionShapeErrors(q: Question, at: string, add: Add) {
  const choice = isChoice(q);
  if (choice && (q.options?.length ?? 0) < 2) add(`${at}.options`, "too_few_options", `A ${q.type} question needs at least two options.`);
  if (!choice && q.options) add(`${at}.options`, "options_not_allowed", `A ${q.type} question has no options; remove them.`);
  const seen = new Map<string, number>();
  (q.options ?? []).forEach((o, j) => {
    if (seen.has(o.code)) add(`${at}.options.${j}.code`, "duplicate_option", `The option code "${o.code}" is already used by option ${seen.get(o.code)! + 1} of this question.`);
    else seen.set(o.code, j);
    if ((q.type === "multiple" || q.type === "ranking") && /\s/.test(o.code))
      add(`${at}.options.${j}.code`, "code_has_space", `The option code "${o.code}" holds a space: a ${q.type} answer lists its codes separated by spaces.`);
  });
  if (q.scale && q.type !== "scale" && q.type !== "single") add(`${at}.scale`, "scale_not_allowed", "Only scale and single-choice questions can use a scale preset.");
  if (q.type !== "number") {
    for (const key of ["min", "max", "integer"] as const) {
      if (q[key] !== undefined) add(`${at}.${key}`, "number_setting_not_allowed", `"${key}" only applies to number questions.`);
    }
  } else if (q.min !== undefined && q.max !== undefined && q.min > q.max) {
    add(`${at}.max`, "max_below_min", `The maximum (${q.max}) is below the minimum (${q.min}).`);
  }
  if (q.type === "ranking") {
    if (q.maxPicks !== undefined && q.maxPicks < 1) add(`${at}.maxPicks`, "bad_max_picks", "A ranking must let respondents pick at least one option.");
    else if (q.maxPicks !== undefined && q.options && q.maxPicks > q.options.length) {
      add(`${at}.maxPicks`, "bad_max_picks", `maxPicks (${q.maxPicks}) is more than the ${q.options.length} options offered.`);
    }
  } else if (q.maxPicks !== undefined) add(`${at}.maxPicks`, "bad_max_picks", "maxPicks only applies to ranking questions.");
  if (q.type === "info" && q.required) add(`${at}.required`, "info_required", "An info screen takes no answer, so it cannot be required.");
}

/**
 * Checks one condition. `ownIndex` is the question it belongs to; in a constraint (`self`), "."
 * and the question's own id mean its answer. Codes not in the list are only warned about
 * (`warn`): KoboToolbox accepts such forms, and their data must still import.
 */
function conditionErrors(def: SurveyDefinition, c: Condition, ownIndex: number, path: string, add: Add, warn?: Add, self = false) {
  if (c.op === "not") return conditionErrors(def, c.condition, ownIndex, `${path}.condition`, add, warn, self);
  if (c.op === "all" || c.op === "any") {
    c.conditions.forEach((sub, k) => conditionErrors(def, sub, ownIndex, `${path}.conditions.${k}`, add, warn, self));
    return;
  }
  const own = self && (c.question === SELF || c.question === def.questions[ownIndex]?.id);
  const target = own ? ownIndex : def.questions.findIndex((q) => q.id === c.question);
  if (target < 0) {
    if (c.question === SELF) return add(`${path}.question`, "unknown_condition_question", 'Only a constraint can refer to the question itself (".").');
    return add(`${path}.question`, "unknown_condition_question", `The condition refers to an unknown question "${c.question}".`, { question: c.question });
  }
  // Looking back only: the respondent must have seen the question before the condition is judged.
  if (!own && target >= ownIndex) {
    return add(`${path}.question`, "condition_looks_ahead", `The condition refers to question "${c.question}", which does not come before this one.`);
  }
  const ref = def.questions[target];
  if (ref.type === "info") return add(`${path}.question`, "condition_on_info", `The condition refers to "${c.question}", an info screen with no answer.`);
  if (c.op === "countSelected") {
    if (ref.type !== "multiple" && ref.type !== "ranking") add(`${path}.question`, "bad_condition", `Counting selected options needs a multiple-choice or ranking question; "${ref.id}" is a ${ref.type} question.`, { reason: "count_needs_multi" });
    return;
  }
  if (c.op === "compare") {
    if (ref.type === "multiple" || ref.type === "ranking") add(`${path}.question`, "bad_condition", `"${ref.id}" holds several options: compare how many are selected, or whether one is.`, { reason: "compare_multi" });
    // "at least", "less than"… and any comparison with a number answer need a number to compare with.
    else if ((ref.type === "number" || !["=", "!="].includes(c.cmp)) && !isNumber(c.value))
      add(`${path}.value`, "bad_condition", `Compare "${ref.id}" with a number, not "${c.value}".`, { reason: "needs_number" });
    return;
  }
  if (!isChoice(ref) || c.op === "answered") return;
  const codes = new Set((ref.options ?? []).map((o) => o.code));
  const check = (v: string | number, p: string) => {
    if (!codes.has(String(v))) (warn ?? add)(p, "unknown_code", `"${v}" is not an option code of question "${ref.id}", so this part never holds.`);
  };
  if (c.op === "equals") check(c.value, `${path}.value`);
  else c.values.forEach((v, k) => check(v, `${path}.values.${k}`));
}

/** What is accepted but worth the author's attention: conditions naming codes that no option has. */
export function definitionWarnings(def: SurveyDefinition): ValidationError[] {
  const warnings: ValidationError[] = [];
  const ignore: Add = () => undefined;
  const warn: Add = (path, code, message, params) => warnings.push(definitionFault(code, path, message, params));
  def.questions.forEach((q, i) => {
    if (q.showIf) conditionErrors(def, q.showIf, i, `questions.${i}.showIf`, ignore, warn);
    if (q.constraint) conditionErrors(def, q.constraint.check, i, `questions.${i}.constraint.check`, ignore, warn, true);
  });
  sectionErrors(def, ignore, () => undefined, warn);
  return warnings;
}

function indicatorErrors(def: SurveyDefinition, add: Add) {
  const langs = def.languages.map((l) => l.code);
  const ids = new Set<string>();
  def.indicators.forEach((ind, k) => {
    const at = `indicators.${k}`;
    if (ids.has(ind.id)) add(`${at}.id`, "duplicate_indicator_id", `The indicator id "${ind.id}" is already used.`);
    ids.add(ind.id);
    for (const lang of langs) {
      if (!ind.label[lang]?.trim()) add(`${at}.label.${lang}`, "missing_translation", `Indicator "${ind.id}"'s label has no ${lang} text.`);
    }

    const q = def.questions.find((x) => x.id === ind.question);
    if (!q) return add(`${at}.question`, "unknown_condition_question", `The indicator refers to an unknown question "${ind.question}".`);
    if (!isChoice(q)) {
      return add(`${at}.question`, "bad_indicator_question", `An indicator needs a choice or scale question; "${q.id}" is a ${q.type} question.`);
    }
    const codes = new Set((q.options ?? []).map((o) => o.code));
    const known = (list: string[], path: string) =>
      list.forEach((c, m) => {
        if (!codes.has(c)) add(`${path}.${m}`, "unknown_code", `"${c}" is not an option code of question "${q.id}".`);
      });

    if (ind.kind === "share") {
      known(ind.codes, `${at}.codes`);
      if (ind.denominator !== "all") {
        known(ind.denominator.exclude, `${at}.denominator.exclude`);
        const both = ind.codes.filter((c) => (ind.denominator as { exclude: string[] }).exclude.includes(c));
        if (both.length) add(`${at}.denominator.exclude`, "code_counted_and_excluded", `Code(s) ${both.join(", ")} cannot be both counted and excluded.`);
      }
      if (ind.target !== undefined && (ind.target < 0 || ind.target > 1)) {
        add(`${at}.target`, "bad_share_target", "A share's target is a fraction between 0 and 1 (0.6 for 60%).");
      }
    } else {
      known(ind.exclude, `${at}.exclude`);
      if (q.type === "multiple" || q.type === "ranking") {
        add(`${at}.kind`, "mean_needs_single_answer", `A mean needs one answer per respondent; "${q.id}" is a ${q.type} question. Use a share.`);
      }
      // The mean is taken over the codes themselves, so every code left in must be a number.
      for (const o of q.options ?? []) {
        if (!ind.exclude.includes(o.code) && !Number.isFinite(Number(o.code))) {
          add(`${at}.exclude`, "mean_code_not_number", `Option code "${o.code}" is not a number: exclude it or use a share indicator.`);
        }
      }
    }
  });
}

/**
 * Whether every fault is a missing translation into a language other than the default: a survey
 * may then be published when the facilitator confirms, and respondents see the default text, marked.
 */
export function onlyTranslationGaps(errors: ValidationError[], defaultLanguage: string): boolean {
  return errors.length > 0 && errors.every((e) => e.code === "missing_translation" && !e.path.endsWith(`.${defaultLanguage}`));
}
