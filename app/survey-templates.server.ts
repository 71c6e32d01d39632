// The ready survey templates shipped in survey-templates/, read once and validated by the core.
import fs from "node:fs";
import path from "node:path";
import { validateDefinition, type SurveyDefinition } from "~/survey";

export interface SurveyTemplate {
  id: string;
  name: string;
  summary: string;
  definition: SurveyDefinition;
}

const DIR = path.resolve("survey-templates");
let cache: SurveyTemplate[] | undefined;

export function listTemplates(): SurveyTemplate[] {
  if (cache) return cache;
  const files = fs.readdirSync(DIR).filter((f) => f.endsWith(".json")).sort();
  cache = files.map((file) => {
    const checked = validateDefinition(JSON.parse(fs.readFileSync(path.join(DIR, file), "utf8")));
    if (!checked.ok) throw new Error(`survey-templates/${file} is invalid: ${checked.errors[0].path} ${checked.errors[0].message}`);
    const def = checked.definition;
    const lang = def.defaultLanguage;
    return {
      id: def.template?.id ?? file.replace(/\.json$/, ""),
      name: def.template?.name[lang] ?? def.title[lang],
      summary: def.template?.summary[lang] ?? def.description?.[lang] ?? "",
      definition: def,
    };
  });
  return cache;
}

export function getTemplate(id: string): SurveyTemplate | undefined {
  return listTemplates().find((t) => t.id === id);
}
