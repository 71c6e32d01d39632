// Warns an author when editing a survey between rounds would break an indicator's trend line.
import type { Indicator, Question, SurveyDefinition } from "./definition";

/** What changed, for messages in any language (the editor words them from the code). */
export type ComparabilityCode =
  | "indicator_removed"
  | "kind_changed"
  | "question_changed"
  | "codes_changed"
  | "denominator_changed"
  | "mean_exclude_changed"
  | "question_gone"
  | "type_changed"
  | "wording_changed"
  | "skip_logic_changed"
  | "section_logic_changed"
  | "option_removed"
  | "option_meaning_changed"
  | "option_added"
  | "indicator_missing";

export interface ComparabilityWarning {
  indicatorId: string;
  code: ComparabilityCode;
  /** Where the change is, in the next definition (or in the previous one when it was removed). */
  path: string;
  params: Record<string, string>;
  message: string;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const sorted = (xs: string[]) => [...xs].sort();

/** Codes whose meaning the indicator depends on: counted and excluded codes, or every code of a mean. */
function usedCodes(ind: Indicator, q: Question): string[] {
  if (ind.kind === "mean") return (q.options ?? []).map((o) => o.code);
  return [...ind.codes, ...(ind.denominator === "all" ? [] : ind.denominator.exclude)];
}

export function comparabilityWarnings(previous: SurveyDefinition, next: SurveyDefinition): ComparabilityWarning[] {
  const warnings: ComparabilityWarning[] = [];
  // Meaning is judged in the language the survey was designed in: translations may be polished freely.
  const lang = previous.defaultLanguage;

  previous.indicators.forEach((before, k) => {
    const warn = (path: string, message: string, code: ComparabilityCode, params: Record<string, string> = {}) =>
      warnings.push({ indicatorId: before.id, code, path, params, message });
    const nk = next.indicators.findIndex((i) => i.id === before.id);
    if (nk < 0) return warn(`indicators.${k}`, `The indicator "${before.id}" was removed; its trend stops at the previous round.`, "indicator_removed");
    const after = next.indicators[nk];
    const at = `indicators.${nk}`;

    if (after.kind !== before.kind) warn(`${at}.kind`, `The indicator changed from a ${before.kind} to a ${after.kind}.`, "kind_changed");
    if (after.question !== before.question) {
      warn(`${at}.question`, `The indicator now uses question "${after.question}" instead of "${before.question}".`, "question_changed", { before: before.question, after: after.question });
    }
    if (before.kind === "share" && after.kind === "share") {
      if (!same(sorted(before.codes), sorted(after.codes))) {
        warn(`${at}.codes`, `The codes counted changed from ${before.codes.join(", ")} to ${after.codes.join(", ")}.`, "codes_changed", { before: before.codes.join(", "), after: after.codes.join(", ") });
      }
      const d = (x: typeof before.denominator) => (x === "all" ? "all" : sorted(x.exclude));
      if (!same(d(before.denominator), d(after.denominator))) warn(`${at}.denominator`, "Who counts in the denominator changed.", "denominator_changed");
    }
    if (before.kind === "mean" && after.kind === "mean" && !same(sorted(before.exclude), sorted(after.exclude))) {
      warn(`${at}.exclude`, "The codes left out of the mean changed.", "mean_exclude_changed");
    }

    const pq = previous.questions.find((q) => q.id === before.question);
    const nj = next.questions.findIndex((q) => q.id === after.question);
    if (!pq) return;
    if (nj < 0) {
      // Either removed or renamed: an id is what joins rounds, so both break the trend.
      return warn(`${at}.question`, `Question "${after.question}" is no longer in the survey (removed, or its id changed).`, "question_gone", { question: after.question });
    }
    const nq = next.questions[nj];
    const qat = `questions.${nj}`;
    if (nq.type !== pq.type) warn(`${qat}.type`, `The question type changed from ${pq.type} to ${nq.type}.`, "type_changed", { question: nq.id });
    if ((nq.label[lang] ?? "") !== (pq.label[lang] ?? "")) {
      warn(`${qat}.label.${lang}`, "The question's wording changed; answers may no longer be comparable with earlier rounds.", "wording_changed", { question: nq.id });
    }
    if (!same(pq.showIf, nq.showIf)) warn(`${qat}.showIf`, "The skip logic changed, so a different group of people is asked.", "skip_logic_changed", { question: nq.id });
    // A section's condition asks or skips the question as much as its own does.
    const sectionIf = (def: SurveyDefinition, q: Question) => (q.section === undefined ? undefined : def.sections?.find((x) => x.id === q.section)?.showIf);
    if (!same(sectionIf(previous, pq), sectionIf(next, nq)))
      warn(`${qat}.section`, "The condition of the question's section changed, so a different group of people is asked.", "section_logic_changed", { question: nq.id });

    const nextOptions = nq.options ?? [];
    for (const code of usedCodes(before, pq)) {
      const po = pq.options?.find((o) => o.code === code);
      const m = nextOptions.findIndex((o) => o.code === code);
      if (m < 0) warn(`${qat}.options`, `Option code "${code}", used by this indicator, was removed.`, "option_removed", { code });
      else if (po && (nextOptions[m].label[lang] ?? "") !== (po.label[lang] ?? "")) {
        warn(`${qat}.options.${m}.label.${lang}`, `The meaning of option "${code}" changed ("${po.label[lang]}" → "${nextOptions[m].label[lang]}").`, "option_meaning_changed", {
          code,
          before: po.label[lang] ?? "",
          after: nextOptions[m].label[lang] ?? "",
        });
      }
    }
    // A new option takes respondents from the others and (unless excluded) joins the denominator.
    const oldCodes = new Set((pq.options ?? []).map((o) => o.code));
    nextOptions.forEach((o, m) => {
      if (!oldCodes.has(o.code)) warn(`${qat}.options.${m}`, `Option "${o.code}" was added; respondents choosing it change the indicator's base.`, "option_added", { code: o.code });
    });
  });
  return warnings;
}

/**
 * Whether an indicator of one survey continues an indicator of another (a redesigned endline survey
 * after a baseline survey): the same check as between versions, with the later survey's indicator
 * and question read under the earlier one's ids (ids may differ between surveys; meaning may not).
 * Paths point into the later definition.
 */
export function linkWarnings(earlier: SurveyDefinition, earlierIndicatorId: string, later: SurveyDefinition, laterIndicatorId: string): ComparabilityWarning[] {
  const before = earlier.indicators.find((i) => i.id === earlierIndicatorId);
  const after = later.indicators.find((i) => i.id === laterIndicatorId);
  if (!before) return [{ indicatorId: earlierIndicatorId, code: "indicator_missing", path: "indicator", params: { indicator: earlierIndicatorId }, message: `The earlier survey has no indicator "${earlierIndicatorId}".` }];
  if (!after) return [{ indicatorId: laterIndicatorId, code: "indicator_missing", path: "indicator", params: { indicator: laterIndicatorId }, message: `The later survey has no indicator "${laterIndicatorId}".` }];
  const aside = (id: string) => `${id}\u0000other`;
  const renamed: SurveyDefinition = {
    ...later,
    questions: later.questions.map((q) =>
      q.id === after.question ? { ...q, id: before.question } : q.id === before.question ? { ...q, id: aside(q.id) } : q,
    ),
    indicators: later.indicators.map((i) =>
      i.id === after.id ? { ...i, id: before.id, question: before.question } : i.id === before.id ? { ...i, id: aside(i.id) } : i,
    ),
  };
  return comparabilityWarnings({ ...earlier, indicators: [before] }, renamed).map((w) => ({ ...w, indicatorId: laterIndicatorId }));
}
