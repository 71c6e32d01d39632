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
  /** The staff pages' language ("en", "fr", "ar"); null follows the browser. */
  ui_language: Generated<string | null>;
}

export interface ProgrammeTable {
  id: string;
  name: string;
  country: string;
  description: string;
  min_cell_size: number;
  /** How responses were sampled: "auto" | "simple" | "community" (see app/stats/clustered.ts). */
  sampling: Generated<string>;
  created_at: string;
}

export interface CommunityTable {
  id: string;
  programme_id: string;
  name: string;
  region: string;
  created_at: string;
  /** JSON {language code: name} for pages communities read; {} when none. */
  name_translations: Generated<string>;
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
  /** What the token may do: space-separated scopes (aggregates, raw, submit). */
  scopes: string;
  /** When it stops working (always set for tokens made or upgraded since 0013). */
  expires_at: string | null;
}

export interface LoginAttemptTable {
  id: Generated<number>;
  email: string;
  address: string;
  succeeded: number;
  at: string;
}

/** Held (upserted) while an attempt for this account or address is counted and stored. */
export interface LoginThrottleKeyTable {
  /** "email <address>" or "address <ip>". */
  key: string;
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
  /** JSON {language code: name} for pages communities read; {} when none. */
  name_translations: Generated<string>;
}

export type LinkMode = "kiosk" | "self";

export interface CollectionLinkTable {
  id: string;
  survey_id: string;
  /** The secret in the link's URL: it grants submitting responses and nothing else. */
  token: string;
  mode: LinkMode;
  label: string;
  community_id: string | null;
  round_id: string | null;
  expires_at: string | null;
  revoked_at: string | null;
  max_responses: number | null;
  /** Kiosk links: "salt:hash" of the facilitator's PIN, checked on the tablet even offline. */
  kiosk_pin: string | null;
  /** 8 characters without look-alikes that open the link at /c/{code} (0019); null only on rows made outside createLink. */
  short_code: string | null;
  created_by: string;
  created_at: string;
}

/** Responses a link took from one (hashed) address in one minute or one UTC day, and those refused. */
export interface ResponseQuotaCountTable {
  link_id: string;
  address_key: string;
  span: "minute" | "day";
  /** ISO-8601 UTC start of the minute or day. */
  window_start: string;
  taken: number;
  refused: number;
  last_refused_at: string | null;
}

/** The secret of one UTC day that addresses are hashed with; deleted when the day is over. */
export interface ResponseQuotaSaltTable {
  day: string;
  salt: string;
}

/** A facilitator lifted a link's response quotas until a moment. */
export interface LinkQuotaLiftTable {
  link_id: string;
  lifted_until: string;
  lifted_by: string;
  lifted_at: string;
}

/** A focus-group session, created on the tablet (possibly offline) with a tablet-made id. */
export interface FgSessionTable {
  id: string;
  link_id: string;
  survey_id: string;
  community_id: string | null;
  round_id: string | null;
  held_on: string;
  group_description: string;
  /** 1 when the group label may be shown to respondents (the kiosk bar); 0 keeps it staff-only. */
  group_public: Generated<number>;
  participant_count: number | null;
  notes: string;
  /** The tablet's name, given when it was armed (0019). */
  device_name: string | null;
  /** The facilitator who ran the session, and their name as it was then (0019). */
  facilitator_id: string | null;
  facilitator_name: string | null;
  created_at: string;
  updated_at: string;
}

export interface ResponseTable {
  /** Made by the tablet before the response is queued: retries carry the same id. */
  id: string;
  survey_id: string;
  survey_version: number;
  link_id: string | null;
  session_id: string | null;
  community_id: string | null;
  round_id: string | null;
  language: string;
  collected_at: string;
  submitted_at: string;
  /** SHA-256 of the response's content: a retry with the same id and hash is a duplicate. */
  content_hash: string;
  answers: string;
  source: string;
  excluded_at: string | null;
  excluded_reason: string | null;
  excluded_by: string | null;
  /** A facilitator's review: "approved" | "on_hold" | "not_approved" (which excludes it), or null. */
  review_status: string | null;
  review_note: string | null;
  reviewed_at: string | null;
  reviewed_by: string | null;
  /** 1 once the response's figures are in the dashboard aggregates (see foldPendingAggregates). */
  aggregated: Generated<number>;
  /** Imported rows: "<import job id>:<file row>" (migration 0015), so a resumed job knows its own. */
  import_ref?: string | null;
}

/** A consent refusal: no answers, only that it happened (id from the tablet, so counted once). */
export interface RefusalTable {
  id: string;
  link_id: string;
  session_id: string | null;
  survey_id: string;
  recorded_on: string;
}

/** Append-only (database triggers refuse UPDATE and DELETE): who did what to which data, and when. */
export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  actor_id: string | null;
  actor_name: string;
  action: string;
  programme_id: string | null;
  survey_id: string | null;
  target: string;
  /** JSON text with what else matters (row counts, reasons, format). */
  details: string;
}

/** A CSV or queue file kept between an import's dry run and its confirmation. */
export type ImportJobState =
  | "dry_run_queued"
  | "checking"
  | "checked"
  | "import_queued"
  | "importing"
  | "done"
  | "failed"
  | "cancelled"
  | "discarded";

/** An import the server runs as steps: a dry run, then (when the person decides) the import (migration 0015). */
export interface ImportJobTable {
  id: string;
  survey_id: string;
  programme_id: string;
  user_id: string;
  file_name: string;
  /** The uploaded file's name in the import directory (IMPORT_DIR). */
  file_key: string;
  bytes: Generated<number>;
  encoding: "utf-8" | "windows-1252";
  bom: Generated<number>;
  /** JSON: version, mapping, collectedOn, community, round. */
  options: string;
  state: ImportJobState;
  cancel_requested: Generated<number>;
  rows_read: Generated<number>;
  rows_valid: Generated<number>;
  rows_stored: Generated<number>;
  problems: Generated<number>;
  bytes_read: Generated<number>;
  /** Rows the dry run read: the import's progress is measured against it. */
  rows_expected: Generated<number>;
  /** JSON ImportReport: the dry run's until the person decides, then the import's. */
  report: string | null;
  /** File rows settled by committed windows of the import: a resumed import starts after them. */
  resume_row: Generated<number>;
  /** JSON ImportReport as it stood at resume_row. */
  resume_report: string | null;
  error: string | null;
  created_at: string;
  started_at: string | null;
  updated_at: string;
  finished_at: string | null;
}

/** One row: which server runs the database's import jobs, until when (migration 0015). */
export interface ImportRunnerTable {
  id: number;
  holder: string | null;
  expires_at: string;
}

/** Surveys whose aggregates a migration asked to be rebuilt at the next start (migration 0009). */
export interface AggregateRebuildTable {
  survey_id: string;
  reason: string;
  recorded_at: string;
}

/** Key columns of the dashboard aggregates ('' stands for "none"; see migration 0004). */
interface AggregateKey {
  survey_id: string;
  survey_version: number;
  round_id: string;
  /** YYYY-MM of collected_at (UTC). */
  month: string;
  community_id: string;
  from_session: number;
  gender: string;
  age_band: string;
  disability: string;
  displacement: string;
  /** Custom disaggregation answers, "question=code" pairs sorted and joined with "&". */
  custom_key: string;
}

export interface AggIndicatorCellTable extends AggregateKey {
  indicator_id: string;
  n: number;
  score_sum: number;
  score_sq: number;
  excluded: number;
  missing: number;
}

/** One margin of the aggregates: all respondents (dimension '') or one built-in dimension's value. */
interface MarginKey {
  survey_id: string;
  survey_version: number;
  round_id: string;
  month: string;
  community_id: string;
  from_session: number;
  dimension: string;
  value: string;
}

export interface AggIndicatorMarginTable extends MarginKey {
  indicator_id: string;
  n: number;
  score_sum: number;
  score_sq: number;
  excluded: number;
  missing: number;
}

export interface AggAnswerMarginTable extends MarginKey {
  question_id: string;
  code: string;
  n: number;
  rank_points: number;
}

export interface ProgrammeKeyTable {
  /** The key id sealed responses name. */
  kid: string;
  programme_id: string;
  /** base64url X25519 public key, handed to tablets in the link bundle. */
  public_key: string;
  /** base64url X25519 private key; never leaves the server. */
  private_key: string;
  created_at: string;
  retired_at: string | null;
}

/** Moves on with every change to a survey's aggregate cells (migration 0012). */
export interface AggregateStampTable {
  survey_id: string;
  stamp: number;
}

/** An indicator's target for one round (migration 0017): a 0–1 fraction for shares, scale units for means. */
export interface IndicatorTargetTable {
  survey_id: string;
  indicator_id: string;
  round_id: string;
  value: number;
  set_by: string | null;
  set_at: string;
}

/** The round an indicator's change and progress are measured from, when not the programme's baseline round. */
export interface IndicatorBaselineTable {
  survey_id: string;
  indicator_id: string;
  round_id: string;
}

/** Two surveys' indicators read as one series (migration 0022); a pair, each end in at most one link. */
export interface IndicatorLinkTable {
  survey_id: string;
  indicator_id: string;
  linked_survey_id: string;
  linked_indicator_id: string;
  linked_by: string | null;
  linked_at: string;
}

/** An indicator's target for a date (migration 0022), in the same units as a round's. */
export interface IndicatorDateTargetTable {
  survey_id: string;
  indicator_id: string;
  target_on: string;
  value: number;
  set_by: string | null;
  set_at: string;
}

/** Texts saved with a survey's report: the executive summary (indicator_id "") and one narrative per indicator. */
export interface ReportTextTable {
  survey_id: string;
  indicator_id: string;
  body: string;
  updated_by: string | null;
  updated_at: string;
}

export interface TranslationMarkTable {
  survey_id: string;
  language: string;
  key: string;
  source: string;
  marked_at: string;
}

/** A recorded voice's bytes, once per survey and content hash (migration 0021). */
export interface VoiceClipTable {
  survey_id: string;
  hash: string;
  mime_type: string;
  size: number;
  bytes: Uint8Array;
  created_by: string | null;
  created_at: string;
}

/** Which clip speaks a prompt in a language: version 0 is the working set, others are frozen with their version. */
export interface SurveyVoiceTable {
  survey_id: string;
  version: number;
  prompt_key: string;
  language: string;
  clip_hash: string;
  updated_by: string | null;
  updated_at: string;
}

export interface Database {
  users: UserTable;
  programmes: ProgrammeTable;
  communities: CommunityTable;
  memberships: MembershipTable;
  sessions: SessionTable;
  api_tokens: ApiTokenTable;
  login_attempts: LoginAttemptTable;
  login_throttle_keys: LoginThrottleKeyTable;
  app_settings: AppSettingTable;
  surveys: SurveyTable;
  survey_versions: SurveyVersionTable;
  rounds: RoundTable;
  collection_links: CollectionLinkTable;
  fg_sessions: FgSessionTable;
  responses: ResponseTable;
  refusals: RefusalTable;
  agg_indicator_cells: AggIndicatorCellTable;
  agg_indicator_margins: AggIndicatorMarginTable;
  agg_answer_margins: AggAnswerMarginTable;
  aggregate_stamps: AggregateStampTable;
  audit_log: AuditLogTable;
  import_jobs: ImportJobTable;
  import_runner: ImportRunnerTable;
  aggregate_rebuilds: AggregateRebuildTable;
  response_quota_counts: ResponseQuotaCountTable;
  response_quota_salts: ResponseQuotaSaltTable;
  link_quota_lifts: LinkQuotaLiftTable;
  programme_keys: ProgrammeKeyTable;
  indicator_targets: IndicatorTargetTable;
  indicator_baselines: IndicatorBaselineTable;
  indicator_links: IndicatorLinkTable;
  indicator_date_targets: IndicatorDateTargetTable;
  report_texts: ReportTextTable;
  translation_marks: TranslationMarkTable;
  voice_clips: VoiceClipTable;
  survey_voices: SurveyVoiceTable;
}

export type User = Selectable<UserTable>;
export type NewUser = Insertable<UserTable>;
export type UserUpdate = Updateable<UserTable>;
export type Programme = Selectable<ProgrammeTable>;
export type Community = Selectable<CommunityTable>;
export type Membership = Selectable<MembershipTable>;
export type ApiToken = Selectable<ApiTokenTable>;
