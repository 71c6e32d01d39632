// A facilitator adds Somali to the SDG 16 survey, hands the translator's file over, uploads it back
// (a dry run first) and Somali is complete in one upload; changing the English wording then marks
// the Somali text "needs review" until it is edited or confirmed. Over HTTP, SQLite and PostgreSQL.
import Papa from "papaparse";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachDatabase, freshDatabase, type TestDb } from "../support/databases";
import { startServer, type RunningServer } from "../support/server";
import { HttpClient } from "../support/http-client";
import { aProgramme, aUser } from "../support/fixtures";
import { createSurvey, getVersion, publishDraft, saveDraft } from "../../app/models/surveys.server";
import { getTemplate } from "../../app/survey-templates.server";
import { validateDefinition, type SurveyDefinition } from "../../app/survey";

/** The Somali card of the translations page, as text (the French and Arabic cards come before it). */
const somali = (html: string) => unescape(html.slice(html.indexOf('id="lang-so"')).replace(/<!-- -->/g, ""));
const unescape = (s: string) => s.replace(/&quot;/g, '"').replace(/&#x27;|&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");

describeEachDatabase("translation files", (dialect) => {
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

  /** The template ships Somali texts (for native review); these stories start from a survey without them. */
  const withoutSomali = (def: SurveyDefinition): SurveyDefinition =>
    JSON.parse(JSON.stringify(def, (key, value) => (key === "so" && typeof value === "string" ? undefined : value))) as SurveyDefinition;

  const draftOf = async (id: string) => JSON.parse((await t.db.selectFrom("surveys").select("draft_definition").where("id", "=", id).executeTakeFirstOrThrow()).draft_definition!) as SurveyDefinition;

  it("Somali filled in one upload, then marked for review when the English changes", async () => {
    const facilitator = await aUser(t.db, "Hodan Facilitator");
    const programme = await aProgramme(t.db, "Baidoa", [{ userId: facilitator.id, role: "facilitator" }]);
    const def = withoutSomali(getTemplate("sdg16_core")!.definition);
    delete def.template;
    def.languages.push({ code: "so", name: "Soomaali", direction: "ltr" });
    const surveyId = await createSurvey(t.db, { programmeId: programme.id, definition: def, createdBy: facilitator.id });
    const web = new HttpClient(server.url);
    await web.signIn(facilitator.email, facilitator.password);
    const page = `/surveys/${surveyId}/translations`;

    const before = await web.get(page);
    expect(before.status).toBe(200);
    const missingBefore = Number(/(\d+) missing/.exec(somali(before.text))?.[1]);
    expect(missingBefore).toBeGreaterThan(50);

    // The translator's file: key, what, status, source, target.
    const file = await web.get(`/surveys/${surveyId}/translation-file?format=csv&lang=so`);
    expect(file.status).toBe(200);
    expect(file.headers.get("content-disposition")).toMatch(/-so\.csv"/);
    const table = Papa.parse<string[]>(file.text.replace(/^\uFEFF/, ""), { skipEmptyLines: true }).data;
    expect(table[0]).toEqual(["key", "what", "status", "source (en)", "target (so)"]);
    const body = table.slice(1);
    expect(body.length).toBe(missingBefore);
    expect(body.every((r) => r[2] === "missing")).toBe(true);
    expect(body.map((r) => r[0])).toContain("q:safe_after_dark:label");

    // The translator fills every row (in an .xlsx, as many do) and adds a row of their own.
    const book = new ExcelJS.Workbook();
    const ws = book.addWorksheet("so");
    ws.addRow(table[0]);
    for (const r of body) ws.addRow([r[0], r[1], r[2], r[3], `SO ${r[3]}`]);
    ws.addRow(["q:no_such_question:label", "", "", "", "Su'aal aan jirin"]);
    const upload = async (bytes: Uint8Array, name: string) => {
      const form = new FormData();
      form.set("csrf", await web.csrfFrom(page));
      form.set("intent", "upload");
      form.set("lang", "so");
      form.set("file", new Blob([Buffer.from(bytes)]), name);
      return web.request(page, { method: "POST", body: form });
    };
    const dry = await upload(new Uint8Array(await book.xlsx.writeBuffer()), "sdg16-so.xlsx");
    expect(dry.status).toBe(200);
    const text = unescape(dry.text.replace(/<!-- -->/g, ""));
    expect(text).toContain(`${body.length} texts to change`);
    expect(text).toContain('Unknown keys (left out): row ' + (body.length + 2) + ' "q:no_such_question:label"');
    // A dry run changes nothing.
    expect((await draftOf(surveyId)).questions[0].label.so).toBeUndefined();

    const fills = /name="fills" value="([^"]*)"/.exec(dry.text)![1];
    const applied = await web.submit(page, { intent: "apply", lang: "so", fills: unescape(fills) });
    expect(applied.status).toBe(200);
    const filled = await draftOf(surveyId);
    const checked = validateDefinition(filled);
    expect(checked.ok ? [] : checked.errors.filter((e) => e.path.endsWith(".so"))).toEqual([]);
    const q = filled.questions.find((x) => x.id === "safe_after_dark")!;
    expect(q.label.so).toBe(`SO ${q.label.en}`);
    expect(somali((await web.get(page)).text)).toContain("0 missing · 0 need review");

    // The author rewords the English in the editor: Somali is now out of date for that text only.
    const edited = structuredClone(filled);
    edited.questions.find((x) => x.id === "safe_after_dark")!.label.en = "How safe do you feel walking alone near your home after dark?";
    expect((await web.submit(`/surveys/${surveyId}/edit`, { intent: "save", definition: JSON.stringify(edited) })).status).toBe(200);
    const review = somali((await web.get(page)).text);
    expect(review).toContain("1 need review");
    expect(review).toContain("How safe do you feel walking alone near your home after dark?");
    const again = Papa.parse<string[]>((await web.get(`/surveys/${surveyId}/translation-file?format=csv&lang=so`)).text.replace(/^\uFEFF/, ""), { skipEmptyLines: true }).data;
    expect(again.filter((r) => r[2] === "needs review").map((r) => r[0])).toEqual(["q:safe_after_dark:label"]);

    // Editing the Somali text in the editor clears it; so does confirming it after the next change.
    const resomali = structuredClone(edited);
    resomali.questions.find((x) => x.id === "safe_after_dark")!.label.so = "Intee in le'eg ayaad ku nabad qabtaa adigoo keligaa ku socda agagaarka gurigaaga habeenkii?";
    await web.submit(`/surveys/${surveyId}/edit`, { intent: "save", definition: JSON.stringify(resomali) });
    expect(somali((await web.get(page)).text)).toContain("0 need review");
    const reworded = structuredClone(resomali);
    reworded.consent.en = reworded.consent.en + " Thank you.";
    await saveDraft(t.db, surveyId, reworded, facilitator.id);
    expect(somali((await web.get(page)).text)).toContain("1 need review");
    expect((await web.submit(page, { intent: "confirm", lang: "so", key: "consent" })).status).toBe(200);
    expect(somali((await web.get(page)).text)).toContain("0 need review");
  });

  it("a survey with Somali gaps publishes only when the facilitator confirms, and never with a gap in the default language", async () => {
    const facilitator = await aUser(t.db, "Gap Facilitator");
    const programme = await aProgramme(t.db, "Beledweyne", [{ userId: facilitator.id, role: "facilitator" }]);
    const def = withoutSomali(getTemplate("sdg16_core")!.definition);
    delete def.template;
    def.languages.push({ code: "so", name: "Soomaali", direction: "ltr" });
    const surveyId = await createSurvey(t.db, { programmeId: programme.id, definition: def, createdBy: facilitator.id });
    const refused = await publishDraft(t.db, surveyId, facilitator.id);
    expect(refused.ok).toBe(false);
    expect("errors" in refused && refused.errors.every((e) => e.code === "missing_translation" && e.path.endsWith(".so"))).toBe(true);
    const broken = structuredClone(def);
    broken.questions[0].label.en = "";
    await saveDraft(t.db, surveyId, broken, facilitator.id);
    expect((await publishDraft(t.db, surveyId, facilitator.id, { acceptTranslationGaps: true })).ok).toBe(false);
    await saveDraft(t.db, surveyId, def, facilitator.id);
    expect(await publishDraft(t.db, surveyId, facilitator.id, { acceptTranslationGaps: true })).toEqual({ ok: true, version: 1 });
    expect((await getVersion(t.db, surveyId, 1))!.languages.map((l) => l.code)).toEqual(["en", "fr", "ar", "so"]);
  });

  it("a file without key and target columns, or for a language the survey lacks, is refused and changes nothing", async () => {
    const facilitator = await aUser(t.db, "Second Facilitator");
    const programme = await aProgramme(t.db, "Kismayo", [{ userId: facilitator.id, role: "facilitator" }]);
    const def = structuredClone(getTemplate("sdg16_core")!.definition);
    delete def.template;
    const surveyId = await createSurvey(t.db, { programmeId: programme.id, definition: def, createdBy: facilitator.id });
    const web = new HttpClient(server.url);
    await web.signIn(facilitator.email, facilitator.password);
    const page = `/surveys/${surveyId}/translations`;
    const form = new FormData();
    form.set("csrf", await web.csrfFrom(page));
    form.set("intent", "upload");
    form.set("lang", "fr");
    form.set("file", new Blob(["id,texte\nq1,Bonjour\n"]), "fr.csv");
    const bad = await web.request(page, { method: "POST", body: form });
    expect(bad.status).toBe(400);
    expect(unescape(bad.text)).toContain('The file needs a "key" and a "target" column; its first row has "id", "texte"');
    expect((await web.get(`/surveys/${surveyId}/translation-file?format=csv&lang=sw`)).status).toBe(400);
    expect((await web.get(`/surveys/${surveyId}/translation-file?format=csv&lang=en`)).status).toBe(400);
    expect(await draftOf(surveyId)).toEqual(def);
  });
});
