// Who may author: facilitators of the programme author and publish; managers read; others see nothing.
import { afterAll, beforeAll, expect, it } from "vitest";
import { visibleText } from "../support/page-text";
import { describeEachDatabase, freshDatabase, type TestDb } from "../support/databases";
import { startServer, type RunningServer } from "../support/server";
import { HttpClient } from "../support/http-client";
import { aProgramme, aUser } from "../support/fixtures";
import { createSurvey, getLatestVersion } from "../../app/models/surveys.server";
import { getTemplate } from "../../app/survey-templates.server";

describeEachDatabase("survey access over HTTP", (dialect) => {
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

  it("a manager reads, cannot edit or publish; an outsider sees nothing; a facilitator publishes", async () => {
    const facilitator = await aUser(t.db, "Author");
    const manager = await aUser(t.db, "Reader");
    const outsider = await aUser(t.db, "Stranger");
    const p = await aProgramme(t.db, "Access Programme", [
      { userId: facilitator.id, role: "facilitator" },
      { userId: manager.id, role: "manager" },
    ]);
    const definition = structuredClone(getTemplate("focus_group_pulse")!.definition);
    const id = await createSurvey(t.db, { programmeId: p.id, definition, createdBy: facilitator.id });

    const asManager = new HttpClient(server.url);
    await asManager.signIn(manager.email, manager.password);
    const overview = await asManager.get(`/surveys/${id}`);
    expect(overview.status).toBe(200);
    // The page's words travel in its data too: what counts is what the manager sees.
    expect(visibleText(overview.text)).not.toContain("Continue editing");
    expect((await asManager.get(`/surveys/${id}/preview`)).status).toBe(200);
    expect((await asManager.get(`/surveys/${id}/definition.json`)).status).toBe(200);
    expect((await asManager.get(`/surveys/${id}/edit`)).status).toBe(403);
    expect((await asManager.get(`/programmes/${p.id}/surveys/new`)).status).toBe(403);
    const csrf = await asManager.csrfFrom(`/surveys/${id}`);
    const publish = await asManager.submit(`/surveys/${id}/edit`, { intent: "publish", definition: JSON.stringify(definition) }, { csrf });
    expect(publish.status).toBe(403);
    const close = await asManager.submit(`/surveys/${id}`, { intent: "close" }, { csrf });
    expect(close.status).toBe(403);
    expect(await getLatestVersion(t.db, id)).toBeUndefined();

    const asOutsider = new HttpClient(server.url);
    await asOutsider.signIn(outsider.email, outsider.password);
    for (const path of [`/surveys/${id}`, `/surveys/${id}/edit`, `/surveys/${id}/preview`, `/surveys/${id}/definition.json`]) {
      const reply = await asOutsider.get(path);
      expect(reply.status, path).toBe(404);
      expect(reply.text).not.toContain("pulse");
    }

    const asFacilitator = new HttpClient(server.url);
    await asFacilitator.signIn(facilitator.email, facilitator.password);
    const ok = await asFacilitator.submit(`/surveys/${id}/edit`, { intent: "publish", definition: JSON.stringify(definition) }, { page: `/surveys/${id}` });
    expect(ok.status).toBe(302);
    expect(ok.location).toBe(`/surveys/${id}?published=1`);
    expect((await getLatestVersion(t.db, id))?.version).toBe(1);
  });

  it("importing a survey file that fails validation says where and why, and creates nothing", async () => {
    const facilitator = await aUser(t.db, "Importer");
    const p = await aProgramme(t.db, "Import Programme", [{ userId: facilitator.id, role: "facilitator" }]);
    const browser = new HttpClient(server.url);
    await browser.signIn(facilitator.email, facilitator.password);
    const broken = structuredClone(getTemplate("sdg16_core")!.definition);
    broken.questions[2].id = broken.questions[1].id; // duplicate id
    const csrf = await browser.csrfFrom(`/programmes/${p.id}/surveys/new`);
    const form = new FormData();
    form.set("csrf", csrf);
    form.set("intent", "import");
    form.set("file", new Blob([JSON.stringify(broken)], { type: "application/json" }), "shared-survey.json");
    const reply = await browser.request(`/programmes/${p.id}/surveys/new`, { method: "POST", body: form });
    expect(reply.status).toBe(400);
    expect(reply.text).toContain("cannot be imported");
    expect(reply.text).toMatch(/questions\.2\.id/);
    const surveys = await t.db.selectFrom("surveys").select("id").where("programme_id", "=", p.id).execute();
    expect(surveys).toHaveLength(0);

    const good = structuredClone(getTemplate("sdg16_core")!.definition);
    form.set("file", new Blob([JSON.stringify(good)], { type: "application/json" }), "shared-survey.json");
    const imported = await browser.request(`/programmes/${p.id}/surveys/new`, { method: "POST", body: form });
    expect(imported.status).toBe(302);
    expect(imported.location).toMatch(/^\/surveys\/[^/]+\/edit$/);
  });
});
