// An XLSForm's sheets (already read into rows) turned into a survey definition, with a report of
// everything the definition cannot hold: each by sheet, row and column, and what was done with it.
// Pure: the workbook is read by read.server.ts.
import {
  NAME,
  SCALE_PRESET_OPTIONS,
  definitionErrors,
  definitionWarnings,
  isChoice,
  type Condition,
  type Indicator,
  type Language,
  type LocalizedText,
  type Option,
  type Question,
  type ScalePreset,
  type Section,
  type SurveyDefinition,
} from "~/survey";
import { blankDefinition } from "~/survey/blank";
import { ExpressionError, parseExpression } from "./expressions";
import { parseLanguageHeader } from "~/survey/languages";

/** One spreadsheet row: its 1-based row number and its cells by header as written. */
export interface SheetRow {
  row: number;
  cells: Record<string, string>;
}
export interface XlsformSheets {
  survey: SheetRow[];
  choices: SheetRow[];
  settings: SheetRow[];
  /** Our own sheet (other tools ignore it): the indicators, so an export comes back whole. */
  indicators: SheetRow[];
}

export type ReportAction = "left out" | "kept as text" | "changed" | "to fix in the editor" | "warning" | "added";
export interface ReportItem {
  sheet: string;
  row: number | null;
  column: string | null;
  what: string;
  done: ReportAction;
}
export interface XlsformImport {
  definition: SurveyDefinition;
  report: ReportItem[];
  /** Indicators for recognised scales, offered to the facilitator (not yet in the definition). */
  suggestions: Indicator[];
}

/** A header split into its column ("label") and language part ("English (en)"), if any. */
function splitHeader(header: string): { base: string; lang: string | null } {
  const parts = header.split("::").map((p) => p.trim());
  let base = parts[0].toLowerCase().replace(/\s+/g, "_");
  let rest = parts.slice(1);
  // media::image::English (en): the media kind sits between the column and the language.
  if (base === "media") {
    base = (rest[0] ?? "media").toLowerCase();
    rest = rest.slice(1);
  }
  return { base, lang: rest.length ? rest.join("::") : null };
}

const TRANSLATED = new Set(["label", "hint", "constraint_message", "required_message", "form_title", "consent", "description", "image", "audio", "video", "big-image"]);
const YES = /^(yes|true|true\(\)|1)$/i;
const NO = /^(no|false|false\(\)|0)?$/i;

const METADATA = new Set(["start", "end", "today", "deviceid", "username", "simserial", "subscriberid", "phonenumber", "email", "audit", "imei", "start-geopoint", "uri:deviceid", "uri:email", "uri:username", "uri:phonenumber", "uri:subscriberid", "uri:simserial"]);
const MEDIA_TYPES = new Set(["image", "audio", "video", "file", "barcode", "background-audio", "photo"]);
const GEO_TYPES = new Set(["geopoint", "geotrace", "geoshape"]);

export function importXlsform(sheets: XlsformSheets): XlsformImport {
  const report: ReportItem[] = [];
  const note = (sheet: string, row: number | null, column: string | null, what: string, done: ReportAction) => report.push({ sheet, row, column, what, done });

  // ---- languages ----
  const settings = sheets.settings[0]?.cells ?? {};
  const settingOf = (key: string) => Object.entries(settings).find(([h]) => splitHeader(h).base === key && !splitHeader(h).lang)?.[1]?.trim() ?? "";
  const languages: Language[] = [];
  const byHeader = new Map<string, string>();
  const unreadable = new Set<string>();
  const learn = (text: string, sheet: string) => {
    if (byHeader.has(text) || unreadable.has(text)) return;
    const l = parseLanguageHeader(text);
    if (!l) {
      unreadable.add(text);
      return note(sheet, 1, text, `The language "${text}" names no code and is not a known English language name; its columns are left out.`, "left out");
    }
    byHeader.set(text, l.code);
    if (!languages.some((x) => x.code === l.code)) languages.push(l);
  };
  // A row holds only its filled cells, so every row's headers are looked at.
  for (const [sheetName, rows] of [["survey", sheets.survey], ["choices", sheets.choices], ["settings", sheets.settings]] as const)
    for (const r of rows) for (const h of Object.keys(r.cells)) {
      const { base, lang } = splitHeader(h);
      if (lang && TRANSLATED.has(base)) learn(lang, sheetName);
    }

  const defaultSetting = settingOf("default_language");
  let defaultLanguage: string;
  const fromSetting = defaultSetting ? (byHeader.get(defaultSetting) ?? languages.find((l) => l.code === defaultSetting || l.name === defaultSetting)?.code ?? parseLanguageHeader(defaultSetting)?.code) : undefined;
  if (fromSetting) {
    defaultLanguage = fromSetting;
    if (!languages.some((l) => l.code === fromSetting)) {
      const l = parseLanguageHeader(defaultSetting) ?? { code: fromSetting, name: defaultSetting, direction: "ltr" as const };
      languages.unshift(l);
    }
  } else if (languages.length) {
    defaultLanguage = languages[0].code;
  } else {
    defaultLanguage = "en";
    languages.push({ code: "en", name: "English", direction: "ltr" });
    note("survey", 1, "label", "The labels name no language: they are taken as English (en). Change the language in the editor if they are not.", "changed");
  }
  // The default language first: the editor and the export list it first.
  languages.sort((a, b) => (a.code === defaultLanguage ? -1 : b.code === defaultLanguage ? 1 : 0));

  /** A translated column's texts by language code; the bare column belongs to the default language. */
  const texts = (cells: Record<string, string>, column: string): LocalizedText | undefined => {
    const out: LocalizedText = {};
    for (const [h, v] of Object.entries(cells)) {
      const { base, lang } = splitHeader(h);
      if (base !== column || !v.trim()) continue;
      const code = lang === null ? defaultLanguage : byHeader.get(lang);
      if (code && !(lang === null && out[code])) out[code] = v;
    }
    return Object.keys(out).length ? out : undefined;
  };
  const cell = (cells: Record<string, string>, column: string) => {
    for (const [h, v] of Object.entries(cells)) {
      const { base, lang } = splitHeader(h);
      if (base === column && lang === null) return v.trim();
    }
    return "";
  };
  const headerOf = (cells: Record<string, string>, column: string) => Object.keys(cells).find((h) => splitHeader(h).base === column) ?? column;

  // ---- choices ----
  const lists = new Map<string, { options: Option[]; rows: number[] }>();
  for (const r of sheets.choices) {
    const listName = cell(r.cells, "list_name") || cell(r.cells, "list name");
    const code = cell(r.cells, "name") || cell(r.cells, "value");
    if (!listName && !code) continue;
    if (!listName || !code) {
      note("choices", r.row, listName ? headerOf(r.cells, "name") : headerOf(r.cells, "list_name"), "A choice without a list name or a name is left out.", "left out");
      continue;
    }
    const option: Option = { code, label: texts(r.cells, "label") ?? { [defaultLanguage]: code } };
    const face = cell(r.cells, "face");
    if (face) option.face = face;
    const pictogram = cell(r.cells, "pictogram");
    if (pictogram) option.pictogram = pictogram;
    for (const media of ["image", "audio", "video", "big-image"]) {
      if (texts(r.cells, media)) note("choices", r.row, headerOf(r.cells, media), "Media files are not carried by the survey.", "left out");
    }
    const list = lists.get(listName) ?? { options: [], rows: [] };
    list.options.push(option);
    list.rows.push(r.row);
    lists.set(listName, list);
  }

  // ---- survey ----
  const questions: Question[] = [];
  const byName = new Map<string, Question>();
  // Open groups, outermost first. Each becomes a section when its first question arrives; nested
  // groups are flattened to the innermost, whose condition joins its ancestors'.
  interface Group {
    row: number;
    name: string;
    label?: LocalizedText;
    conditions: Condition[];
    fieldList: boolean;
    section?: Section;
  }
  const groups: Group[] = [];
  const sections: Section[] = [];
  let lastSection: Section | undefined;
  let repeat: { row: number; name: string; inside: number; depth: number } | null = null;
  const scope = (self?: Question) => ({ question: (name: string) => byName.get(name), self });
  /** The section a question read now belongs to, made (or continued) on first use. */
  const currentSection = (): Section | undefined => {
    const g = groups.at(-1);
    if (!g) return undefined;
    // Back in an outer group after an inner one closed: its later questions form a new section
    // (sections are consecutive runs), with the same heading and condition.
    if (g.section && lastSection !== g.section) g.section = undefined;
    if (!g.section) {
      const taken = (id: string) => sections.some((s) => s.id === id) || byName.has(id);
      let id = g.name;
      for (let n = 2; taken(id); n++) id = `${g.name}_${n}`;
      const conditions = groups.flatMap((x) => x.conditions);
      const section: Section = { id };
      if (g.label) section.label = g.label;
      if (conditions.length) section.showIf = conditions.length === 1 ? conditions[0] : { op: "all", conditions };
      if (groups.some((x) => x.fieldList)) section.fieldList = true;
      sections.push(section);
      g.section = section;
      if (id !== g.name) note("survey", g.row, "name", `The group "${g.name}" goes on after a group inside it: its questions from there on are the section "${id}", with the same heading and condition.`, "changed");
    }
    lastSection = g.section;
    return g.section;
  };

  const readCondition = (r: SheetRow, column: "relevant" | "constraint", self?: Question, group = false): Condition | undefined => {
    const text = cell(r.cells, column);
    if (!text) return undefined;
    try {
      return parseExpression(text, scope(self));
    } catch (e) {
      if (!(e instanceof ExpressionError)) throw e;
      const why = column === "constraint" ? "answers are not checked against it" : group ? "the group's questions are shown whatever the answers" : "the question is always shown";
      note("survey", r.row, headerOf(r.cells, column), `${column} "${text}": ${e.message} Left out, so ${why}.`, "left out");
      return undefined;
    }
  };
  const add = (q: Question) => {
    const section = currentSection();
    if (section) q.section = section.id;
    questions.push(q);
    byName.set(q.id, q);
  };

  for (const r of sheets.survey) {
    const rawType = cell(r.cells, "type").replace(/\s+/g, " ").trim();
    if (!rawType) continue;
    const words = rawType.split(" ");
    let kind = words[0].toLowerCase();
    if ((kind === "begin" || kind === "end") && words[1]) kind = `${kind}_${words[1].toLowerCase()}`;
    const name = cell(r.cells, "name");
    const at = (column: string) => headerOf(r.cells, column);

    if (repeat) {
      if (kind === "begin_repeat") repeat.depth++;
      else if (kind === "end_repeat" && --repeat.depth === 0) {
        note("survey", repeat.row, at("type"), `The repeat "${repeat.name}" and the ${repeat.inside} row(s) inside it: a survey response holds one answer per question.`, "left out");
        repeat = null;
      } else repeat.inside++;
      continue;
    }
    switch (kind) {
      case "begin_group": {
        const own = readCondition(r, "relevant", undefined, true);
        const label = texts(r.cells, "label");
        const valid = name !== "" && NAME.test(name);
        if (!valid) note("survey", r.row, at("name"), `The group's name "${name}" is not an XLSForm name: its section is called "group_${r.row}".`, "changed");
        const outer = groups.at(-1);
        if (outer) note("survey", r.row, at("type"), `The group "${name}" is inside the group "${outer.name}": it becomes a section of its own, shown only when the groups' conditions all hold.`, "changed");
        groups.push({ row: r.row, name: valid ? name : `group_${r.row}`, ...(label ? { label } : {}), conditions: own ? [own] : [], fieldList: /field-list/.test(cell(r.cells, "appearance")) });
        continue;
      }
      case "end_group":
        if (!groups.pop()) note("survey", r.row, at("type"), "An end group without its begin group is ignored.", "left out");
        continue;
      case "begin_repeat":
        repeat = { row: r.row, name, inside: 0, depth: 1 };
        continue;
      case "end_repeat":
        continue;
    }

    const what = (reason: string) => note("survey", r.row, at("type"), `"${name || rawType}" (${rawType}): ${reason}`, "left out");
    if (METADATA.has(kind)) {
      what("the platform records each response's own start and end times, and no device or user identifiers.");
      continue;
    }
    if (GEO_TYPES.has(kind)) {
      what("respondents stay anonymous, so the survey takes no GPS points.");
      continue;
    }
    if (MEDIA_TYPES.has(kind)) {
      what("the survey takes no photos, recordings or files.");
      continue;
    }
    if (kind === "calculate" || kind === "hidden") {
      what("calculations are not part of the survey; conditions naming it are left out too.");
      continue;
    }
    if (!name || !NAME.test(name)) {
      note("survey", r.row, at("name"), `"${name}" is not an XLSForm name (a letter or _ first, then letters, digits, _, - or .): the row is left out.`, "left out");
      continue;
    }
    if (byName.has(name)) {
      note("survey", r.row, at("name"), `The name "${name}" is used twice: the second is left out.`, "left out");
      continue;
    }

    const label = texts(r.cells, "label") ?? { [defaultLanguage]: name };
    const q: Question = { id: name, type: "text", label };
    let orOther = false;
    if (kind === "select_one" || kind === "select_multiple" || kind === "rank") {
      const listName = words[1];
      orOther = words[2]?.toLowerCase() === "or_other";
      const list = listName ? lists.get(listName) : undefined;
      if (!list) {
        what(`its list "${listName ?? ""}" is not on the choices sheet.`);
        continue;
      }
      q.type = kind === "select_one" ? (/likert/.test(cell(r.cells, "appearance")) ? "scale" : "single") : kind === "rank" ? "ranking" : "multiple";
      q.options = structuredClone(list.options);
      if (orOther && !q.options.some((o) => o.code === "other")) {
        q.options.push({ code: "other", label: Object.fromEntries(languages.map((l) => [l.code, "Other"])) });
        note("survey", r.row, at("type"), `or_other: an "other" option and the text question "${name}_other" were added.`, "added");
      }
    } else if (kind === "select_one_from_file" || kind === "select_multiple_from_file" || kind === "select_one_external") {
      what("lists from files are not supported; add the options in the editor.");
      continue;
    } else if (kind === "integer" || kind === "decimal") {
      q.type = "number";
      if (kind === "integer") q.integer = true;
    } else if (kind === "range") {
      q.type = "number";
      const params = Object.fromEntries(cell(r.cells, "parameters").split(/\s+/).filter(Boolean).map((p) => p.split("=") as [string, string]));
      const start = Number(params.start ?? 1);
      const end = Number(params.end ?? 10);
      const step = Number(params.step ?? 1);
      q.min = Math.min(start, end);
      q.max = Math.max(start, end);
      if (Number.isInteger(step) && Number.isInteger(start)) q.integer = true;
      note("survey", r.row, at("type"), `The range is kept as a number between ${q.min} and ${q.max}.`, "changed");
    } else if (kind === "text" || kind === "string") {
      q.type = "text";
    } else if (kind === "note") {
      q.type = "info";
    } else if (kind === "date" || kind === "time" || kind === "datetime") {
      q.type = "text";
      note("survey", r.row, at("type"), `"${name}" (${kind}) is kept as a text question: the survey has no ${kind} question.`, "kept as text");
    } else {
      what("this question type is not supported.");
      continue;
    }

    const help = texts(r.cells, "hint");
    if (help) q.help = help;
    const required = cell(r.cells, "required");
    if (YES.test(required) && q.type !== "info") q.required = true;
    else if (!NO.test(required)) note("survey", r.row, at("required"), `required "${required}": only yes or no is kept; the question is optional.`, "left out");
    if (texts(r.cells, "required_message")) note("survey", r.row, at("required_message"), "The tablet says the answer is needed in the respondent's language itself.", "left out");

    const scale = cell(r.cells, "scale");
    if (scale && (q.type === "single" || q.type === "scale")) q.scale = scale as ScalePreset;
    const disaggregation = cell(r.cells, "disaggregation");
    if (disaggregation) q.disaggregation = disaggregation.startsWith("custom:") ? { custom: disaggregation.slice(7) } : (disaggregation as "gender");
    const maxPicks = cell(r.cells, "max_picks");
    if (maxPicks && q.type === "ranking") q.maxPicks = Number(maxPicks);
    if (q.type === "number") {
      for (const key of ["min", "max"] as const) {
        const v = cell(r.cells, key);
        if (v !== "") q[key] = Number(v);
      }
    }

    const shown = readCondition(r, "relevant");
    if (shown) q.showIf = shown;
    const check = readCondition(r, "constraint", q);
    if (check) {
      q.constraint = { check };
      const message = texts(r.cells, "constraint_message");
      if (message) q.constraint.message = message;
    } else if (texts(r.cells, "constraint_message") && !cell(r.cells, "constraint")) {
      note("survey", r.row, at("constraint_message"), "A constraint message without a constraint is left out.", "left out");
    }

    if (/\$\{[^}]+\}/.test(Object.values(label).join(" ") + Object.values(help ?? {}).join(" ")))
      note("survey", r.row, at("label"), "The label names an earlier answer (${…}): the tablet shows it as written.", "kept as text");
    if (cell(r.cells, "choice_filter")) note("survey", r.row, at("choice_filter"), `choice_filter "${cell(r.cells, "choice_filter")}": every option of the list is shown.`, "left out");
    if (cell(r.cells, "default")) note("survey", r.row, at("default"), `default "${cell(r.cells, "default")}": respondents start from an empty answer.`, "left out");
    if (cell(r.cells, "calculation")) note("survey", r.row, at("calculation"), "Calculations are not part of the survey.", "left out");
    const appearance = cell(r.cells, "appearance");
    if (appearance && !(appearance === "likert" && q.type === "scale")) note("survey", r.row, at("appearance"), `appearance "${appearance}": the tablet uses its own layout.`, "left out");
    for (const media of ["image", "audio", "video", "big-image"]) if (texts(r.cells, media)) note("survey", r.row, at(media), "Media files are not carried by the survey.", "left out");

    if (q.type === "info") {
      delete q.required;
      delete q.constraint;
    }
    add(q);
    if (orOther) {
      const id = `${name}_other`;
      if (!byName.has(id)) {
        const pick: Condition = { op: "equals", question: name, value: "other" };
        add({ id, type: "text", label: Object.fromEntries(languages.map((l) => [l.code, "Specify other."])), showIf: pick });
      }
    }
  }
  if (repeat) note("survey", repeat.row, "type", `The repeat "${repeat.name}" is never closed: it and the rows after it are left out.`, "left out");

  // ---- settings ----
  const title = texts(settings, "form_title") ?? { [defaultLanguage]: "Imported XLSForm" };
  for (const l of languages) if (!title[l.code]) title[l.code] = title[defaultLanguage] ?? Object.values(title)[0];
  const consent = texts(settings, "consent");
  const description = texts(settings, "description");
  const row1 = sheets.settings[0]?.row ?? 2;
  for (const key of ["form_id", "version"]) {
    const v = settingOf(key);
    if (v) note("settings", row1, key, `${key} "${v}": the platform numbers published versions itself.`, "left out");
  }
  const blank = blankDefinition();
  if (!consent) note("settings", null, null, "The form has no consent text: the platform's standard English one was added. Check it and translate it in the editor.", "added");

  const definition: SurveyDefinition = {
    title,
    ...(description ? { description } : {}),
    languages,
    defaultLanguage,
    consent: consent ?? { [defaultLanguage]: blank.consent.en },
    questions,
    ...(sections.length ? { sections } : {}),
    indicators: readIndicators(sheets.indicators, texts, cell, note),
  };

  // ---- what the facilitator still fixes in the editor, and warnings ----
  for (const e of definitionErrors(definition)) note("survey", rowOf(e.path, sheets, definition), null, `${e.message} (${e.path})`, "to fix in the editor");
  for (const w of definitionWarnings(definition)) note("survey", rowOf(w.path, sheets, definition), "relevant", w.message, "warning");

  return { definition, report, suggestions: suggestIndicators(definition) };
}

/** The survey sheet row of the question a definition path points into, when there is one. */
function rowOf(path: string, sheets: XlsformSheets, def: SurveyDefinition): number | null {
  const section = /^sections\.(\d+)/.exec(path);
  if (section) {
    // A section's group row: its name, or the name it continues (`adults_2` goes on from `adults`).
    const id = def.sections?.[Number(section[1])]?.id ?? "";
    const begins = sheets.survey.filter((r) => Object.entries(r.cells).some(([h, v]) => splitHeader(h).base === "type" && /^begin[ _]group$/i.test(v.trim())));
    const named = (name: string) => begins.find((r) => Object.entries(r.cells).some(([h, v]) => splitHeader(h).base === "name" && v.trim() === name))?.row;
    return named(id) ?? named(id.replace(/_\d+$/, "")) ?? null;
  }
  const m = /^questions\.(\d+)/.exec(path);
  if (!m) return null;
  const id = def.questions[Number(m[1])]?.id;
  return sheets.survey.find((r) => Object.entries(r.cells).some(([h, v]) => splitHeader(h).base === "name" && v.trim() === id))?.row ?? null;
}

function readIndicators(
  rows: SheetRow[],
  texts: (cells: Record<string, string>, column: string) => LocalizedText | undefined,
  cell: (cells: Record<string, string>, column: string) => string,
  note: (sheet: string, row: number | null, column: string | null, what: string, done: ReportAction) => void,
): Indicator[] {
  const out: Indicator[] = [];
  const list = (v: string) => v.split(/\s+/).filter(Boolean);
  for (const r of rows) {
    const id = cell(r.cells, "id");
    if (!id) continue;
    const kind = cell(r.cells, "kind");
    const base = {
      id,
      label: texts(r.cells, "label") ?? {},
      question: cell(r.cells, "question"),
      direction: (cell(r.cells, "direction") || "higher_is_better") as "higher_is_better",
      ...(cell(r.cells, "target") ? { target: Number(cell(r.cells, "target")) } : {}),
      ...(cell(r.cells, "target_date") ? { targetDate: cell(r.cells, "target_date") } : {}),
      ...(cell(r.cells, "reference") ? { reference: cell(r.cells, "reference") } : {}),
    };
    if (kind === "share") {
      const denominator = cell(r.cells, "denominator");
      out.push({ ...base, kind, codes: list(cell(r.cells, "codes")), denominator: denominator === "all" || !denominator ? "all" : { exclude: list(denominator.replace(/^exclude:?/, "")) } });
    } else if (kind === "mean") {
      out.push({ ...base, kind, exclude: list(cell(r.cells, "exclude")) });
    } else note("indicators", r.row, "kind", `Indicator "${id}": kind "${kind}" is neither share nor mean.`, "left out");
  }
  return out;
}

/** The scales a facilitator usually tracks, recognised by their English option labels. */
const TRACKED: { preset: ScalePreset; counted: string[]; reference?: string; name: string }[] = [
  { preset: "sdg16_safety", counted: ["1", "2"], reference: "SDG 16.1.4", name: "feel safe" },
  { preset: "agreement5", counted: ["4", "5"], name: "agree" },
  { preset: "trust4", counted: ["3", "4"], name: "trust somewhat or a lot" },
];
const plain = (s: string) => s.toLowerCase().replace(/[^a-z]+/g, " ").trim();

function suggestIndicators(def: SurveyDefinition): Indicator[] {
  const out: Indicator[] = [];
  const taken = new Set(def.indicators.map((i) => i.question));
  for (const q of def.questions) {
    if (!isChoice(q) || q.type === "multiple" || q.type === "ranking" || taken.has(q.id)) continue;
    const labelOf = (o: Option) => plain(o.label.en ?? o.label[def.defaultLanguage] ?? "");
    for (const t of TRACKED) {
      const preset = SCALE_PRESET_OPTIONS[t.preset];
      // Every option but "don't know" found among the question's options, by English label.
      const codeFor = new Map<string, string>();
      for (const p of preset) {
        const o = q.options!.find((x) => labelOf(x) === plain(p.label.en));
        if (o) codeFor.set(p.code, o.code);
      }
      // "Don't know" (and SDG 16.1.4's "never go out") are optional in a form's list.
      const core = preset.filter((p) => p.code !== "99" && !(t.preset === "sdg16_safety" && p.code === "5"));
      if (!core.every((p) => codeFor.has(p.code))) continue;
      const title = (q.label.en ?? q.label[def.defaultLanguage] ?? q.id).slice(0, 80).replace(/[?.:]+$/, "");
      // In the default language only: the editor then asks for the other languages' wording.
      const label = { [def.defaultLanguage]: `${title} — share who ${t.name}` };
      out.push({
        id: `${q.id}_share`.replace(/[^A-Za-z0-9_.-]/g, "_"),
        label,
        question: q.id,
        kind: "share",
        codes: t.counted.map((c) => codeFor.get(c)!),
        denominator: "all",
        direction: "higher_is_better",
        ...(t.reference ? { reference: t.reference } : {}),
      });
      break;
    }
  }
  return out;
}
