// People and programmes the stories start from, created through the same functions the app uses.
import type { Kysely } from "kysely";
import type { Database, Role } from "../../db/schema";
import { createUser } from "../../app/models/users.server";
import { createCommunity, createProgramme, setMembership } from "../../app/models/programmes.server";
import type { Viewer } from "../../app/models/viewer";

export const PASSWORD = "correct horse battery";

let counter = 0;
export async function aUser(db: Kysely<Database>, name: string, opts: { admin?: boolean } = {}) {
  counter += 1;
  const email = `${name.toLowerCase().replace(/\W+/g, ".")}.${counter}@example.org`;
  const user = await createUser(db, { email, displayName: name, password: PASSWORD, isAdmin: opts.admin });
  const viewer: Viewer = { id: user.id, email: user.email, displayName: user.displayName, isAdmin: user.isAdmin };
  return { ...user, viewer, password: PASSWORD };
}

export async function aProgramme(db: Kysely<Database>, name: string, members: { userId: string; role: Role }[] = []) {
  const id = await createProgramme(db, { name, country: "Kenya", description: "", minCellSize: 5 });
  for (const m of members) await setMembership(db, { programmeId: id, ...m });
  const communityId = await createCommunity(db, { programmeId: id, name: `${name} village`, region: "North" });
  return { id, communityId };
}
