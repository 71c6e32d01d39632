// A facilitator in Baidoa or Mombasa adds Somali or Swahili to the SDG 16 core template: every text
// is already there (scales from the presets, the rest written for the template), so the survey
// publishes without a gap; the template says these texts still want a native speaker's review.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { validateDefinition, type SurveyDefinition } from "../../app/survey";
import { translatableTexts } from "../../app/translation/texts";

const sdg16 = () => JSON.parse(fs.readFileSync(path.resolve("survey-templates/sdg16-core.json"), "utf8")) as SurveyDefinition;

describe.each([
  ["so", "Soomaali"],
  ["sw", "Kiswahili"],
])("the SDG 16 core template in %s", (code, name) => {
  it("publishes without a single missing text once the language is added", () => {
    const def = sdg16();
    def.languages.push({ code, name, direction: "ltr" });
    const result = validateDefinition(def);
    expect(result.ok ? [] : result.errors.map((e) => e.path)).toEqual([]);
    // Every text a respondent or a reader sees, not a copy of the English.
    const texts = translatableTexts(def);
    expect(texts.length).toBeGreaterThan(60);
    const copies = texts.filter((t) => t.text[code] === t.text.en && !/^[\d–]+$/.test(t.text.en)).map((t) => t.key);
    expect(copies).toEqual([]);
  });

  it("is marked for native review", () => {
    expect(sdg16().template?.nativeReview).toContain(code);
  });
});
