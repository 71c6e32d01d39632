// An attacker sends huge bodies: every body type, chunked or with a false length, anonymous or on
// the sync API. Each is refused at its route's cap while it arrives, with a 413 that says so, and
// the server's memory stays flat.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase, type TestDb } from "../support/databases";
import { startServer, type RunningServer } from "../support/server";
import { HttpClient } from "../support/http-client";
import { aPublishedSurvey, aUser } from "../support/fixtures";
import { streamRequest } from "../support/raw-http";

const MB = 1024 * 1024;

describe("request bodies have a hard cap per route", () => {
  let t: TestDb;
  let server: RunningServer;
  let fixture: Awaited<ReturnType<typeof aPublishedSurvey>>;
  beforeAll(async () => {
    t = await freshDatabase("sqlite");
    server = await startServer(t);
    fixture = await aPublishedSurvey(t.db);
  });
  afterAll(async () => {
    await server?.close();
    await t?.drop();
  });

  it("refuses a chunked 300 MB form to the anonymous sign-in page with 413, the server growing by under 20 MB", async () => {
    const chunk = Buffer.alloc(64 * 1024, "a");
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const reply = await streamRequest(server.url, "/login", {
      headers: { "Content-Type": "application/x-www-form-urlencoded", "Transfer-Encoding": "chunked" },
      prefix: Buffer.from("email=a%40example.org&password="),
      chunk,
      total: 300 * MB,
    });
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    expect(reply.status).toBe(413);
    expect(reply.headers["content-type"]).toMatch(/text\/html/);
    expect(reply.text).toContain("larger than 1 MB");
    expect(reply.sent).toBeLessThan(50 * MB); // refused while arriving, not after the whole body
    expect(peak - before).toBeLessThan(20 * MB);
  });

  it("answers the sync API's chunked body over 5 MB with its 413 JSON, not a connection reset", async () => {
    const reply = await streamRequest(server.url, `/api/v1/links/${fixture.link.token}/responses`, {
      headers: { "Content-Type": "application/json", "Transfer-Encoding": "chunked" },
      prefix: Buffer.from('{"responses":[{"id":"'),
      chunk: Buffer.alloc(64 * 1024, "x"),
      total: 6 * MB,
    });
    expect(reply.status).toBe(413);
    const body = JSON.parse(reply.text);
    expect(body.error.status).toBe(413);
    expect(body.error.message).toContain("larger than 5 MB");
    expect(body.error.message).toContain("send fewer responses per request");
  });

  it("the same through fetch, which sends the whole stream before reading the answer", async () => {
    const piece = new TextEncoder().encode("x".repeat(64 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 6 * MB) return controller.close();
        sent += piece.length;
        controller.enqueue(piece);
      },
    });
    const res = await fetch(`${server.url}/api/v1/links/${fixture.link.token}/responses`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: stream,
      duplex: "half",
    } as RequestInit);
    expect(res.status).toBe(413);
    expect((await res.json()).error.status).toBe(413);
  });

  for (const [type, contentType, prefix, refusals] of [
    ["urlencoded", "application/x-www-form-urlencoded", "email=a&password=", [413]],
    ["multipart", "multipart/form-data; boundary=XyZ", '--XyZ\r\nContent-Disposition: form-data; name="password"\r\n\r\n', [413]],
    // Not a form: refused for its type (415) before a byte is read, or at the cap.
    ["JSON", "application/json", '{"password":"', [413, 415]],
    ["text/plain", "text/plain", "password=", [413, 415]],
  ] as const) {
    it(`refuses a ${type} body over 1 MB to /login, chunked or declared`, async () => {
      const chunked = await streamRequest(server.url, "/login", {
        headers: { "Content-Type": contentType, "Transfer-Encoding": "chunked" },
        prefix: Buffer.from(prefix),
        chunk: Buffer.alloc(16 * 1024, "b"),
        total: 2 * MB,
      });
      expect(refusals).toContain(chunked.status);
      if (chunked.status === 413) expect(chunked.text).toContain("larger than 1 MB");

      // A Content-Length over the cap is refused from the header, before the body is read.
      const declared = await streamRequest(server.url, "/login", {
        headers: { "Content-Type": contentType, "Content-Length": String(2 * MB) },
        prefix: Buffer.from(prefix),
        chunk: Buffer.alloc(16 * 1024, "b"),
        total: 2 * MB,
      });
      expect(declared.status).toBe(413);
      expect(declared.text).toContain("larger than 1 MB");
    });
  }

  it("a normal sign-in and a normal sync batch still pass", async () => {
    const user = await aUser(t.db, "Body Limit Person");
    await new HttpClient(server.url).signIn(user.email, user.password);
    const res = await fetch(`${server.url}/api/v1/links/${fixture.link.token}/responses`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ responses: [] }),
    });
    expect(res.status).toBe(200);
  });

  it("the import upload keeps its larger limit: a 3 MB file reaches the Data page's own checks", async () => {
    const browser = new HttpClient(server.url);
    await browser.signIn(fixture.facilitator.email, fixture.facilitator.password);
    const csrf = await browser.csrfFrom(`/surveys/${fixture.surveyId}/data`);
    const form = new FormData();
    form.set("csrf", csrf);
    form.set("intent", "upload");
    form.set("file", new Blob([`response_id,safe_after_dark\n${"x,2\n".repeat((3 * MB) / 4)}`], { type: "text/csv" }), "big.csv");
    const reply = await browser.request(`/surveys/${fixture.surveyId}/data`, { method: "POST", body: form });
    expect(reply.status).not.toBe(413);
    expect(reply.status).toBeLessThan(500);
  });
});
