// The editor page and its action speak the facilitator's language: a French facilitator's editor is
// French, and when they publish a half-built condition the server refuses it, names the field in
// French from the fault's code, and publishes nothing. An Arabic one gets the page right to left.
// Over HTTP, SQLite and PostgreSQL.
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachDatabase, freshDatabase, type TestDb } from "../support/databases";
import { startServer, type RunningServer } from "../support/server";
import { HttpClient } from "../support/http-client";
import { aProgramme, aUser } from "../support/fixtures";
import { htmlLanguage, visibleText } from "../support/page-text";
import { createSurvey, getLatestVersion } from "../../app/models/surveys.server";
import { setStoredLanguage } from "../../app/i18n/staff.server";
import type { SurveyDefinition } from "../../app/survey";

const definition = (): SurveyDefinition => ({
  title: { en: "Market safety", fr: "Sécurité au marché" },
  languages: [
    { code: "en", name: "English", direction: "ltr" },
    { code: "fr", name: "Français", direction: "ltr" },
  ],
  defaultLanguage: "en",
  consent: { en: "Anonymous. Agree?", fr: "Anonyme. D’accord ?" },
  questions: [
    { id: "age", type: "number", label: { en: "Age", fr: "Âge" }, min: 0, max: 120 },
    { id: "vote", type: "single", label: { en: "Did you vote?", fr: "Avez-vous voté ?" }, options: [{ code: "1", label: { en: "Yes", fr: "Oui" } }, { code: "2", label: { en: "No", fr: "Non" } }] },
  ],
  indicators: [],
});

describeEachDatabase("the editor in the facilitator's language", (dialect) => {
  let t: TestDb;
  let server: RunningServer;
  beforeAll(async () => {
    t = await freshDatabase(dialect);
    server = await startServer(t);
  });
  afterAll(async () => {
    await server?.close();
    await t?.drop();
  });

  async function facilitatorIn(language: "fr" | "ar") {
    const facilitator = await aUser(t.db, `Facilitator ${language}`);
    const programme = await aProgramme(t.db, `Programme ${language}`, [{ userId: facilitator.id, role: "facilitator" }]);
    await setStoredLanguage(t.db, facilitator.id, language);
    const surveyId = await createSurvey(t.db, { programmeId: programme.id, definition: definition(), createdBy: facilitator.id });
    const web = new HttpClient(server.url);
    await web.signIn(facilitator.email, facilitator.password);
    return { surveyId, web };
  }

  it("a French facilitator's half-built condition is refused in French, naming the field, and nothing is published", async () => {
    const { surveyId, web } = await facilitatorIn("fr");
    const page = await web.get(`/surveys/${surveyId}/edit`);
    expect(page.status).toBe(200);
    expect(htmlLanguage(page.text)).toEqual({ lang: "fr", dir: "ltr" });
    const text = visibleText(page.text);
    expect(text).toContain("Modifier l’enquête");
    expect(text).toContain("Publier la version 1");
    for (const english of ["Edit survey", "Show this question", "Publish version", "Add question", "Preview"]) expect(text).not.toContain(english);

    // "Show when age is at least dix-huit": the server checks what the browser checked.
    const half = definition();
    half.questions[1].showIf = { op: "compare", question: "age", cmp: ">=", value: "dix-huit" };
    const refused = await web.submit(`/surveys/${surveyId}/edit`, { intent: "publish", definition: JSON.stringify(half) });
    expect(refused.status).toBe(400);
    // (React separates text nodes with comments, which become spaces here.)
    const said = visibleText(refused.text).replace(/\s+:/g, ":");
    expect(said).toContain("Le serveur a refusé la publication");
    expect(said).toMatch(/Le serveur a refusé la publication: Question n° 2 \(vote\) › Condition d’affichage: Tapez un nombre avec lequel comparer\./);
    expect(await getLatestVersion(t.db, surveyId)).toBeUndefined();

    // Fixed, it publishes.
    half.questions[1].showIf = { op: "compare", question: "age", cmp: ">=", value: 18 };
    const published = await web.submit(`/surveys/${surveyId}/edit`, { intent: "publish", definition: JSON.stringify(half) });
    expect(published.status).toBe(302);
    expect((await getLatestVersion(t.db, surveyId))?.definition.questions[1].showIf).toEqual({ op: "compare", question: "age", cmp: ">=", value: 18 });

    // A save the server cannot read is answered in French too.
    const unreadable = await web.submit(`/surveys/${surveyId}/edit`, { intent: "save", definition: "{not json" });
    expect(unreadable.status).toBe(400);
    expect(unreadable.text).toContain("L’enquête n’a pas pu être lue ; rechargez la page.");
  });

  it("an Arabic facilitator's editor is right to left, in Arabic", async () => {
    const { surveyId, web } = await facilitatorIn("ar");
    const page = await web.get(`/surveys/${surveyId}/edit`);
    expect(htmlLanguage(page.text)).toEqual({ lang: "ar", dir: "rtl" });
    const text = visibleText(page.text);
    for (const arabic of ["تعديل الاستبيان", "الأسئلة", "النشر", "نشر الإصدار 1", "المعاينة"]) expect(text).toContain(arabic);
    expect(text).not.toContain("Edit survey");
  });

  it("the indicator editor inside it speaks the facilitator's language too, in French and in Arabic", async () => {
    const withIndicator = (): SurveyDefinition => ({
      ...definition(),
      indicators: [{ id: "voted", label: { en: "Voted", fr: "A voté" }, question: "vote", kind: "share", codes: ["1"], denominator: "all", direction: "higher_is_better" }],
    });
    const english = ["Indicator id", "Measure", "Counted as", "Better when the value is", "indicator tracking table", "Share of respondents choosing", "Left out of the denominator"];
    for (const [language, words] of [
      ["fr", ["Identifiant de l’indicateur", "Compté comme « oui »", "Exclu du dénominateur", "tableau de suivi des indicateurs"]],
      ["ar", ["معرّف المؤشر", "يُحتسب «نعم»", "مستبعد من المقام", "جدول تتبّع المؤشرات"]],
    ] as const) {
      const { surveyId, web } = await facilitatorIn(language);
      const saved = await web.submit(`/surveys/${surveyId}/edit`, { intent: "save", definition: JSON.stringify(withIndicator()) });
      expect(saved.status).toBeLessThan(400);
      const text = visibleText((await web.get(`/surveys/${surveyId}/edit`)).text);
      for (const w of words) expect(text, language).toContain(w);
      for (const w of english) expect(text, language).not.toContain(w);
    }
  });
});
