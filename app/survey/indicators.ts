// Indicator scoring: one response's contribution, sums the server and dashboards aggregate, and
// turning a community's own statement into a tracked item.
import type { Answers, Indicator, LocalizedText, Question, ShareIndicator, SurveyDefinition } from "./definition";
import { answerOf, hasAnswer, hasOwn, visibility } from "./logic";
import { presetOptions } from "./scales";

export type Score =
  | { counted: true; value: number }
  | { counted: false; reason: "unknown_question" | "hidden" | "unanswered" | "excluded"; code?: string };

/** Codes a respondent gave to a choice question, as a list whatever the question type. */
function picked(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  return [String(value)];
}

/**
 * One response's part in an indicator. Not counted (outside the denominator) when the question was
 * hidden or unanswered, or every code given is excluded; otherwise 0/1 for a share and the numeric
 * code for a mean.
 */
export function scoreResponse(def: SurveyDefinition, indicator: Indicator, answers: Answers): Score {
  return scoreWith(indicator, answers, visibility(def, answers), def.questions.find((q) => q.id === indicator.question));
}

/** Scores every indicator of the definition for one response, evaluating skip logic once. */
export function scoreAll(def: SurveyDefinition, answers: Answers): Score[] {
  const seen = visibility(def, answers);
  return def.indicators.map((indicator) => scoreWith(indicator, answers, seen, def.questions.find((q) => q.id === indicator.question)));
}

function scoreWith(indicator: Indicator, answers: Answers, seen: Map<string, boolean>, q: Question | undefined): Score {
  if (!q) return { counted: false, reason: "unknown_question" };
  if (!seen.get(q.id)) return { counted: false, reason: "hidden" };
  const value = answerOf(answers, q.id);
  if (!hasAnswer(value)) return { counted: false, reason: "unanswered" };
  const codes = picked(value);

  if (indicator.kind === "share") {
    const exclude = indicator.denominator === "all" ? [] : indicator.denominator.exclude;
    // A multiple-choice answer is only left out when everything picked is excluded ("don't know").
    const kept = codes.filter((c) => !exclude.includes(c));
    if (kept.length === 0) return { counted: false, reason: "excluded", code: codes[0] };
    return { counted: true, value: kept.some((c) => indicator.codes.includes(c)) ? 1 : 0 };
  }

  // A mean needs one code per respondent; validateDefinition refuses means on multi-answer questions.
  if (codes.length !== 1) return { counted: false, reason: "excluded", code: codes.join(",") };
  const code = codes[0];
  const n = Number(code);
  if (indicator.exclude.includes(code) || code.trim() === "" || !Number.isFinite(n)) return { counted: false, reason: "excluded", code };
  return { counted: true, value: n };
}

export interface IndicatorSummary {
  /** Respondents in the denominator. */
  n: number;
  sum: number;
  sumSquares: number;
  /** Respondents left out of the denominator by an excluded code, by code (e.g. 5 and 99 for SDG 16.1.4). */
  excluded: Record<string, number>;
  /** Respondents for whom the question was hidden or unanswered. */
  missing: number;
}

// Option codes are author-chosen ("constructor" is legal), so count with own keys only.
function bump(counts: Record<string, number>, code: string, by: number) {
  counts[code] = (hasOwn(counts, code) ? counts[code] : 0) + by;
}

/** Additive sums (so rounds and groups can be merged by adding) for one indicator over many responses. */
export function summarise(def: SurveyDefinition, indicator: Indicator, answersList: Answers[]): IndicatorSummary {
  const q = def.questions.find((x) => x.id === indicator.question);
  const out: IndicatorSummary = { n: 0, sum: 0, sumSquares: 0, excluded: {}, missing: 0 };
  for (const answers of answersList) {
    const s = scoreWith(indicator, answers, visibility(def, answers), q);
    if (s.counted) {
      out.n += 1;
      out.sum += s.value;
      out.sumSquares += s.value * s.value;
    } else if (s.reason === "excluded") {
      bump(out.excluded, s.code ?? "", 1);
    } else out.missing += 1;
  }
  return out;
}

/** Adds summaries of the same indicator (groups, communities, tablets). */
export function mergeSummaries(parts: IndicatorSummary[]): IndicatorSummary {
  const out: IndicatorSummary = { n: 0, sum: 0, sumSquares: 0, excluded: {}, missing: 0 };
  for (const p of parts) {
    out.n += p.n;
    out.sum += p.sum;
    out.sumSquares += p.sumSquares;
    out.missing += p.missing;
    for (const [code, count] of Object.entries(p.excluded)) bump(out.excluded, code, count);
  }
  return out;
}

/** The share (0–1) or mean; null when nobody is in the denominator. */
export function estimate(summary: IndicatorSummary): number | null {
  return summary.n === 0 ? null : summary.sum / summary.n;
}

const AGREE_HELP: LocalizedText = {
  en: "How much do you agree with this statement?",
  fr: "Dans quelle mesure êtes-vous d'accord avec cette affirmation ?",
  ar: "إلى أي مدى توافق على هذه العبارة؟",
  so: "Intee in le ayaad ku raacsan tahay odhaahdan?",
  sw: "Unakubaliana kwa kiasi gani na kauli hii?",
};

const AGREE_PREFIX: LocalizedText = {
  en: "Agree: ",
  fr: "D'accord : ",
  ar: "موافقون: ",
  so: "Ku raacsan: ",
  sw: "Wanaokubali: ",
};

/**
 * Turns a statement a focus group wrote ("women can reach the water point without being
 * harassed") into an agreement5 question and a share indicator (agree + strongly agree, don't know
 * out of the denominator). A plain string is taken as the first language's text; the others are
 * left for the facilitator to translate, and validateDefinition says which are missing.
 */
export function statementToItem(args: {
  statement: string | LocalizedText;
  languages: string[];
  id: string;
  direction?: ShareIndicator["direction"];
}): { question: Question; indicator: ShareIndicator } {
  const { languages, id } = args;
  if (!/^[a-z][a-z0-9_]*$/.test(id)) throw new Error(`"${id}" is not a lower_snake_case id.`);
  if (languages.length === 0) throw new Error("Give at least one language.");
  const label: LocalizedText = typeof args.statement === "string" ? { [languages[0]]: args.statement.trim() } : { ...args.statement };

  const options = presetOptions("agreement5", languages);
  const question: Question = { id, type: "scale", scale: "agreement5", label, options, required: false };
  // Help only when it exists in every language: partial help would fail validation for no gain.
  if (languages.every((l) => AGREE_HELP[l])) question.help = Object.fromEntries(languages.map((l) => [l, AGREE_HELP[l]]));

  const indicatorLabel: LocalizedText = {};
  for (const [lang, text] of Object.entries(label)) indicatorLabel[lang] = (AGREE_PREFIX[lang] ?? "") + text;
  const hasDontKnow = options.some((o) => o.code === "99");
  const indicator: ShareIndicator = {
    id: `${id}_agree`,
    label: indicatorLabel,
    question: id,
    kind: "share",
    codes: ["4", "5"],
    denominator: hasDontKnow ? { exclude: ["99"] } : "all",
    direction: args.direction ?? "higher_is_better",
  };
  return { question, indicator };
}
