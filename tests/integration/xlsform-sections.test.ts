// A programme's Kobo form is built from groups: a field-list group of the respondent's facts, an
// adults' group with a women's group inside it, and a wrapping group without a label. The import
// keeps each as a section (nested ones flattened, with every enclosing condition), the server holds
// submitted answers to the sections' conditions exactly as the tablet does, and the survey goes
// back out as an XLSForm that reads back to the same definition. Over HTTP, SQLite and PostgreSQL.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachDatabase, freshDatabase, type TestDb } from "../support/databases";
import { startServer, type RunningServer } from "../support/server";
import { HttpClient } from "../support/http-client";
import { aLink, aProgramme, aUser } from "../support/fixtures";
import { groupedForm, workbook } from "../support/xlsform";
import { createRound } from "../../app/models/rounds.server";
import { publishDraft } from "../../app/models/surveys.server";
import type { SurveyDefinition } from "../../app/survey";

const unescape = (s: string) => s.replace(/&quot;/g, '"').replace(/&#x27;|&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
const hidden = (html: string, name: string) => {
  const m = new RegExp(`name="${name}" value="([^"]*)"`).exec(html);
  if (!m) throw new Error(`no hidden ${name} on the page: ${html.slice(0, 300)}`);
  return unescape(m[1]);
};
const reportRows = (html: string) =>
  [...html.matchAll(/<tr class="done-[^"]*"><td>([^<]*)<\/td><td>([^<]*)<\/td><td>(?:<code>([^<]*)<\/code>|—)<\/td><td>(.*?)<\/td><td>([^<]*)<\/td><\/tr>/g)].map((m) => ({
    sheet: m[1],
    row: m[2],
    column: m[3] ? unescape(m[3]) : null,
    what: unescape(m[4].replace(/<!-- -->/g, "")),
    done: m[5],
  }));

describeEachDatabase("XLSForm groups become sections", (dialect) => {
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

  async function upload(web: HttpClient, page: string, name: string, bytes: Uint8Array) {
    const form = new FormData();
    form.set("csrf", await web.csrfFrom(page));
    form.set("intent", "xlsform");
    form.set("file", new Blob([Buffer.from(bytes)]), name);
    return web.request(page, { method: "POST", body: form });
  }

  it("groups, a field-list and nested groups are kept as sections; the server refuses what a hidden section holds; the export reads back the same", async () => {
    const facilitator = await aUser(t.db, "Hodan Facilitator");
    const programme = await aProgramme(t.db, `Mogadishu markets ${Math.random().toString(36).slice(2, 6)}`, [{ userId: facilitator.id, role: "facilitator" }]);
    const web = new HttpClient(server.url);
    await web.signIn(facilitator.email, facilitator.password);
    const page = `/programmes/${programme.id}/surveys/new`;

    const reply = await upload(web, page, "market_safety.xlsx", await workbook(groupedForm()));
    expect(reply.status).toBe(200);
    // What the flattening changed is reported where it is in the workbook.
    expect(reportRows(reply.text).filter((r) => r.done === "changed").map((r) => [r.row, r.column, r.what])).toEqual([
      ["9", "type", expect.stringContaining('The group "women" is inside the group "adults"')],
      ["7", "name", expect.stringContaining('its questions from there on are the section "adults_2"')],
    ]);

    const definition = JSON.parse(hidden(reply.text, "definition")) as SurveyDefinition;
    const adult = { op: "compare", question: "age", cmp: ">=", value: 18 } as const;
    expect(definition.sections).toEqual([
      { id: "about", label: { en: "About you", so: "Adiga" }, fieldList: true },
      { id: "adults", label: { en: "At the market", so: "Suuqa" }, showIf: adult },
      { id: "women", label: { en: "Women at the market", so: "Haweenka suuqa" }, showIf: { op: "all", conditions: [adult, { op: "equals", question: "sex", value: "female" }] } },
      { id: "adults_2", label: { en: "At the market", so: "Suuqa" }, showIf: adult },
      { id: "closing" },
    ]);
    expect(definition.questions.map((q) => [q.id, q.section, q.showIf ?? null])).toEqual([
      ["age", "about", null],
      ["sex", "about", null],
      ["hh.size", "about", adult],
      ["safe_market", "adults", null],
      ["harassed", "women", null],
      ["stall", "adults_2", null],
      ["comment", "closing", null],
    ]);

    // Created and published as it came: the form is complete in both languages.
    const created = await web.submit(page, { intent: "xlsform-create", definition: JSON.stringify(definition), suggestions: hidden(reply.text, "suggestions") });
    expect(created.status).toBe(302);
    const surveyId = /\/surveys\/([^/]+)\/edit/.exec(created.location ?? "")![1];
    const stored = JSON.parse((await t.db.selectFrom("surveys").select("draft_definition").where("id", "=", surveyId).executeTakeFirstOrThrow()).draft_definition!) as SurveyDefinition;
    expect(stored.sections).toEqual(definition.sections);
    expect(await publishDraft(t.db, surveyId, facilitator.id)).toEqual({ ok: true, version: 1 });

    // Phones send answers through a self-completion link; the server judges each by the sections.
    const roundId = await createRound(t.db, { programmeId: programme.id, name: "Baseline", kind: "baseline", startsOn: "2026-01-01", endsOn: "2026-12-31" });
    const link = await aLink(t.db, { surveyId, mode: "self", label: "Market poster", communityId: programme.communityId, roundId, maxResponses: null, pin: null, createdBy: facilitator.id });
    const send = async (answers: Record<string, unknown>) => {
      const res = await fetch(`${server.url}/api/v1/links/${link.token}/responses`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ responses: [{ id: randomUUID(), surveyVersion: 1, collectedAt: "2026-11-20T12:05:00Z", language: "so", answers }] }),
      });
      expect(res.status).toBe(200);
      const result = ((await res.json()) as { results: { status: string; errors?: { code: string; path: string }[] }[] }).results[0];
      return [result.status, (result.errors ?? []).map((e) => [e.code, e.path])];
    };
    // A girl of 12 sees only her own facts and the closing question.
    expect(await send({ age: 12, sex: "female", comment: "The road is dark." })).toEqual(["created", []]);
    // An answer inside the adults' section, or its women's section, is hidden by skip logic for her.
    expect(await send({ age: 12, sex: "female", safe_market: "2" })).toEqual(["rejected", [["hidden_by_logic", "answers.safe_market"]]]);
    expect(await send({ age: 12, sex: "female", harassed: "no" })).toEqual(["rejected", [["hidden_by_logic", "answers.harassed"]]]);
    // A man sees the adults' sections but not the women's.
    expect(await send({ age: 40, sex: "male", "hh.size": 5, safe_market: "1", harassed: "no" })).toEqual(["rejected", [["hidden_by_logic", "answers.harassed"]]]);
    expect(await send({ age: 40, sex: "male", "hh.size": 5, safe_market: "1", stall: "yes" })).toEqual(["created", []]);
    // A woman must answer the women's required question; then her answers are taken.
    expect(await send({ age: 30, sex: "female", safe_market: "3" })).toEqual(["rejected", [["required", "answers.harassed"]]]);
    expect(await send({ age: 30, sex: "female", safe_market: "3", harassed: "yes", stall: "no" })).toEqual(["created", []]);
    const kept = await t.db.selectFrom("responses").select("answers").where("survey_id", "=", surveyId).execute();
    expect(kept.map((r) => JSON.parse(r.answers).age).sort()).toEqual([12, 30, 40]);

    // Out as an XLSForm (groups written back) and in again: the identical definition.
    const bytes = new Uint8Array(await (await fetch(`${server.url}/surveys/${surveyId}/form.xlsx?version=1`, { headers: { Cookie: [...web.cookies].map(([k, v]) => `${k}=${v}`).join("; ") } })).arrayBuffer());
    const again = await upload(web, page, "exported.xlsx", bytes);
    expect(again.status).toBe(200);
    expect(JSON.parse(hidden(again.text, "definition"))).toEqual(stored);
    expect(reportRows(again.text).filter((r) => r.sheet === "survey")).toEqual([]);
  });
});
