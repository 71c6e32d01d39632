// Collection links over real HTTP, on each database: a facilitator creates and revokes them, a
// manager only looks, an outsider sees nothing; posters carry the QR as SVG; and nothing a
// respondent or facilitator typed is ever rendered as HTML on any page that shows it.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachDatabase, freshDatabase, type TestDb } from "../support/databases";
import { startServer, type RunningServer } from "../support/server";
import { HttpClient } from "../support/http-client";
import { aPublishedSurvey, aUser, sdg16Answers, aLink } from "../support/fixtures";
import { setMembership } from "../../app/models/programmes.server";
import { checkPin } from "../../app/models/collection-links.server";
import { visibleText } from "../support/page-text";

const SCRIPT = `<script>alert("x")</script><img src=x onerror=alert(1)>`;

describeEachDatabase("collection links", (dialect) => {
  let t: TestDb;
  let server: RunningServer;
  let fixture: Awaited<ReturnType<typeof aPublishedSurvey>>;
  let facilitator: HttpClient;
  let manager: HttpClient;
  let outsider: HttpClient;

  beforeAll(async () => {
    t = await freshDatabase(dialect);
    server = await startServer(t);
    fixture = await aPublishedSurvey(t.db, {
      edit: (d) =>
        d.questions.push({ id: "comment", type: "text", label: { en: "Anything else?", fr: "Autre chose ?", ar: "شيء آخر؟" } }),
    });
    const m = await aUser(t.db, "Programme Manager");
    await setMembership(t.db, { programmeId: fixture.programme.id, userId: m.id, role: "manager" });
    const o = await aUser(t.db, "Someone Else");
    facilitator = new HttpClient(server.url);
    manager = new HttpClient(server.url);
    outsider = new HttpClient(server.url);
    await facilitator.signIn(fixture.facilitator.email, fixture.facilitator.password);
    await manager.signIn(m.email, m.password);
    await outsider.signIn(o.email, o.password);
  });
  afterAll(async () => {
    await server?.close();
    await t?.drop();
  });

  const linksPage = () => `/surveys/${fixture.surveyId}/links`;
  const linkByLabel = (label: string) => t.db.selectFrom("collection_links").selectAll().where("label", "=", label).executeTakeFirst();

  it("a facilitator creates a tablet link with a PIN and a community link, then revokes one", async () => {
    const tablet = await facilitator.submit(linksPage(), { intent: "create", mode: "kiosk", label: "Tablet 2", pin: "135790", communityId: fixture.programme.communityId, roundId: fixture.roundId });
    expect(tablet.status).toBe(200);
    expect(tablet.text).toContain("is ready");
    const stored = await linkByLabel("Tablet 2");
    expect(stored).toMatchObject({ mode: "kiosk", community_id: fixture.programme.communityId, round_id: fixture.roundId });
    expect(checkPin(stored!.kiosk_pin!, "135790")).toBe(true);

    const phones = await facilitator.submit(linksPage(), { intent: "create", mode: "self", label: "Market poster", expiresOn: "2099-12-31", maxResponses: "300" });
    expect(phones.status).toBe(200);
    const poster = await linkByLabel("Market poster");
    expect(poster).toMatchObject({ mode: "self", kiosk_pin: null, expires_at: "2099-12-31T23:59:59.999Z" });
    expect(Number(poster!.max_responses)).toBe(300);

    // The page lists both, with their addresses and QR codes.
    const page = await facilitator.get(linksPage());
    expect(page.text).toContain(`/c/${stored!.token}`);
    expect(page.text).toContain(`/c/${poster!.token}`);
    expect(page.text.match(/<svg[^>]*role="img"/g)?.length).toBeGreaterThanOrEqual(2);

    const revoked = await facilitator.submit(linksPage(), { intent: "revoke", linkId: stored!.id });
    expect(revoked.status).toBe(200);
    expect((await linkByLabel("Tablet 2"))!.revoked_at).not.toBeNull();
    expect((await fetch(`${server.url}/api/v1/links/${stored!.token}`)).status).toBe(401);
    expect((await facilitator.get(linksPage())).text).toContain("Revoked");
  });

  it("refuses a tablet link without a 6–8 digit PIN, saying why", async () => {
    for (const pin of ["", "12", "1234", "12345", "123456789", "12ab56"]) {
      const reply = await facilitator.submit(linksPage(), { intent: "create", mode: "kiosk", label: `No PIN ${pin}`, pin });
      expect(reply.status).toBe(400);
      expect(reply.text).toContain("PIN of 6 to 8 digits");
      expect(await linkByLabel(`No PIN ${pin}`)).toBeUndefined();
    }
    const past = await facilitator.submit(linksPage(), { intent: "create", mode: "self", label: "Too late", expiresOn: "2020-01-01" });
    expect(past.status).toBe(400);
    expect(past.text).toContain("already passed");
  });

  it("a manager sees the links but cannot create or revoke; an outsider sees nothing", async () => {
    const seen = await manager.get(linksPage());
    expect(seen.status).toBe(200);
    expect(seen.text).toContain("Market poster");
    // The page's words travel with it (all of them); the form and its button are not drawn.
    expect(visibleText(seen.text)).not.toContain("Create link");
    const csrf = await manager.csrfFrom(linksPage());
    expect((await manager.submit(linksPage(), { intent: "create", mode: "self", label: "By a manager" }, { csrf })).status).toBe(403);
    const target = await linkByLabel("Market poster");
    expect((await manager.submit(linksPage(), { intent: "revoke", linkId: target!.id }, { csrf })).status).toBe(403);
    expect((await linkByLabel("Market poster"))!.revoked_at).toBeNull();
    expect(await linkByLabel("By a manager")).toBeUndefined();

    expect((await outsider.get(linksPage())).status).toBe(404);
    expect((await outsider.get(`${linksPage()}/${target!.id}/poster`)).status).toBe(404);
    const outsiderCsrf = await outsider.csrfFrom("/");
    expect((await outsider.submit(linksPage(), { intent: "create", mode: "self", label: "By an outsider" }, { csrf: outsiderCsrf })).status).toBe(404);
  });

  it("the poster shows the QR code as SVG, the address and the title in every language", async () => {
    const target = await linkByLabel("Market poster");
    const reply = await manager.get(`${linksPage()}/${target!.id}/poster`);
    expect(reply.status).toBe(200);
    expect(reply.text).toMatch(/<svg[^>]*class="qr poster-qr"[^>]*>.*<path d="M\d/s);
    expect(reply.text).toContain(`/c/${target!.token}`);
    for (const lang of fixture.definition.languages) expect(reply.text).toContain(`lang="${lang.code}"`);
    expect(reply.text).toContain("Scan the code");
    expect((await manager.get(`${linksPage()}/not-a-link/poster`)).status).toBe(404);
  });

  it("never renders typed text as HTML: link labels, session notes and free-text answers", async () => {
    const hostile = await aLink(t.db, { surveyId: fixture.surveyId, mode: "kiosk", label: `Tablet ${SCRIPT}`, pin: "2468", createdBy: fixture.facilitator.id });
    const sessionId = randomUUID();
    const sessions = await fetch(`${server.url}/api/v1/links/${hostile.token}/sessions`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        sessions: [{ id: sessionId, heldOn: "2026-11-20", groupDescription: `women ${SCRIPT}`, participantCount: 8, notes: `notes ${SCRIPT}`, updatedAt: "2026-11-20T12:00:00Z" }],
        refusals: [],
      }),
    });
    expect(sessions.status).toBe(200);
    const responses = await fetch(`${server.url}/api/v1/links/${hostile.token}/responses`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        responses: [{ id: randomUUID(), surveyVersion: 1, collectedAt: "2026-11-20T12:05:00Z", language: "en", sessionId, answers: { ...sdg16Answers(), comment: SCRIPT } }],
      }),
    });
    expect((await responses.json()).results[0].status).toBe("created");

    // Every page that could show a label, a note or an answer; pages not built yet answer 404 and are skipped.
    const pages = [
      `/surveys/${fixture.surveyId}`,
      linksPage(),
      `${linksPage()}/${hostile.id}/poster`,
      `/surveys/${fixture.surveyId}/data`,
      `/surveys/${fixture.surveyId}/responses`,
      `/surveys/${fixture.surveyId}/sessions`,
      `/programmes/${fixture.programme.id}`,
      `/programmes/${fixture.programme.id}/dashboard`,
      `/programmes/${fixture.programme.id}/sessions`,
      `/programmes/${fixture.programme.id}/report`,
      `/programmes/${fixture.programme.id}/feedback`,
      `/c/${hostile.token}`,
    ];
    let checked = 0;
    for (const path of pages) {
      const reply = await facilitator.get(path);
      if (reply.status === 404) continue;
      expect(reply.status, path).toBe(200);
      checked++;
      expect(reply.text, path).not.toContain(`<script>alert("x")`);
      expect(reply.text, path).not.toContain("<img src=x");
    }
    expect(checked).toBeGreaterThanOrEqual(4);
    // The label is shown, escaped, where facilitators look for it.
    expect((await facilitator.get(linksPage())).text).toContain("Tablet &lt;script&gt;");
  });
});
