// `npm run backup` while the app serves: four tablets keep submitting through the HTTP API during
// the copy, and the copy opens and holds every response acknowledged before the backup started.
import fs from "node:fs";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import SQLite from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase, TMP_DIR, type TestDb } from "../support/databases";
import { startServer, type RunningServer } from "../support/server";
import { aPublishedSurvey, sdg16Answers } from "../support/fixtures";
import { backupSqlite } from "../../app/cli/backup";

describe("backup of the SQLite database while serving", () => {
  let t: TestDb;
  let server: RunningServer;
  beforeAll(async () => {
    t = await freshDatabase("sqlite");
    server = await startServer(t);
  });
  afterAll(async () => {
    await server?.close();
    await t?.drop();
  });

  it("restores to a database that opens and holds every response acknowledged before the backup started", async () => {
    const fixture = await aPublishedSurvey(t.db);
    const acked: { id: string; at: number }[] = [];
    let stop = false;
    const client = async (n: number) => {
      let sent = 0;
      while (!stop && sent < 60) {
        const batch = Array.from({ length: 5 }, () => ({
          id: randomUUID(),
          surveyVersion: 1,
          collectedAt: "2026-11-20T10:00:00Z",
          language: "en",
          answers: sdg16Answers({ safe_after_dark: String(1 + (n % 4)) }),
        }));
        const res = await fetch(`${server.url}/api/v1/links/${fixture.link.token}/responses`, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ responses: batch }),
        });
        const at = performance.now();
        const body = await res.json();
        for (const r of body.results) if (r.status === "created") acked.push({ id: r.id, at });
        sent += 1;
      }
    };
    const clients = [0, 1, 2, 3].map(client);
    // Start the backup once the four clients are in full flow.
    const deadline = Date.now() + 20_000;
    while (acked.length < 40 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const out = path.join(TMP_DIR, `backup-${randomUUID()}.sqlite`);
    const started = performance.now();
    await backupSqlite(t.location, out);
    stop = true;
    await Promise.all(clients);
    const before = acked.filter((a) => a.at < started);
    expect(before.length).toBeGreaterThan(0);

    const copy = new SQLite(out, { readonly: true });
    try {
      expect(copy.pragma("integrity_check", { simple: true })).toBe("ok");
      const ids = new Set((copy.prepare("select id from responses").all() as { id: string }[]).map((r) => r.id));
      expect(before.filter((a) => !ids.has(a.id))).toEqual([]);
    } finally {
      copy.close();
      fs.rmSync(out, { force: true });
    }
  });

  it("npm run backup refuses PostgreSQL and says to use pg_dump", () => {
    let message = "";
    try {
      execFileSync("npx", ["tsx", "app/cli/backup.ts"], { env: { ...process.env, DATABASE_URL: "postgres://u:p@127.0.0.1:1/none" }, stdio: "pipe" });
    } catch (err) {
      message = String((err as { stderr: Buffer }).stderr);
    }
    expect(message).toMatch(/pg_dump/);
  });
});
