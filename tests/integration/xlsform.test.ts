// A programme brings its KoboToolbox form: the facilitator uploads the XLSForm (.xlsx), reads what
// the survey cannot keep (by sheet, row and column), creates the draft, takes the survey back out as
// an XLSForm that reads back to the same definition, and imports the data Kobo collected with it
// without mapping a column. Over HTTP, against SQLite and PostgreSQL.
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachDatabase, freshDatabase, type TestDb } from "../support/databases";
import { startServer, type RunningServer } from "../support/server";
import { HttpClient } from "../support/http-client";
import { importThroughPage } from "../support/exchange";
import { aProgramme, aUser } from "../support/fixtures";
import { protectionForm, workbook } from "../support/xlsform";
import { createCommunity } from "../../app/models/programmes.server";
import { createRound } from "../../app/models/rounds.server";
import { publishDraft, saveDraft } from "../../app/models/surveys.server";
import { validateAnswers, validateDefinition, type SurveyDefinition } from "../../app/survey";

const unescape = (s: string) => s.replace(/&quot;/g, '"').replace(/&#x27;|&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
const hidden = (html: string, name: string) => {
  const m = new RegExp(`name="${name}" value="([^"]*)"`).exec(html);
  if (!m) throw new Error(`no hidden ${name} on the page: ${html.slice(0, 300)}`);
  return unescape(m[1]);
};
/** The report table's rows as the page shows them: sheet, row, column, done. */
const reportRows = (html: string) =>
  [...html.matchAll(/<tr class="done-[^"]*"><td>([^<]*)<\/td><td>([^<]*)<\/td><td>(?:<code>([^<]*)<\/code>|—)<\/td><td>(.*?)<\/td><td>([^<]*)<\/td><\/tr>/g)].map((m) => ({
    sheet: m[1],
    row: m[2],
    column: m[3] ? unescape(m[3]) : null,
    what: unescape(m[4].replace(/<!-- -->/g, "")),
    done: m[5],
  }));

describeEachDatabase("XLSForm in and out", (dialect) => {
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

  async function aFacilitator() {
    const facilitator = await aUser(t.db, "Amina Facilitator");
    const programme = await aProgramme(t.db, `Upper Nile ${Math.random().toString(36).slice(2, 6)}`, [{ userId: facilitator.id, role: "facilitator" }]);
    const web = new HttpClient(server.url);
    await web.signIn(facilitator.email, facilitator.password);
    return { facilitator, programme, web, page: `/programmes/${programme.id}/surveys/new` };
  }

  async function upload(web: HttpClient, page: string, name: string, bytes: Uint8Array) {
    const form = new FormData();
    form.set("csrf", await web.csrfFrom(page));
    form.set("intent", "xlsform");
    form.set("file", new Blob([Buffer.from(bytes)]), name);
    return web.request(page, { method: "POST", body: form });
  }

  it("a Kobo household form with groups, or_other, cascading lists, numeric and count-selected relevants, constraints and Arabic becomes a draft after its report", async () => {
    const { web, page } = await aFacilitator();
    const reply = await upload(web, page, "hh_protection.xlsx", await workbook(protectionForm()));
    expect(reply.status).toBe(200);
    const rows = reportRows(reply.text);
    const at = (row: number, column: string) => rows.filter((r) => r.sheet === "survey" && r.row === String(row) && r.column === column);
    // Each construct the survey cannot hold, where it is in the workbook and what was done.
    expect(at(2, "type")[0]).toMatchObject({ done: "left out" }); // start
    expect(at(4, "type")[0]).toMatchObject({ done: "left out" }); // deviceid
    // Groups are kept as sections, field-list included: nothing to report about them.
    expect(rows.filter((r) => r.sheet === "survey" && ["5", "14"].includes(r.row))).toEqual([]);
    expect(at(10, "choice_filter")[0]).toMatchObject({ done: "left out", what: expect.stringContaining("state=${state}") });
    expect(at(16, "constraint")[0]).toMatchObject({ done: "left out", what: expect.stringMatching(/regex\(\) is not supported/) });
    expect(at(18, "label::English (en)")[0]).toMatchObject({ done: "kept as text" });
    expect(at(18, "relevant")[0]).toMatchObject({ done: "warning", what: expect.stringContaining('"ghost"') });
    expect(at(19, "type")[0]).toMatchObject({ done: "left out", what: expect.stringMatching(/calculate/) });
    expect(at(20, "type")[0]).toMatchObject({ done: "left out", what: expect.stringMatching(/repeat "members" and the 2 row/) });
    expect(at(24, "type")[0]).toMatchObject({ done: "left out", what: expect.stringMatching(/geopoint/) });
    expect(at(25, "type")[0]).toMatchObject({ done: "kept as text" });
    expect(at(26, "default")[0]).toMatchObject({ done: "left out" });
    expect(at(26, "media::image")[0]).toMatchObject({ done: "left out" });
    expect(at(12, "type")[0]).toMatchObject({ done: "added", what: expect.stringContaining("threats_other") });
    expect(rows.find((r) => r.sheet === "settings" && r.column === "version")).toMatchObject({ row: "2", done: "left out" });
    // Nothing is stored until the facilitator confirms.
    expect(await t.db.selectFrom("surveys").select("id").execute()).toHaveLength(0);

    const definition = JSON.parse(hidden(reply.text, "definition")) as SurveyDefinition;
    expect(definition.languages).toEqual([
      { code: "en", name: "English", direction: "ltr" },
      { code: "ar", name: "Arabic", direction: "rtl" },
    ]);
    const q = (id: string) => definition.questions.find((x) => x.id === id)!;
    expect(definition.questions.map((x) => x.id)).toEqual(["Age", "hh.sex", "state", "county", "safe_dark", "threats", "threats_other", "threat_most", "police_trust", "income", "reason", "incident_date", "children", "thanks"]);
    // The groups are sections: a heading in both languages, the field-list kept, the group's relevant on the section.
    expect(definition.sections).toEqual([
      { id: "respondent", label: { en: "About you", ar: "عنك" }, fieldList: true },
      { id: "adult", label: { en: "Adults", ar: "البالغون" }, showIf: { op: "compare", question: "Age", cmp: ">=", value: 18 } },
    ]);
    expect(definition.questions.filter((x) => x.section).map((x) => [x.id, x.section])).toEqual([["Age", "respondent"], ["police_trust", "adult"], ["income", "adult"]]);
    expect(q("hh.sex").options!.map((o) => o.code)).toEqual(["male", "female", "prefer.not_to_say"]);
    expect(q("Age").constraint).toEqual({
      check: { op: "all", conditions: [{ op: "compare", question: ".", cmp: ">=", value: 0 }, { op: "compare", question: ".", cmp: "<=", value: 120 }] },
      message: { en: "Age must be between 0 and 120.", ar: "يجب أن يكون العمر بين 0 و120." },
    });
    expect(q("threats").options!.map((o) => o.code)).toEqual(["theft", "armed_violence", "harassment", "other"]);
    expect(q("threats_other").showIf).toEqual({ op: "equals", question: "threats", value: "other" });
    expect(q("threat_most").showIf).toEqual({ op: "countSelected", question: "threats", cmp: ">", value: 1 });
    expect(q("police_trust").showIf).toEqual({ op: "any", conditions: [{ op: "equals", question: "threats", value: "theft" }, { op: "equals", question: "hh.sex", value: "female" }] });
    expect(q("reason").showIf).toEqual({ op: "oneOf", question: "safe_dark", values: ["3", "4", "ghost"] });

    // The same rules on the tablet and the server: the one evaluator refuses an age of 130.
    expect(validateAnswers(definition, { Age: 130, "hh.sex": "female", safe_dark: "1" }).errors.map((e) => e.code)).toEqual(["constraint_failed"]);

    // The facilitator keeps the SDG 16.1.4 suggestion and drops the agreement one.
    const suggestions = JSON.parse(hidden(reply.text, "suggestions")) as { id: string; reference?: string }[];
    expect(suggestions.map((s) => s.id)).toEqual(["safe_dark_share", "police_trust_share"]);
    const created = await web.submit(page, { intent: "xlsform-create", definition: JSON.stringify(definition), suggestions: JSON.stringify(suggestions), indicator: "safe_dark_share" });
    expect(created.status).toBe(302);
    const surveyId = /\/surveys\/([^/]+)\/edit/.exec(created.location ?? "")![1];
    const stored = JSON.parse((await t.db.selectFrom("surveys").select("draft_definition").where("id", "=", surveyId).executeTakeFirstOrThrow()).draft_definition!) as SurveyDefinition;
    expect(stored.indicators).toEqual([expect.objectContaining({ id: "safe_dark_share", question: "safe_dark", codes: ["1", "2"], reference: "SDG 16.1.4" })]);
    expect(stored.questions).toEqual(definition.questions);

    // The editor opens it, and the survey page offers it back as an XLSForm.
    expect((await web.get(`/surveys/${surveyId}/edit`)).status).toBe(200);
    expect((await web.get(`/surveys/${surveyId}`)).text).toContain(`/surveys/${surveyId}/form.xlsx`);
  });

  it("round trip: the exported XLSForm reads back to the identical definition, and Kobo's CSV of its data imports without mapping", async () => {
    const { facilitator, programme, web, page } = await aFacilitator();
    const first = await upload(web, page, "hh_protection.xlsx", await workbook(protectionForm()));
    const definition = JSON.parse(hidden(first.text, "definition")) as SurveyDefinition;
    const created = await web.submit(page, { intent: "xlsform-create", definition: JSON.stringify(definition), suggestions: hidden(first.text, "suggestions"), indicator: "safe_dark_share" });
    const surveyId = /\/surveys\/([^/]+)\/edit/.exec(created.location ?? "")![1];

    // The facilitator fills the one gap the report named (Arabic consent), then publishes.
    const draft = JSON.parse((await t.db.selectFrom("surveys").select("draft_definition").where("id", "=", surveyId).executeTakeFirstOrThrow()).draft_definition!) as SurveyDefinition;
    draft.consent.ar = "هذا الاستبيان مجهول الهوية. هل توافق على المشاركة؟";
    draft.indicators[0].label.ar = "يشعرون بالأمان";
    expect(validateDefinition(draft)).toMatchObject({ ok: true });
    await saveDraft(t.db, surveyId, draft, facilitator.id);
    expect(await publishDraft(t.db, surveyId, facilitator.id)).toEqual({ ok: true, version: 1 });

    const exported = await web.get(`/surveys/${surveyId}/form.xlsx?version=1`);
    expect(exported.status).toBe(200);
    expect(exported.headers.get("content-type")).toMatch(/spreadsheetml/);
    const bytes = new Uint8Array(await (await fetch(`${server.url}/surveys/${surveyId}/form.xlsx?version=1`, { headers: { Cookie: [...web.cookies].map(([k, v]) => `${k}=${v}`).join("; ") } })).arrayBuffer());
    const again = await upload(web, page, "exported.xlsx", bytes);
    expect(again.status).toBe(200);
    expect(JSON.parse(hidden(again.text, "definition"))).toEqual(draft);
    // Nothing is lost on the way: what is reported is what the survey itself holds (a label that
    // names an answer, a condition on a code not in the list) and the platform's own numbering.
    expect(reportRows(again.text).map((r) => [r.sheet, r.column, r.done])).toEqual([
      ["survey", "label::English (en)", "kept as text"],
      ["settings", "form_id", "left out"],
      ["settings", "version", "left out"],
      ["survey", "relevant", "warning"],
    ]);
    expect((await web.get(`/surveys/${surveyId}/form.xlsx?version=9`)).status).toBe(404);
    expect((await web.get(`/surveys/${surveyId}/form.xlsx?version=x`)).status).toBe(400);

    // Data Kobo collected with that form, exported as Kobo does (XML names, '/' groups, ';').
    const community = await createCommunity(t.db, { programmeId: programme.id, name: "Malakal PoC", region: "Upper Nile" });
    await createRound(t.db, { programmeId: programme.id, name: "Baseline 2026", kind: "baseline", startsOn: "2026-01-01", endsOn: "2026-12-31" });
    const header = ["start", "end", "deviceid", "respondent/Age", "hh.sex", "state", "county", "safe_dark", "threats", "threats/theft", "threats/armed_violence", "threats/harassment", "threats/other", "threats_other", "threat_most", "adult/police_trust", "adult/income", "reason", "incident_date", "children", "meta/instanceID", "_id", "_uuid", "_submission_time", "_validation_status", "_notes", "_status", "_submitted_by", "__version__", "_tags", "_index"];
    const u1 = "0f8c2a9e-1b2c-4d3e-8f4a-5b6c7d8e9f01";
    const u2 = "1a9d3b0f-2c3d-4e5f-9a0b-6c7d8e9f0a12";
    const rows = [
      ["2026-03-10T09:00:00.000+03:00", "2026-03-10T09:12:00.000+03:00", "collect:x1", "34", "female", "upper_nile", "malakal", "3", "theft other", "1", "0", "0", "1", "Cattle raids", "Cattle raids", "4", "1200", "Armed men at night", "2026-02-01", "2", `uuid:${u1}`, "501", u1, "2026-03-12T08:00:00", "", "", "submitted_via_web", "", "vAbc", "", "1"],
      ["2026-03-11T10:00:00.000+03:00", "2026-03-11T10:06:00.000+03:00", "collect:x1", "15", "male", "unity", "bentiu", "1", "harassment", "0", "0", "1", "0", "", "", "", "", "", "", "0", `uuid:${u2}`, "502", u2, "2026-03-12T08:00:01", "", "", "submitted_via_web", "", "vAbc", "", "2"],
    ];
    const csv = [header, ...rows].map((r) => r.map((v) => `"${v}"`).join(";")).join("\n");
    const { dry, done } = await importThroughPage(web, t.db, surveyId, { name: "hh_protection_-_all_versions_-_False_-_2026-03-12.csv", body: csv }, { fields: { community } });
    expect(dry.status).toBe(200);
    expect(unescape(dry.text)).not.toMatch(/match no question/);
    expect(done?.status).toBe(200);
    const stored = await t.db.selectFrom("responses").select(["id", "answers"]).where("survey_id", "=", surveyId).orderBy("collected_at").execute();
    expect(stored.map((r) => [r.id, JSON.parse(r.answers)])).toEqual([
      [u1, { Age: 34, "hh.sex": "female", state: "upper_nile", county: "malakal", safe_dark: "3", threats: ["theft", "other"], threats_other: "Cattle raids", threat_most: "Cattle raids", police_trust: "4", income: 1200, reason: "Armed men at night", incident_date: "2026-02-01", children: 2 }],
      [u2, { Age: 15, "hh.sex": "male", state: "unity", county: "bentiu", safe_dark: "1", threats: ["harassment"], children: 0 }],
    ]);
  });

  it("an old .xls, a file that is no workbook and a workbook without a survey sheet are refused in plain words, and nothing is stored", async () => {
    const { web, page } = await aFacilitator();
    const before = (await t.db.selectFrom("surveys").select("id").execute()).length;
    const xls = await upload(web, page, "form.xls", new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]));
    expect(xls.status).toBe(400);
    expect(unescape(xls.text)).toContain("save it as .xlsx");
    const text = await upload(web, page, "form.xlsx", new TextEncoder().encode("type,name\ntext,q1\n"));
    expect(text.status).toBe(400);
    expect(unescape(text.text)).toContain("This is not an .xlsx workbook");
    const noSurvey = await upload(web, page, "form.xlsx", await workbook({ questions: [["type", "name"], ["text", "q1"]] }));
    expect(noSurvey.status).toBe(400);
    expect(unescape(noSurvey.text)).toContain('An XLSForm needs a sheet named "survey"; this workbook has "questions"');
    const forged = await web.submit(page, { intent: "xlsform-create", definition: '{"title":1}', suggestions: "[]" });
    expect(forged.status).toBe(400);
    expect((await t.db.selectFrom("surveys").select("id").execute()).length).toBe(before);
  });
});
