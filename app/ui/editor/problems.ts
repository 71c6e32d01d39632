// The survey core's faults in the staff language: the message made from the fault's code (never
// from its English text), and where it is, in words ("Question 4 (safe_day) › Option 2 › Français").
import type { Translate } from "~/i18n/core";
import type { EditorWords, SurveyErrorWords } from "~/i18n/staff/editor";
import type { SurveyDefinition, ValidationError } from "~/survey";

/** The language a path ends in ("questions.2.label.fr" → "fr"), when it is one of the survey's. */
export function pathLanguage(def: Pick<SurveyDefinition, "languages">, path: string): string | undefined {
  const last = path.split(".").at(-1) ?? "";
  return def.languages.some((l) => l.code === last) ? last : undefined;
}

/** A fault (or a comparability warning, code "cmp_…") in the staff language, from its code and params. */
export function faultMessage(e: Pick<ValidationError, "path"> & { code: string; params?: Record<string, string | number> }, def: Pick<SurveyDefinition, "languages">, words: Translate<SurveyErrorWords>): string {
  const lang = pathLanguage(def, e.path);
  const language = def.languages.find((l) => l.code === lang)?.name ?? lang ?? "";
  const values = { ...e.params, language };
  // One code can cover several faults, told apart by a reason ("bad_condition" + "needs_number").
  const reasonKey = e.params?.reason ? `${e.code}_${e.params.reason}` : null;
  const specific = reasonKey ? words(reasonKey as keyof SurveyErrorWords, values) : null;
  return specific && specific !== reasonKey ? specific : words(e.code as keyof SurveyErrorWords, values);
}

const SECTION_KEYS: Record<string, keyof EditorWords> = {
  title: "whereTitle",
  description: "whereDescription",
  consent: "whereConsent",
  languages: "whereLanguages",
  defaultLanguage: "whereDefaultLanguage",
  label: "whereLabel",
  help: "whereHelp",
  showIf: "whereShowIf",
  constraint: "whereConstraint",
  message: "whereMessage",
  id: "whereId",
  code: "whereCode",
  min: "whereMin",
  max: "whereMax",
  maxPicks: "whereMaxPicks",
  disaggregation: "whereDisaggregation",
  codes: "whereCodes",
  target: "whereTarget",
  template: "whereTemplate",
};

/** Where a fault is, in words, from its path and the definition (question ids, language names). */
export function faultPlace(path: string, def: SurveyDefinition, t: Translate<EditorWords>): string {
  if (!path) return t("whereSurvey");
  const parts = path.split(".");
  const out: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    const n = Number(parts[i + 1]);
    if ((p === "questions" || p === "indicators" || p === "options" || p === "conditions") && Number.isInteger(n)) {
      if (p === "questions") out.push(t("whereQuestion", { n: n + 1, id: def.questions[n]?.id ?? "" }));
      else if (p === "indicators") out.push(t("whereIndicator", { n: n + 1, id: def.indicators[n]?.id ?? "" }));
      else if (p === "options") out.push(t("whereOption", { n: n + 1 }));
      else out.push(t("wherePart", { n: n + 1 }));
      i++;
      continue;
    }
    const lang = def.languages.find((l) => l.code === p);
    if (lang && i === parts.length - 1) out.push(lang.name);
    else if (SECTION_KEYS[p]) out.push(t(SECTION_KEYS[p]));
  }
  return out.join(" › ") || path;
}

export interface LanguageGap {
  code: string;
  name: string;
  count: number;
  /** The first few missing texts, with the path to link to. */
  first: { path: string }[];
}

/** Missing texts per language (the default language first), for the publish warning. */
export function gapsByLanguage(errors: ValidationError[], def: SurveyDefinition, shown = 5): LanguageGap[] {
  const gaps: LanguageGap[] = [];
  for (const l of def.languages) {
    const missing = errors.filter((e) => e.code === "missing_translation" && pathLanguage(def, e.path) === l.code);
    if (missing.length) gaps.push({ code: l.code, name: l.name, count: missing.length, first: missing.slice(0, shown).map((e) => ({ path: e.path })) });
  }
  return gaps.sort((a, b) => Number(b.code === def.defaultLanguage) - Number(a.code === def.defaultLanguage));
}
