// People, programmes and scope, against a real SQLite file and a real PostgreSQL database.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeEachDatabase, freshDatabase, type TestDb } from "../support/databases";
import { aProgramme, aUser } from "../support/fixtures";
import {
  countUsers,
  createUser,
  EmailTakenError,
  findUserByEmail,
  setUserActive,
} from "../../app/models/users.server";
import {
  createCommunity,
  DuplicateCommunityError,
  getProgramme,
  listCommunities,
  listMembers,
  listProgrammes,
  removeMembership,
  roleIn,
} from "../../app/models/programmes.server";
import { createSession, findSession } from "../../app/models/sessions.server";
import { createApiToken, revokeApiToken, viewerForApiToken } from "../../app/models/api-tokens.server";
import { ACCOUNT_LIMITS, ADDRESS_LIMITS, beginAttempt } from "../../app/models/login-throttle.server";
import { verifyPassword } from "../../app/models/passwords.server";

describeEachDatabase("people and programmes", (dialect) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await freshDatabase(dialect);
  });
  afterAll(async () => t?.drop());

  it("stores a user with an argon2id hash and normalised email, and counts come back as numbers", async () => {
    const before = await countUsers(t.db);
    expect(typeof before).toBe("number");
    const amina = await aUser(t.db, "Amina Yusuf");
    expect(await countUsers(t.db)).toBe(before + 1);
    const row = await findUserByEmail(t.db, amina.email.toUpperCase());
    expect(row?.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(row!.password_hash, amina.password)).toBe(true);
    expect(await verifyPassword(row!.password_hash, "wrong password!")).toBe(false);
    await expect(
      createUser(t.db, { email: amina.email, displayName: "Again", password: "whatever12345" }),
    ).rejects.toBeInstanceOf(EmailTakenError);
  });

  it("a facilitator sees only the programmes they belong to, checked inside the query", async () => {
    const facilitator = await aUser(t.db, "Hodan Ali");
    const outsider = await aUser(t.db, "Omar Outside");
    const admin = await aUser(t.db, "Site Admin", { admin: true });
    const mine = await aProgramme(t.db, "Mogadishu Safer Streets", [{ userId: facilitator.id, role: "facilitator" }]);
    const other = await aProgramme(t.db, "Nairobi Wards");

    const seen = await listProgrammes(t.db, facilitator.viewer);
    expect(seen.map((p) => p.id)).toContain(mine.id);
    expect(seen.map((p) => p.id)).not.toContain(other.id);
    const own = seen.find((p) => p.id === mine.id)!;
    expect(own.role).toBe("facilitator");
    expect(own.communityCount).toBe(1);
    expect(own.minCellSize).toBe(5);

    expect(await getProgramme(t.db, outsider.viewer, mine.id)).toBeUndefined();
    expect(await listCommunities(t.db, outsider.viewer, mine.id)).toEqual([]);
    expect(await roleIn(t.db, outsider.viewer, mine.id)).toBeNull();

    const all = await listProgrammes(t.db, admin.viewer);
    expect(all.map((p) => p.id)).toEqual(expect.arrayContaining([mine.id, other.id]));
    expect(await roleIn(t.db, admin.viewer, other.id)).toBe("admin");

    await removeMembership(t.db, facilitator.id, mine.id);
    expect(await getProgramme(t.db, facilitator.viewer, mine.id)).toBeUndefined();
  });

  it("refuses a second community with the same name in one programme", async () => {
    const p = await aProgramme(t.db, "Kathmandu Valley");
    await createCommunity(t.db, { programmeId: p.id, name: "Bhaktapur", region: "Bagmati" });
    await expect(createCommunity(t.db, { programmeId: p.id, name: " Bhaktapur ", region: "" })).rejects.toBeInstanceOf(
      DuplicateCommunityError,
    );
    const admin = await aUser(t.db, "Admin Two", { admin: true });
    expect((await listCommunities(t.db, admin.viewer, p.id)).map((c) => c.name)).toEqual([
      "Bhaktapur",
      "Kathmandu Valley village",
    ]);
    expect(await listMembers(t.db, p.id)).toEqual([]);
  });

  it("deactivation ends a user's sessions and API tokens at once", async () => {
    const user = await aUser(t.db, "Fatima Noor");
    const cookie = await createSession(t.db, user.id);
    const { token } = await createApiToken(t.db, user.id, "M&E");
    expect((await findSession(t.db, cookie))?.viewer.id).toBe(user.id);
    expect((await viewerForApiToken(t.db, token))?.id).toBe(user.id);

    await setUserActive(t.db, user.id, false);
    expect(await findSession(t.db, cookie)).toBeNull();
    expect(await viewerForApiToken(t.db, token)).toBeNull();

    await setUserActive(t.db, user.id, true);
    expect(await findSession(t.db, cookie)).toBeNull(); // sessions do not come back
    expect((await viewerForApiToken(t.db, token))?.id).toBe(user.id);
  });

  it("an API token is stored hashed and stops working when revoked", async () => {
    const user = await aUser(t.db, "Token Owner");
    const other = await aUser(t.db, "Someone Else");
    const { id, token } = await createApiToken(t.db, user.id, "Dashboard");
    const stored = await t.db.selectFrom("api_tokens").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect(stored.token_hash).not.toContain(token);
    expect(token.startsWith(stored.prefix)).toBe(true);
    expect(await revokeApiToken(t.db, other.id, id)).toBe(false); // not theirs
    expect(await viewerForApiToken(t.db, token)).not.toBeNull();
    expect(await revokeApiToken(t.db, user.id, id)).toBe(true);
    expect(await viewerForApiToken(t.db, token)).toBeNull();
  });

  describe("sign-in throttling", () => {
    it("blocks an account after repeated failures and says for how long", async () => {
      const email = `throttle.${dialect}@example.org`;
      const max = ACCOUNT_LIMITS[0].max;
      for (let i = 0; i < max; i++) expect((await beginAttempt(t.db, email, `10.0.0.${i}`)).allowed).toBe(true);
      const state = await beginAttempt(t.db, email, "10.0.0.9");
      expect(state.allowed).toBe(false);
      if (!state.allowed) expect(state.retryAfterMinutes).toBeGreaterThanOrEqual(14);
      expect((await beginAttempt(t.db, "someone.else@example.org", "10.0.0.9")).allowed).toBe(true);
    });

    it("blocks an address that tries many accounts", async () => {
      for (let i = 0; i < ADDRESS_LIMITS[0].max; i++) await beginAttempt(t.db, `guess${i}@example.org`, "203.0.113.7");
      expect((await beginAttempt(t.db, "fresh@example.org", "203.0.113.7")).allowed).toBe(false);
      expect((await beginAttempt(t.db, "fresh@example.org", "203.0.113.8")).allowed).toBe(true);
    });
  });
});
