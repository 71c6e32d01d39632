// Who collected it, over real HTTP on each database: a tablet is named when a facilitator arms it,
// each session it sends records that name and the facilitator who ran it (a member of the link's
// programme, or no one), and the programme's sessions page and the raw export show both. A bad name
// changes nothing.
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachDatabase, freshDatabase, type TestDb } from "../support/databases";
import { startServer, type RunningServer } from "../support/server";
import { HttpClient } from "../support/http-client";
import { aProgramme, aPublishedSurvey, aUser, sdg16Answers } from "../support/fixtures";
import { randomUUID } from "node:crypto";
import Papa from "papaparse";
import { listAudit } from "../../app/models/audit.server";
import { sealResponse, type SealingKey } from "../../app/collector/seal";

describeEachDatabase("which tablet and which facilitator collected a session", (dialect) => {
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

  const json = (body: unknown) => ({ method: "POST", body: JSON.stringify(body), headers: { "Content-Type": "application/json" } });

  it("arming names the tablet; its sessions carry the name and their facilitator to the sessions page", async () => {
    const s = await aPublishedSurvey(t.db, { mode: "kiosk", pin: "246813" });
    const web = new HttpClient(server.url);
    await web.signIn(s.facilitator.email, s.facilitator.password);

    // Too long a name: refused, naming the field; the tablet is not armed and nothing is audited.
    const tooLong = await web.request(`/api/v1/links/${s.link.token}/arming`, json({ deviceName: "T".repeat(61) }));
    expect(tooLong.status).toBe(400);
    expect(tooLong.json().error).toMatchObject({ path: "deviceName" });
    expect(tooLong.text).not.toContain("pbkdf2");
    expect(await listAudit(t.db, { action: "link.arm" })).toHaveLength(0);

    await web.signIn(s.facilitator.email, s.facilitator.password);
    const armed = await web.request(`/api/v1/links/${s.link.token}/arming`, json({ deviceName: "  Tablet 3 " }));
    expect(armed.status).toBe(200);
    expect(armed.json()).toMatchObject({
      deviceName: "Tablet 3",
      armedBy: { id: s.facilitator.id, name: "Survey Facilitator" },
      facilitators: [{ id: s.facilitator.id, name: "Survey Facilitator" }],
    });
    expect((await listAudit(t.db, { action: "link.arm" }))[0].details).toMatchObject({ deviceName: "Tablet 3" });

    // Two sessions: one run by the programme's facilitator, one naming someone from another programme.
    const stranger = await aUser(t.db, "Other Facilitator");
    await aProgramme(t.db, "Elsewhere", [{ userId: stranger.id, role: "facilitator" }]);
    const session = (id: string, facilitatorId: string, group: string) => ({
      id,
      heldOn: "2026-03-02",
      groupDescription: group,
      participantCount: 9,
      notes: "",
      updatedAt: "2026-03-02T10:00:00Z",
      deviceName: "Tablet 3",
      facilitatorId,
    });
    const tablet = new HttpClient(server.url);
    const sent = await tablet.request(
      `/api/v1/links/${s.link.token}/sessions`,
      json({ sessions: [session("6f1c1c3e-8f9b-4a4e-9d1e-0a5b2c3d4e01", s.facilitator.id, "women"), session("6f1c1c3e-8f9b-4a4e-9d1e-0a5b2c3d4e02", stranger.id, "men")] }),
    );
    expect(sent.status).toBe(200);
    const rows = await t.db.selectFrom("fg_sessions").select(["group_description", "device_name", "facilitator_id", "facilitator_name"]).orderBy("group_description").execute();
    expect(rows).toEqual([
      { group_description: "men", device_name: "Tablet 3", facilitator_id: null, facilitator_name: null },
      { group_description: "women", device_name: "Tablet 3", facilitator_id: s.facilitator.id, facilitator_name: "Survey Facilitator" },
    ]);

    const manager = new HttpClient(server.url);
    await manager.signIn(s.facilitator.email, s.facilitator.password);
    const page = await manager.request(`/programmes/${s.programme.id}/sessions`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<td data-col="device">Tablet 3</td>');
    expect(page.text).toContain('<td data-col="facilitator">Survey Facilitator</td>');

    // A response given in the women's session, sealed as the tablet sends it, carries both into the export.
    const bundle = (await (await fetch(`${server.url}/api/v1/links/${s.link.token}`)).json()) as { sealing: SealingKey };
    const response = { id: randomUUID(), surveyVersion: 1, collectedAt: "2026-03-02T10:30:00.000Z", language: "en", sessionId: "6f1c1c3e-8f9b-4a4e-9d1e-0a5b2c3d4e01", answers: sdg16Answers() };
    const stored = await tablet.request(`/api/v1/links/${s.link.token}/responses`, json({ responses: [sealResponse(bundle.sealing, response)] }));
    expect(stored.json().results).toEqual([{ id: response.id, status: "created" }]);
    const csv = await manager.request(`/api/v1/surveys/${s.surveyId}/responses.csv`);
    expect(csv.status).toBe(200);
    const [header, row] = Papa.parse<string[]>(csv.text.trim()).data;
    const cell = (name: string) => row[header.indexOf(name)];
    expect(cell("response_id")).toBe(response.id);
    expect(cell("device")).toBe("Tablet 3");
    expect(cell("facilitator")).toBe("Survey Facilitator");
  });
});
