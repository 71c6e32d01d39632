// Recorded voices, on both databases: a facilitator uploads a voice per prompt and language on the
// Voices page; bad clips are refused naming the field and change nothing; publishing freezes the set
// (a later recording waits for the next version); a tablet fetches only what a published version of
// its link's survey carries, with long cache headers; outsiders see nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeEachDatabase, freshDatabase, type TestDb } from "../support/databases";
import { startServer, type RunningServer } from "../support/server";
import { HttpClient } from "../support/http-client";
import { aLink, aProgramme, aPublishedSurvey, aUser } from "../support/fixtures";
import { revokeLink } from "../../app/models/collection-links.server";
import { toneWav } from "../../app/bench/wav";
import { MAX_CLIP_BYTES, MAX_SURVEY_VOICE_BYTES } from "../../app/voices/prompts";
import { sniffAudio } from "../../app/voices/audio-check";

describe("what a clip's first bytes say it is", () => {
  it("knows the containers the page accepts and nothing else", () => {
    expect(sniffAudio(toneWav(0.1))).toBe("audio/wav");
    expect(sniffAudio(new Uint8Array([0x1a, 0x45, 0xdf, 0xa3, 0, 0, 0, 0, 0, 0, 0, 0]))).toBe("audio/webm");
    expect(sniffAudio(new TextEncoder().encode("OggS\0\x02\0\0\0\0\0\0\0"))).toBe("audio/ogg");
    expect(sniffAudio(new TextEncoder().encode("\0\0\0\x20ftypM4A \0\0"))).toBe("audio/mp4");
    expect(sniffAudio(new TextEncoder().encode("ID3\x04\0\0\0\0\0\0\0\0"))).toBe("audio/mpeg");
    expect(sniffAudio(new Uint8Array([0xff, 0xf1, 0x50, 0x80, 0, 0, 0, 0, 0, 0, 0, 0]))).toBe("audio/aac");
    expect(sniffAudio(new TextEncoder().encode("<!doctype html><p>"))).toBeNull();
  });
});

describeEachDatabase("recorded voices", (dialect) => {
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

  async function signedIn(email: string, password: string) {
    const http = new HttpClient(server.url);
    await http.signIn(email, password);
    return http;
  }

  /** Uploads a clip as the page's file input does (multipart, with the page's CSRF token). */
  async function upload(http: HttpClient, surveyId: string, fields: { prompt: string; lang: string; bytes?: Uint8Array; type?: string; name?: string }) {
    const csrf = await http.csrfFrom(`/surveys/${surveyId}/voices`);
    const form = new FormData();
    form.set("csrf", csrf);
    form.set("intent", "upload");
    form.set("prompt", fields.prompt);
    form.set("lang", fields.lang);
    if (fields.bytes) form.set("file", new File([fields.bytes as BlobPart], fields.name ?? "clip.wav", { type: fields.type ?? "audio/wav" }));
    return http.request(`/surveys/${surveyId}/voices`, { method: "POST", body: form });
  }

  /** The refusal as the page shows it: the field it names and the message. */
  const refusal = (reply: { text: string }) => {
    const m = /data-field="([^"]+)">([^<]*)</.exec(reply.text);
    return m ? { field: m[1], error: m[2].replace(/&quot;/g, '"').replace(/&#x27;/g, "'") } : null;
  };

  const voiceRows = (surveyId: string) => t.db.selectFrom("survey_voices").selectAll().where("survey_id", "=", surveyId).orderBy("version").orderBy("prompt_key").orderBy("language").execute();
  const clipCount = async (surveyId: string) => (await t.db.selectFrom("voice_clips").select("hash").where("survey_id", "=", surveyId).execute()).length;

  it("a facilitator uploads voices in two languages; the page lists them with their sizes, and the same clip is kept once", async () => {
    const s = await aPublishedSurvey(t.db);
    const http = await signedIn(s.facilitator.email, s.facilitator.password);
    const clip = toneWav(3, { seed: 7 });
    const fr = toneWav(2.5, { seed: 8 });
    for (const [prompt, lang, bytes] of [["q:safe_after_dark", "en", clip], ["q:safe_after_dark:option:1", "en", clip], ["q:safe_after_dark", "fr", fr]] as const) {
      const res = await upload(http, s.surveyId, { prompt, lang, bytes });
      expect(res.status, res.text).toBe(200);
    }
    expect(await clipCount(s.surveyId)).toBe(2);
    // A recording as Chromium's MediaRecorder sends it: WebM with its codec named; stored as audio/webm.
    const webm = new Uint8Array([0x1a, 0x45, 0xdf, 0xa3, ...new TextEncoder().encode("B\x86\x81\x01webm recording bytes")]);
    const recorded = await upload(http, s.surveyId, { prompt: "consent", lang: "ar", bytes: webm, type: "audio/webm;codecs=opus", name: "recording.webm" });
    expect(recorded.status, recorded.text).toBe(200);
    const stored = await t.db.selectFrom("survey_voices").innerJoin("voice_clips", (j) => j.onRef("voice_clips.hash", "=", "survey_voices.clip_hash")).select(["mime_type", "size"]).where("survey_voices.survey_id", "=", s.surveyId).where("language", "=", "ar").executeTakeFirstOrThrow();
    expect({ ...stored, size: Number(stored.size) }).toEqual({ mime_type: "audio/webm", size: webm.byteLength });
    const page = await http.get(`/surveys/${s.surveyId}/voices?lang=fr`);
    expect(page.status).toBe(200);
    expect(page.text).toContain("1 of");
    expect(page.text).toContain(`${Math.round(fr.byteLength / 1024)} KB`);
    // What was uploaded plays back, byte for byte.
    const hash = (await voiceRows(s.surveyId)).find((r) => r.language === "fr")!.clip_hash;
    const back = await fetch(`${server.url}/surveys/${s.surveyId}/voice-clips/${hash}`, { headers: { Cookie: [...http.cookies].map(([k, v]) => `${k}=${v}`).join("; ") } });
    expect(back.headers.get("content-type")).toBe("audio/wav");
    expect(new Uint8Array(await back.arrayBuffer())).toEqual(fr);
  });

  it("refuses an oversized clip (413), another type, bytes that are not audio, an unknown prompt or language (400), each naming the field, and changes nothing", async () => {
    const s = await aPublishedSurvey(t.db);
    const http = await signedIn(s.facilitator.email, s.facilitator.password);
    const ok = await upload(http, s.surveyId, { prompt: "consent", lang: "en", bytes: toneWav(2) });
    expect(ok.status).toBe(200);
    const before = await voiceRows(s.surveyId);

    const big = toneWav((MAX_CLIP_BYTES + 10_000) / 8000);
    const tooBig = await upload(http, s.surveyId, { prompt: "consent", lang: "en", bytes: big });
    expect(tooBig.status).toBe(413);
    expect(refusal(tooBig)?.field).toBe("file");
    expect(refusal(tooBig)?.error).toMatch(/1024 KB/);

    const video = await upload(http, s.surveyId, { prompt: "consent", lang: "en", bytes: toneWav(1), type: "video/mp4", name: "clip.mp4" });
    expect(video.status).toBe(400);
    expect(refusal(video)?.field).toBe("file");
    expect(refusal(video)?.error).toMatch(/video\/mp4/);

    const page = await upload(http, s.surveyId, { prompt: "consent", lang: "en", bytes: new TextEncoder().encode("<html><body>not a sound at all</body></html>"), type: "audio/mpeg", name: "x.mp3" });
    expect(page.status).toBe(400);
    expect(refusal(page)?.field).toBe("file");

    const prompt = await upload(http, s.surveyId, { prompt: "q:no_such_question", lang: "en", bytes: toneWav(1) });
    expect(prompt.status).toBe(400);
    expect(refusal(prompt)?.field).toBe("prompt");

    const lang = await upload(http, s.surveyId, { prompt: "consent", lang: "so", bytes: toneWav(1) });
    expect(lang.status).toBe(400);
    expect(refusal(lang)?.field).toBe("lang");

    const none = await upload(http, s.surveyId, { prompt: "consent", lang: "en" });
    expect(none.status).toBe(400);
    expect(refusal(none)?.field).toBe("file");

    expect(await voiceRows(s.surveyId)).toEqual(before);
    expect(await clipCount(s.surveyId)).toBe(1);
  });

  it("keeps a survey's voices under its total: the clip that would pass it is refused with 413", async () => {
    const s = await aPublishedSurvey(t.db);
    const http = await signedIn(s.facilitator.email, s.facilitator.password);
    const prompts = ["consent", "q:intro", "q:safe_after_dark", "q:safe_daytime", "q:trust_police", "q:trust_courts", "q:would_report_crime", "q:report_to", "q:gender", "q:age_band", "q:disability"];
    const perClip = MAX_CLIP_BYTES - 1000;
    const fit = Math.floor(MAX_SURVEY_VOICE_BYTES / perClip);
    const slots = ["en", "fr", "ar"].flatMap((lang) => prompts.map((prompt) => ({ prompt, lang })));
    for (let i = 0; i < fit; i++) {
      const res = await upload(http, s.surveyId, { ...slots[i], bytes: toneWav((perClip - 44) / 8000, { seed: i + 1 }) });
      expect(res.status, `clip ${i}`).toBe(200);
    }
    const over = await upload(http, s.surveyId, { ...slots[fit], bytes: toneWav((perClip - 44) / 8000, { seed: 999 }) });
    expect(over.status).toBe(413);
    expect(refusal(over)?.field).toBe("file");
    expect(refusal(over)?.error).toMatch(/tablet/);
    expect(await clipCount(s.surveyId)).toBe(fit);
  });

  it("outsiders see nothing, managers cannot record, and a link's holder gets only what a published version carries", async () => {
    const s = await aPublishedSurvey(t.db);
    const http = await signedIn(s.facilitator.email, s.facilitator.password);
    expect((await upload(http, s.surveyId, { prompt: "q:gender", lang: "en", bytes: toneWav(2, { seed: 3 }) })).status).toBe(200);
    const hash = (await voiceRows(s.surveyId))[0].clip_hash;

    const outsider = await aUser(t.db, "Other Facilitator");
    await aProgramme(t.db, "Elsewhere", [{ userId: outsider.id, role: "facilitator" }]);
    const asOutsider = await signedIn(outsider.email, outsider.password);
    expect((await asOutsider.get(`/surveys/${s.surveyId}/voices`)).status).toBe(404);
    expect((await asOutsider.get(`/surveys/${s.surveyId}/voice-clips/${hash}`)).status).toBe(404);

    const manager = await aUser(t.db, "Programme Manager");
    const { setMembership } = await import("../../app/models/programmes.server");
    await setMembership(t.db, { programmeId: s.programme.id, userId: manager.id, role: "manager" });
    const asManager = await signedIn(manager.email, manager.password);
    expect((await asManager.get(`/surveys/${s.surveyId}/voices`)).status).toBe(403);

    // Anonymous, through the link: the working set is not published yet.
    const anon = new HttpClient(server.url);
    expect((await anon.get(`/api/v1/links/${s.link.token}/voices/${hash}`)).status).toBe(404);
    expect((await anon.get(`/surveys/${s.surveyId}/voice-clips/${hash}`)).status).toBe(302);
    expect((await anon.get(`/api/v1/links/${s.link.token}`)).json().voices).toEqual([]);

    const csrf = await http.csrfFrom(`/surveys/${s.surveyId}/voices`);
    const published = await http.submit(`/surveys/${s.surveyId}/voices`, { intent: "publish" }, { csrf });
    expect(published.status).toBe(200);
    // The links page says what a tablet will download, the voice included.
    const links = await http.get(`/surveys/${s.surveyId}/links`);
    const line = /data-bundle-bytes="(\d+)">([^<]*)/.exec(links.text);
    expect(line?.[2]).toMatch(/^A tablet downloads \d+ KB for this survey: the survey \d+ KB and 1 recorded voice \(16 KB\)\.$/);
    expect(Number(line?.[1])).toBeGreaterThan(toneWav(2).byteLength);
    const clip = await fetch(`${server.url}/api/v1/links/${s.link.token}/voices/${hash}`);
    expect(clip.status).toBe(200);
    expect(clip.headers.get("cache-control")).toBe("private, max-age=31536000, immutable");
    expect(clip.headers.get("etag")).toBe(`"${hash}"`);
    expect((await clip.arrayBuffer()).byteLength).toBe(toneWav(2).byteLength);
    const again = await fetch(`${server.url}/api/v1/links/${s.link.token}/voices/${hash}`, { headers: { "If-None-Match": `"${hash}"` } });
    expect(again.status).toBe(304);

    // Another survey's link cannot reach this clip; a revoked link reaches nothing.
    const other = await aPublishedSurvey(t.db);
    expect((await anon.get(`/api/v1/links/${other.link.token}/voices/${hash}`)).status).toBe(404);
    const spare = await aLink(t.db, { surveyId: s.surveyId, mode: "self", label: "Spare", createdBy: s.facilitator.id });
    expect((await anon.get(`/api/v1/links/${spare.token}/voices/${hash}`)).status).toBe(200);
    await revokeLink(t.db, s.surveyId, spare.id);
    expect((await anon.get(`/api/v1/links/${spare.token}/voices/${hash}`)).status).toBe(401);
    expect((await anon.get(`/api/v1/links/${s.link.token}/voices/not-a-hash`)).status).toBe(404);
  });

  it("publishing freezes the voices: a later recording waits for the next version, and the older version keeps its clip", async () => {
    const s = await aPublishedSurvey(t.db);
    const http = await signedIn(s.facilitator.email, s.facilitator.password);
    const first = toneWav(2, { seed: 11 });
    const second = toneWav(2, { seed: 12 });
    expect((await upload(http, s.surveyId, { prompt: "consent", lang: "ar", bytes: first })).status).toBe(200);
    const publish = async () => http.submit(`/surveys/${s.surveyId}/voices`, { intent: "publish" }, { csrf: await http.csrfFrom(`/surveys/${s.surveyId}/voices`) });
    expect((await publish()).status).toBe(200);

    const audit = await t.db.selectFrom("audit_log").select(["action", "details"]).where("survey_id", "=", s.surveyId).execute();
    expect(audit.map((a) => [a.action, JSON.parse(String(a.details))])).toEqual([["survey.publish", { version: 2, from: "voices" }]]);
    const anon = new HttpClient(server.url);
    const v2 = (await anon.get(`/api/v1/links/${s.link.token}`)).json();
    expect(v2.survey.version).toBe(2);
    expect(v2.voices).toEqual([{ prompt: "consent", language: "ar", hash: expect.stringMatching(/^[0-9a-f]{32}$/) }]);
    const firstHash = v2.voices[0].hash;

    // Re-recorded after publishing: the page says it waits, tablets still get version 2's clip.
    expect((await upload(http, s.surveyId, { prompt: "consent", lang: "ar", bytes: second })).status).toBe(200);
    const page = await http.get(`/surveys/${s.surveyId}/voices?lang=ar`);
    expect(page.text).toContain("changed since version 2");
    const still = (await anon.get(`/api/v1/links/${s.link.token}`)).json();
    expect(still.voices.map((v: { hash: string }) => v.hash)).toEqual([firstHash]);
    const secondHash = (await voiceRows(s.surveyId)).find((r) => r.version === 0)!.clip_hash;
    expect((await anon.get(`/api/v1/links/${s.link.token}/voices/${secondHash}`)).status).toBe(404);

    // A draft in the editor: publishing from the Voices page is refused (the draft is published there).
    const { saveDraft } = await import("../../app/models/surveys.server");
    await saveDraft(t.db, s.surveyId, s.definition, s.facilitator.id);
    const refused = await publish();
    expect(refused.status).toBe(409);
    expect(refusal(refused)?.field).toBe("intent");
    const { discardDraft } = await import("../../app/models/surveys.server");
    await discardDraft(t.db, s.surveyId);

    expect((await publish()).status).toBe(200);
    const v3 = (await anon.get(`/api/v1/links/${s.link.token}`)).json();
    expect(v3.survey.version).toBe(3);
    expect(v3.voices.map((v: { hash: string }) => v.hash)).toEqual([secondHash]);
    // A tablet still on version 2 can fetch its clip; version 2's set never changed.
    expect((await anon.get(`/api/v1/links/${s.link.token}/voices/${firstHash}`)).status).toBe(200);
    const rows = await voiceRows(s.surveyId);
    expect(rows.map((r) => [r.version, r.clip_hash])).toEqual([
      [0, secondHash],
      [2, firstHash],
      [3, secondHash],
    ]);
  });
});
