// The checks every received response goes through, whoever sends it (a tablet's sync, a link, an
// imported file): its shape, then — unless its id is already stored — its version, language,
// answers (the survey core's validateAnswers, the function the tablet runs) and the device's clock.
// Pure: no database, so an import can run them on another thread (app/exchange/row-check.ts).
import { hash } from "node:crypto";
import { z } from "zod";
import { isoInstant } from "~db/portable";
import { validateAnswers, type SurveyDefinition } from "~/survey";

export type IngestStatus = "created" | "duplicate" | "conflict" | "rejected";
/** Faults of the response checks themselves; answer faults carry the survey core's codes. */
export type IngestErrorCode = "invalid_shape" | "unknown_version" | "unknown_language" | "future_date" | "too_early" | "conflict" | "link_full" | "unknown_session";
export interface IngestError {
  /** The survey core's ErrorCode, or an IngestErrorCode. */
  code?: string;
  path: string;
  params?: Record<string, string | number>;
  message: string;
}
export interface IngestResult {
  id: string | null;
  status: IngestStatus;
  errors?: IngestError[];
}

/**
 * A UUID made on a device, in lower case: the same id in capitals is the same response (or
 * session), never a second one. Ids are compared in this form everywhere.
 */
export const deviceUuid = (message: string) => z.uuid({ message }).transform((id) => id.toLowerCase());

/** Answers are flat: a code, a number, a text, or a list of codes — never deeper (a 50,000-level nest is refused here). */
export const MAX_ANSWERS = 500;
export const MAX_LIST = 200;
export const MAX_ANSWER_TEXT = 10_000;
const ANSWER_SHAPE = "An answer is an option code, a number, a text, or a list of option codes (nothing nested).";
const AnswerScalar = z.union([z.string().max(MAX_ANSWER_TEXT), z.number(), z.null()], { message: ANSWER_SHAPE });
const AnswerValue = z.union([AnswerScalar, z.array(z.union([z.string().max(200), z.number(), z.null()], { message: ANSWER_SHAPE })).max(MAX_LIST)], {
  message: ANSWER_SHAPE,
});

/** The earliest collectedAt anything may carry, for old paper data too. */
export const EARLIEST_COLLECTED_AT = "1990-01-01T00:00:00.000Z";
/** How far ahead of the server's clock a device's clock may be. */
export const CLOCK_SKEW_MS = 24 * 3600_000;

export const SubmittedResponseSchema = z.object({
  id: deviceUuid("The response id must be a UUID made on the device."),
  surveyVersion: z.number({ message: "surveyVersion must be a number." }).int().positive(),
  collectedAt: z.iso.datetime({ offset: true, message: "collectedAt must be an ISO 8601 date and time." }),
  language: z.string({ message: "language must be a language code." }).min(1).max(20),
  // Sessions are made on the tablet with the same kind of id (POST …/sessions requires one).
  sessionId: deviceUuid("sessionId must be the UUID of a focus-group session made on the device.").nullish(),
  answers: z
    .record(z.string().max(100), AnswerValue, { message: "answers must be an object of question ids to values." })
    .refine((a) => Object.keys(a).length <= MAX_ANSWERS, { message: `answers may hold at most ${MAX_ANSWERS} questions.` }),
});
export type SubmittedResponse = z.infer<typeof SubmittedResponseSchema>;

/** A UUID (version 5 layout) from a SHA-256 of the name: the same name always gives the same id. */
export function derivedUuid(name: string): string {
  const b = hash("sha256", name, "buffer").subarray(0, 16);
  b[6] = (b[6] & 0x0f) | 0x50;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * The id a response takes in a survey when the id it came with is not a UUID, or is already used
 * by another survey: derived from both, so the same response sent again always lands on the same
 * id, and what is stored in one survey never shows through another (a link holder of survey B
 * posting survey A's id gets exactly what a new id gets). The sync API and the import share it.
 */
export const idInSurvey = (surveyId: string, id: string): string => derivedUuid(`${surveyId}\n${id}`);

/** The content that identifies a response: the same retry always hashes the same. */
export function contentHash(r: SubmittedResponse): string {
  const answers = Object.keys(r.answers)
    .sort()
    .map((k) => [k, r.answers[k]]);
  const canonical = JSON.stringify([r.surveyVersion, isoInstant(r.collectedAt), r.language, r.sessionId ?? null, answers]);
  return hash("sha256", canonical, "hex");
}

/**
 * A received item as a response (its id in lower case; `sentId` as it was sent, for the result),
 * or why it is not one (rejected whatever is stored).
 */
export function parseSubmitted(item: unknown): { response: SubmittedResponse; sentId: string } | { rejected: IngestResult } {
  const shape = SubmittedResponseSchema.safeParse(item);
  if (shape.success) return { response: shape.data, sentId: (item as { id: string }).id };
  const id = typeof (item as { id?: unknown })?.id === "string" ? (item as { id: string }).id : null;
  return {
    rejected: {
      id,
      status: "rejected",
      errors: shape.error.issues.map((i) => ({ code: "invalid_shape", path: i.path.map(String).join("."), message: i.message })),
    },
  };
}

/**
 * What is wrong with a new response for its survey version (`definition`: undefined when unpublished).
 * `earliest`: the first instant its collectedAt may name (a link's creation, less a day; else 1990).
 */
export function answerErrors(
  response: SubmittedResponse,
  definition: SurveyDefinition | undefined,
  now = Date.now(),
  earliest: string = EARLIEST_COLLECTED_AT,
): IngestError[] {
  const errors: IngestError[] = [];
  if (!definition) {
    errors.push({ code: "unknown_version", path: "surveyVersion", params: { version: response.surveyVersion }, message: `This survey has no published version ${response.surveyVersion}.` });
  } else {
    if (!definition.languages.some((l) => l.code === response.language))
      errors.push({ code: "unknown_language", path: "language", params: { language: response.language }, message: `The survey has no language "${response.language}".` });
    const checked = validateAnswers(definition, response.answers);
    if (!checked.ok) errors.push(...checked.errors);
  }
  const collected = new Date(response.collectedAt).getTime();
  if (collected > now + CLOCK_SKEW_MS) errors.push({ code: "future_date", path: "collectedAt", message: "collectedAt is in the future: check the device's clock." });
  else if (collected < Math.max(Date.parse(earliest), Date.parse(EARLIEST_COLLECTED_AT)))
    errors.push({
      code: "too_early",
      path: "collectedAt",
      params: { earliest: earliest.slice(0, 10) },
      message: `collectedAt is before ${earliest.slice(0, 10)}, ${earliest === EARLIEST_COLLECTED_AT ? "earlier than any survey this server holds" : "before this collection link existed"}: check the device's clock.`,
    });
  return errors;
}

/**
 * The verdict on a well-shaped response: a duplicate or a conflict when its id is stored (with
 * `storedHash`), rejected when it has errors, else null (to be stored). The hash and the errors
 * are asked for only when needed.
 */
export function verdictOf(id: string, storedHash: string | undefined, hashOf: () => string, errorsOf: () => IngestError[]): IngestResult | null {
  if (storedHash !== undefined) return classify(id, storedHash, hashOf());
  const errors = errorsOf();
  return errors.length ? { id, status: "rejected", errors } : null;
}

export function classify(id: string, storedHash: string, hash: string): IngestResult {
  return storedHash === hash
    ? { id, status: "duplicate" }
    : {
        id,
        status: "conflict",
        errors: [{ code: "conflict", path: "", message: "A different response with this id is already stored; nothing was overwritten." }],
      };
}
