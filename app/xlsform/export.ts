// A survey definition as XLSForm sheets (rows of cells by header): survey, choices, settings and
// our own indicators sheet, every language in `::Name (code)` columns. Pure; write.server.ts makes
// the workbook. importXlsform reads the result back to the same definition.
import type { LocalizedText, Question, SurveyDefinition } from "~/survey";
import { writeExpression } from "./expressions";
import { languageHeader } from "~/survey/languages";

export interface ExportSheet {
  name: string;
  headers: string[];
  rows: Record<string, string>[];
}

const TYPE: Record<Question["type"], (q: Question) => string> = {
  single: (q) => `select_one ${q.id}`,
  scale: (q) => `select_one ${q.id}`,
  multiple: (q) => `select_multiple ${q.id}`,
  ranking: (q) => `rank ${q.id}`,
  number: (q) => (q.integer ? "integer" : "decimal"),
  text: () => "text",
  info: () => "note",
};

export function exportXlsform(def: SurveyDefinition, version?: number): ExportSheet[] {
  const langs = def.languages;
  const translated = (base: string) => langs.map((l) => `${base}::${languageHeader(l)}`);
  const put = (row: Record<string, string>, base: string, text: LocalizedText | undefined) => {
    if (!text) return;
    for (const l of langs) if (text[l.code]) row[`${base}::${languageHeader(l)}`] = text[l.code];
  };
  const byId = (id: string) => def.questions.find((q) => q.id === id);

  const survey: Record<string, string>[] = [];
  const choices: Record<string, string>[] = [];
  // Each run of a section's questions is one group; a section split by the editor gets a numbered
  // name for its later runs, since XLSForm names are unique.
  const sections = new Map((def.sections ?? []).map((s) => [s.id, s]));
  const written = new Set<string>();
  let open: string | undefined;
  const enter = (id: string | undefined) => {
    if (id === open) return;
    if (open !== undefined) survey.push({ type: "end_group" });
    open = id;
    const section = id === undefined ? undefined : sections.get(id);
    if (!section) return;
    let name = section.id;
    for (let n = 2; written.has(name); n++) name = `${section.id}_${n}`;
    written.add(name);
    const row: Record<string, string> = { type: "begin_group", name };
    put(row, "label", section.label);
    if (section.showIf) row.relevant = writeExpression(section.showIf, byId);
    if (section.fieldList) row.appearance = "field-list";
    survey.push(row);
  };
  for (const q of def.questions) {
    enter(q.section !== undefined && sections.has(q.section) ? q.section : undefined);
    const row: Record<string, string> = { type: TYPE[q.type](q), name: q.id };
    put(row, "label", q.label);
    put(row, "hint", q.help);
    if (q.required) row.required = "yes";
    if (q.showIf) row.relevant = writeExpression(q.showIf, byId);
    if (q.constraint) {
      row.constraint = writeExpression(q.constraint.check, byId);
      put(row, "constraint_message", q.constraint.message);
    }
    if (q.type === "scale") row.appearance = "likert";
    if (q.scale) row.scale = q.scale;
    if (q.disaggregation) row.disaggregation = typeof q.disaggregation === "string" ? q.disaggregation : `custom:${q.disaggregation.custom}`;
    if (q.maxPicks !== undefined) row.max_picks = String(q.maxPicks);
    if (q.min !== undefined) row.min = String(q.min);
    if (q.max !== undefined) row.max = String(q.max);
    survey.push(row);
    for (const o of q.options ?? []) {
      const c: Record<string, string> = { list_name: q.id, name: o.code };
      put(c, "label", o.label);
      if (o.face) c.face = o.face;
      if (o.pictogram) c.pictogram = o.pictogram;
      choices.push(c);
    }
  }

  enter(undefined);

  const settings: Record<string, string> = {
    form_title: def.title[def.defaultLanguage] ?? Object.values(def.title)[0] ?? "",
    form_id: (def.title[def.defaultLanguage] ?? "survey").toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_+|_+$/g, "") || "survey",
    default_language: languageHeader(langs.find((l) => l.code === def.defaultLanguage) ?? langs[0]),
  };
  if (version !== undefined) settings.version = String(version);
  put(settings, "form_title", def.title);
  put(settings, "description", def.description);
  put(settings, "consent", def.consent);

  const indicators = def.indicators.map((ind) => {
    const row: Record<string, string> = { id: ind.id, question: ind.question, kind: ind.kind, direction: ind.direction };
    put(row, "label", ind.label);
    if (ind.kind === "share") {
      row.codes = ind.codes.join(" ");
      row.denominator = ind.denominator === "all" ? "all" : `exclude: ${ind.denominator.exclude.join(" ")}`;
    } else row.exclude = ind.exclude.join(" ");
    if (ind.target !== undefined) row.target = String(ind.target);
    if (ind.targetDate) row.target_date = ind.targetDate;
    if (ind.reference) row.reference = ind.reference;
    return row;
  });

  return [
    { name: "survey", headers: ["type", "name", ...translated("label"), ...translated("hint"), "required", "relevant", "constraint", ...translated("constraint_message"), "appearance", "scale", "disaggregation", "max_picks", "min", "max"], rows: survey },
    { name: "choices", headers: ["list_name", "name", ...translated("label"), "face", "pictogram"], rows: choices },
    { name: "settings", headers: ["form_title", "form_id", "version", "default_language", ...translated("form_title"), ...translated("description"), ...translated("consent")], rows: [settings] },
    { name: "indicators", headers: ["id", ...translated("label"), "question", "kind", "codes", "denominator", "exclude", "direction", "target", "target_date", "reference"], rows: indicators },
  ];
}
