// The typed shape of every table, shared by SQLite and PostgreSQL.
// Portable column conventions (see db/portable.ts): ids are text UUIDs, timestamps are ISO-8601 UTC
// text, booleans are 0/1 integers, JSON is text.
import type { Generated, Insertable, Selectable, Updateable } from "kysely";

export type Role = "facilitator" | "manager";

export interface UserTable {
  id: string;
  email: string;
  display_name: string;
  password_hash: string;
  is_admin: number;
  active: number;
  created_at: string;
}

export interface ProgrammeTable {
  id: string;
  name: string;
  country: string;
  description: string;
  min_cell_size: number;
  created_at: string;
}

export interface CommunityTable {
  id: string;
  programme_id: string;
  name: string;
  region: string;
  created_at: string;
}

export interface MembershipTable {
  user_id: string;
  programme_id: string;
  role: Role;
  created_at: string;
}

export interface SessionTable {
  /** SHA-256 of the cookie value: a stolen database does not yield live cookies. */
  id: string;
  user_id: string;
  csrf_token: string;
  created_at: string;
  expires_at: string;
  last_seen_at: string;
}

export interface ApiTokenTable {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  /** First characters of the token, shown in settings so a user can tell tokens apart. */
  prefix: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface LoginAttemptTable {
  id: Generated<number>;
  email: string;
  address: string;
  succeeded: number;
  at: string;
}

export interface AppSettingTable {
  key: string;
  value: string;
}

export type SurveyStatus = "open" | "closed";
export type RoundKind = "baseline" | "midline" | "endline" | "custom";

export interface SurveyTable {
  id: string;
  programme_id: string;
  /** The title in the default language of the latest definition, for lists. */
  title: string;
  status: SurveyStatus;
  /** The working draft as JSON text; may be invalid while being edited. Null when none. */
  draft_definition: string | null;
  draft_updated_at: string | null;
  draft_updated_by: string | null;
  /** 0 until first published. */
  latest_version: number;
  created_by: string;
  created_at: string;
}

/** Published versions: immutable (database triggers refuse UPDATE and DELETE). */
export interface SurveyVersionTable {
  survey_id: string;
  version: number;
  definition: string;
  published_by: string;
  published_at: string;
}

export interface RoundTable {
  id: string;
  programme_id: string;
  name: string;
  kind: RoundKind;
  /** ISO dates (YYYY-MM-DD), inclusive. */
  starts_on: string;
  ends_on: string;
  created_at: string;
}

export interface Database {
  users: UserTable;
  programmes: ProgrammeTable;
  communities: CommunityTable;
  memberships: MembershipTable;
  sessions: SessionTable;
  api_tokens: ApiTokenTable;
  login_attempts: LoginAttemptTable;
  app_settings: AppSettingTable;
  surveys: SurveyTable;
  survey_versions: SurveyVersionTable;
  rounds: RoundTable;
}

export type User = Selectable<UserTable>;
export type NewUser = Insertable<UserTable>;
export type UserUpdate = Updateable<UserTable>;
export type Programme = Selectable<ProgrammeTable>;
export type Community = Selectable<CommunityTable>;
export type Membership = Selectable<MembershipTable>;
export type ApiToken = Selectable<ApiTokenTable>;
