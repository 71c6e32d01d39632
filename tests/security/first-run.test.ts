// First run, as an attacker on the same network would try it: racing the administrator to /setup.
// Without the one-time code printed in the server's console nobody becomes administrator; with it,
// exactly one person does, however many try at once. The code comes from `npm start`'s console, and
// `npm run create-admin` makes the first administrator without any page at all.
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeEachDatabase, freshDatabase, TMP_DIR, type TestDb } from "../support/databases";
import { startServer, type RunningServer } from "../support/server";
import { HttpClient } from "../support/http-client";
import { issueSetupCode } from "../../app/models/setup-code.server";
import { countUsers, findUserByEmail } from "../../app/models/users.server";
import { openSqlite } from "../../db/connect";
import { migrateToLatest } from "../../db/migrate";

const TSX = path.resolve("node_modules/.bin/tsx");
const administrators = async (t: TestDb) =>
  (await t.db.selectFrom("users").select("email").where("is_admin", "=", 1).execute()).map((u) => u.email);

async function setupForms(url: string, count: number) {
  return Promise.all(
    Array.from({ length: count }, async () => {
      const b = new HttpClient(url);
      return { b, csrf: await b.csrfFrom("/setup") };
    }),
  );
}

describeEachDatabase("first run: the setup page needs the console's one-time code", (dialect) => {
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

  it("ten parallel attempts without the code create no administrator, and say which field is wrong", async () => {
    const code = await issueSetupCode(t.db); // the real one, printed only in the console
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    const forms = await setupForms(server.url, 10);
    const replies = await Promise.all(
      forms.map(({ b, csrf }, i) =>
        b.submit("/setup", { setupCode: i % 2 ? "" : `GUESS-${i}`, displayName: `Intruder ${i}`, email: `intruder${i}@evil.example`, password: "a very long intruder password" }, { csrf }),
      ),
    );
    for (const reply of replies) {
      expect([400, 403]).toContain(reply.status);
      expect(reply.text).toMatch(/setup code/i);
    }
    expect(await countUsers(t.db)).toBe(0);
    // The page never shows the code itself.
    expect((await new HttpClient(server.url).get("/setup")).text).not.toContain(code);
  });

  it("ten parallel attempts with the right code create exactly one administrator", async () => {
    const code = (await issueSetupCode(t.db))!;
    const forms = await setupForms(server.url, 10);
    const replies = await Promise.all(
      forms.map(({ b, csrf }, i) =>
        b.submit("/setup", { setupCode: code.toLowerCase(), displayName: `Racer ${i}`, email: `racer${i}@example.org`, password: "tea at the river gate" }, { csrf }),
      ),
    );
    const winners = replies.filter((r) => r.status === 302 && r.location === "/admin");
    expect(winners).toHaveLength(1);
    for (const r of replies) if (r !== winners[0]) expect(r.status === 302 ? r.location : r.status).toBe("/login");
    expect(await administrators(t)).toHaveLength(1);
    // The code is used up, and the page is closed now.
    expect((await new HttpClient(server.url).get("/setup")).location).toBe("/login");
    expect(await issueSetupCode(t.db)).toBeNull();
  });
});

describe("first run with the real console and command line", () => {
  const files: string[] = [];
  let child: ChildProcess | undefined;
  beforeAll(() => {
    fs.mkdirSync(TMP_DIR, { recursive: true });
  });
  afterAll(() => {
    if (child?.pid && child.exitCode === null) child.kill("SIGTERM");
    for (const f of files) for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(f + suffix, { force: true });
  });

  const freshFile = async () => {
    const file = path.join(TMP_DIR, `first-run-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}.sqlite`);
    files.push(file);
    const h = openSqlite(file);
    await migrateToLatest(h.db, "sqlite");
    await h.close();
    return file;
  };
  const freePort = () =>
    new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, "127.0.0.1", () => {
        const { port } = s.address() as net.AddressInfo;
        s.close(() => resolve(port));
      });
    });

  it("`npm start` prints a setup code in its console, and the setup page takes it", async () => {
    const db = await freshFile();
    const port = await freePort();
    child = spawn(TSX, ["app/cli/serve.ts"], { env: { ...process.env, DATABASE_URL: `file:${db}`, PORT: String(port), HOST: "127.0.0.1" }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const code = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no setup code printed:\n${output}`)), 60_000);
      child!.stdout!.on("data", (chunk) => {
        output += String(chunk);
        // The code and the line after it (which may come in a later chunk).
        const m = /setup code: ([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})/.exec(output);
        if (m && output.includes("A restart prints a new code")) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
      child!.stderr!.on("data", (chunk) => (output += String(chunk)));
    });
    expect(output).toContain("npm run create-admin");
    const browser = new HttpClient(`http://127.0.0.1:${port}`);
    expect((await browser.get("/")).location).toBe("/setup");
    const page = await browser.get("/setup");
    expect(page.text).toContain("console");
    const wrong = await browser.submit("/setup", { setupCode: "AAAA-AAAA-AAAA", displayName: "Ada Admin", email: "ada@example.org", password: "tea at the river gate" });
    expect(wrong.status).toBe(403);
    expect(wrong.text).toContain("The setup code is not right");
    const made = await browser.submit("/setup", { setupCode: code, displayName: "Ada Admin", email: "ada@example.org", password: "tea at the river gate" });
    expect(made.status).toBe(302);
    expect(made.location).toBe("/admin");
    expect((await browser.get("/admin")).text).toContain("Ada Admin");
    child.kill("SIGTERM");
  }, 90_000);

  it("`npm run create-admin` makes the first administrator from flags, refusing a weak password by name", async () => {
    const db = await freshFile();
    const env = { ...process.env, DATABASE_URL: `file:${db}` };
    const weak = spawnSync(TSX, ["app/cli/create-admin.ts", "--email", "ops@example.org", "--name", "Ops Person", "--password", "password12"], { env, encoding: "utf8" });
    expect(weak.status).toBe(1);
    expect(weak.stderr).toMatch(/--password: The password is too short/);
    const ok = spawnSync(TSX, ["app/cli/create-admin.ts", "--email", "ops@example.org", "--name", "Ops Person", "--password", "tea at the river gate"], { env, encoding: "utf8" });
    expect(ok.stderr).toBe("");
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain("Created administrator Ops Person <ops@example.org>");
    const again = spawnSync(TSX, ["app/cli/create-admin.ts", "--email", "ops@example.org", "--name", "Ops Again", "--password", "tea at the river gate"], { env, encoding: "utf8" });
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/--email: An account with ops@example.org already exists/);

    const h = openSqlite(db);
    try {
      const user = await findUserByEmail(h.db, "ops@example.org");
      expect(Number(user?.is_admin)).toBe(1);
      // Signing in with it works on the real server.
      const server = await startServer(h);
      try {
        await new HttpClient(server.url).signIn("ops@example.org", "tea at the river gate");
      } finally {
        await server.close();
      }
    } finally {
      await h.close();
    }
  }, 60_000);

  it("`npm run create-admin` asks for what the flags leave out, and asks again for a weak password", async () => {
    const db = await freshFile();
    const answers = ["asha@example.org", "Asha Admin", "aaaaaaaaaaaa", "tea at the river gate", "tea at the river gate", ""].join("\n");
    const run = spawnSync(TSX, ["app/cli/create-admin.ts"], { env: { ...process.env, DATABASE_URL: `file:${db}` }, input: answers, encoding: "utf8" });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain("Email: ");
    expect(run.stderr).toMatch(/The password is too easy to guess/);
    expect(run.stdout).toContain("Created administrator Asha Admin <asha@example.org>");
  }, 60_000);
});
