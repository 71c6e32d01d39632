// Indicator reference sheets: what an indicator is and how it is computed, in words a donor's
// reviewer can check (definition, numerator, denominator, wording in every language, splits,
// source, frequency, baseline, targets, method). Pure: built from the definition and the tracking row.
import type { Indicator, SurveyDefinition } from "~/survey";
import type { DimensionInfo } from "./context.server";
import { STATUS_RULES } from "./tracking";
import type { TrackingRow, TrackingTable } from "./tracking.server";
import { formatValue, formatUnit } from "./view";

export interface ReferenceSheet {
  indicatorId: string;
  title: string;
  entries: { label: string; value: string }[];
}

const optionText = (def: SurveyDefinition, questionId: string, code: string, lang: string) => {
  const o = def.questions.find((q) => q.id === questionId)?.options?.find((x) => x.code === code);
  return o ? `${code} “${o.label[lang] ?? Object.values(o.label)[0] ?? ""}”` : code;
};

export const METHOD_NOTES = [
  "Shares: the percentage of respondents in the denominator, with a 95% Wilson score interval. Means of answer codes: a Student t interval; they treat the steps of an ordered scale as equal.",
  "Clustered samples (the programme's sampling setting; by default when responses come from more than one community): the variance is cluster-robust, with communities as clusters; the interval uses the effective n (n ÷ design effect) and t on clusters − 1, and a figure for one community alone has no honest interval.",
  "Change since baseline: Newcombe's interval for the difference of two independent shares (Welch's t interval for means); “clear improvement” or “clear decline” only when the whole interval lies on one side of zero, else “no clear change”. Rounds are independent samples.",
  `Status: ${Object.entries(STATUS_RULES).map(([k, v]) => `“${k}” — ${v}`).join("; ")}.`,
  "Variance to target: the latest shown value minus the last target. Distance achieved: (latest − baseline) ÷ (target − baseline).",
];

export function referenceSheet(def: SurveyDefinition, indicator: Indicator, row: TrackingRow, table: TrackingTable, dimensions: DimensionInfo[]): ReferenceSheet {
  const lang = def.defaultLanguage;
  const q = def.questions.find((x) => x.id === indicator.question);
  const wording = (t: Record<string, string> | undefined, l: string) => t?.[l] ?? "";
  const k = indicator.kind;
  const fmt = (v: number | null) => (v === null ? "" : `${formatValue(k, v)}${formatUnit(k)}`);
  const excluded = k === "share" ? (indicator.denominator === "all" ? [] : indicator.denominator.exclude) : indicator.exclude;
  const question = `“${wording(q?.label, lang)}” (${indicator.question})`;
  const entries: { label: string; value: string }[] = [
    { label: "Indicator", value: wording(indicator.label, lang) },
    { label: "Identifier", value: indicator.id },
    ...(indicator.reference ? [{ label: "Framework reference", value: indicator.reference }] : []),
    {
      label: "Definition",
      value:
        k === "share"
          ? `Percentage of respondents who answered ${indicator.codes.map((c) => optionText(def, indicator.question, c, lang)).join(" or ")} to ${question}.`
          : `Mean of the answer codes given to ${question}.`,
    },
    {
      label: "Numerator",
      value: k === "share" ? `Respondents answering ${indicator.codes.map((c) => optionText(def, indicator.question, c, lang)).join(", ")}` : "Sum of the answer codes",
    },
    {
      label: "Denominator",
      value: `Respondents who were asked the question and answered it${excluded.length ? `, except those answering ${excluded.map((c) => optionText(def, indicator.question, c, lang)).join(", ")} (counted and reported beside the figure)` : ""}. Respondents for whom skip logic hid the question, or who left it blank, are outside it.`,
    },
    { label: "Better when", value: indicator.direction === "higher_is_better" ? "higher" : "lower" },
  ];
  for (const l of def.languages) {
    entries.push({ label: `Question wording (${l.name})`, value: wording(q?.label, l.code) });
    if (q?.options?.length) entries.push({ label: `Answers (${l.name})`, value: q.options.map((o) => `${o.code} ${wording(o.label, l.code)}`).join("; ") });
  }
  const baselineRound = table.rounds.find((r) => r.id === row.baselineRoundId);
  const targets = table.rounds.filter((r) => row.cells.find((c) => c.roundId === r.id)?.target != null);
  entries.push(
    { label: "Disaggregations", value: `${dimensions.map((d) => d.label).join(", ")} (one at a time, by round)` },
    { label: "Data source", value: table.source },
    { label: "Collection frequency", value: table.frequency },
    {
      label: "Baseline",
      value: baselineRound
        ? `${baselineRound.label}: ${row.baseline ? (row.baseline.suppressed ? "suppressed" : `${fmt(row.baseline.value)} (n=${row.baseline.n})`) : "not measured yet"}`
        : "No baseline round",
    },
    {
      label: "Targets",
      value:
        targets.length || row.dateTargets.length
          ? [...targets.map((r) => `${r.label}: ${fmt(row.cells.find((c) => c.roundId === r.id)!.target)}`), ...row.dateTargets.map((d) => `by ${d.on}: ${fmt(d.value)}`)].join("; ")
          : "None set",
    },
    ...(row.linked ? [{ label: "Linked indicator", value: `Continues as one series with "${row.linked.indicatorId}" of ${row.linked.title}; each round's figure comes from the one survey that collected in it (the viewed survey when both did).` }] : []),
    ...METHOD_NOTES.map((value, i) => ({ label: i === 0 ? "Method" : "", value })),
    { label: "Disclosure control", value: table.suppressionNote },
  );
  if (table.indicative) entries.push({ label: "", value: "Some figures include focus-group responses: not probability samples, so their intervals are indicative only." });
  return { indicatorId: indicator.id, title: wording(indicator.label, lang), entries };
}
