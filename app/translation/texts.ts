// A survey's translatable texts by stable key, and a translator's file filled back into them.
// Pure: the file is read and written by the route, the marks ("translated from this source") stored
// by models/translations.server.ts.
import type { LocalizedText, SurveyDefinition } from "~/survey";

export interface TranslatableText {
  /** "title", "consent", "q:<id>:label", "q:<id>:help", "q:<id>:option:<code>", "q:<id>:constraint", "sec:<id>:label", "ind:<id>:label". */
  key: string;
  /** Where a translator finds it: "Question safe_dark", "Option 1 of safe_dark". */
  what: string;
  text: LocalizedText;
}

/** Every text a respondent or a reader of results sees, in survey order. */
export function translatableTexts(def: SurveyDefinition): TranslatableText[] {
  const out: TranslatableText[] = [{ key: "title", what: "Survey title", text: def.title }];
  if (def.description && Object.values(def.description).some((t) => t.trim())) out.push({ key: "description", what: "Description", text: def.description });
  out.push({ key: "consent", what: "Consent text", text: def.consent });
  const headed = new Set<string>();
  for (const q of def.questions) {
    // A section's heading comes where the respondent first meets it.
    const section = q.section === undefined || headed.has(q.section) ? undefined : def.sections?.find((x) => x.id === q.section);
    if (section?.label) out.push({ key: `sec:${section.id}:label`, what: `Section heading ${section.id}`, text: section.label });
    if (q.section !== undefined) headed.add(q.section);
    out.push({ key: `q:${q.id}:label`, what: `Question ${q.id}`, text: q.label });
    if (q.help) out.push({ key: `q:${q.id}:help`, what: `Hint of ${q.id}`, text: q.help });
    for (const o of q.options ?? []) out.push({ key: `q:${q.id}:option:${o.code}`, what: `Option ${o.code} of ${q.id}`, text: o.label });
    if (q.constraint?.message) out.push({ key: `q:${q.id}:constraint`, what: `Constraint message of ${q.id}`, text: q.constraint.message });
  }
  for (const ind of def.indicators) out.push({ key: `ind:${ind.id}:label`, what: `Indicator ${ind.id}`, text: ind.label });
  return out;
}

/** The text object a key names in this (mutable) definition, or undefined. */
function textAt(def: SurveyDefinition, key: string): LocalizedText | undefined {
  if (key === "title") return def.title;
  if (key === "consent") return def.consent;
  if (key === "description") return def.description;
  const q = /^q:([^:]+):(label|help|constraint|option:(.+))$/.exec(key);
  if (q) {
    const question = def.questions.find((x) => x.id === q[1]);
    if (!question) return undefined;
    if (q[2] === "label") return question.label;
    if (q[2] === "help") return question.help;
    if (q[2] === "constraint") return question.constraint?.message;
    return question.options?.find((o) => o.code === q[3])?.label;
  }
  const sec = /^sec:([^:]+):label$/.exec(key);
  if (sec) return def.sections?.find((x) => x.id === sec[1])?.label;
  const ind = /^ind:([^:]+):label$/.exec(key);
  return ind ? def.indicators.find((i) => i.id === ind[1])?.label : undefined;
}

/** What a translation was made from: key → the default-language text at the time. */
export type TranslationMarks = Map<string, string>;

export type RowStatus = "missing" | "needs review" | "translated";

export interface TranslationRow {
  key: string;
  what: string;
  source: string;
  target: string;
  status: RowStatus;
}

/** The rows of a translator's file for one language, each with what needs doing. */
export function translationRows(def: SurveyDefinition, lang: string, marks: TranslationMarks): TranslationRow[] {
  return translatableTexts(def).map((t) => {
    const source = t.text[def.defaultLanguage] ?? "";
    const target = t.text[lang] ?? "";
    const mark = marks.get(t.key);
    const status: RowStatus = !target.trim() ? "missing" : mark !== undefined && mark !== source ? "needs review" : "translated";
    return { key: t.key, what: t.what, source, target, status };
  });
}

export interface UploadPlan {
  /** Cells that change the survey, with the source they translate (recorded as the mark). */
  fills: { key: string; target: string; source: string }[];
  unchanged: number;
  unknownKeys: { row: number; key: string }[];
  emptyCells: { row: number; key: string }[];
  /** Rows whose source column no longer matches the survey: translated from an older wording. */
  staleSource: { row: number; key: string }[];
}

/** What uploading a translator's rows would do, without doing it (the dry run). */
export function planUpload(def: SurveyDefinition, lang: string, rows: { row: number; key: string; source?: string; target: string }[]): UploadPlan {
  const plan: UploadPlan = { fills: [], unchanged: 0, unknownKeys: [], emptyCells: [], staleSource: [] };
  const texts = new Map(translatableTexts(def).map((t) => [t.key, t.text]));
  for (const r of rows) {
    const text = texts.get(r.key);
    if (!text) {
      plan.unknownKeys.push({ row: r.row, key: r.key });
      continue;
    }
    const target = r.target.replace(/^'(?=[=+\-@\t\r])/, "").trim();
    if (!target) {
      plan.emptyCells.push({ row: r.row, key: r.key });
      continue;
    }
    const source = text[def.defaultLanguage] ?? "";
    if (r.source !== undefined && r.source.replace(/^'(?=[=+\-@\t\r])/, "").trim() !== source.trim()) plan.staleSource.push({ row: r.row, key: r.key });
    if (text[lang] === target) plan.unchanged++;
    plan.fills.push({ key: r.key, target, source });
  }
  return plan;
}

/** The definition with the fills written into one language (a copy; the input is untouched). */
export function applyFills(def: SurveyDefinition, lang: string, fills: { key: string; target: string }[]): SurveyDefinition {
  const copy = structuredClone(def);
  for (const f of fills) {
    const text = textAt(copy, f.key);
    if (text) text[lang] = f.target;
  }
  return copy;
}

/** Keys whose text in `lang` changed between two drafts: the author edited that translation. */
export function editedKeys(before: SurveyDefinition, after: SurveyDefinition, lang: string): string[] {
  const old = new Map(translatableTexts(before).map((t) => [t.key, t.text[lang] ?? ""]));
  return translatableTexts(after)
    .filter((t) => (t.text[lang] ?? "") !== (old.get(t.key) ?? "") && (t.text[lang] ?? "").trim())
    .map((t) => t.key);
}
