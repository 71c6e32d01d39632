// The shapes a tablet sends its focus-group sessions and consent refusals in: the sessions API
// (POST /api/v1/links/{token}/sessions) and a saved queue file's import read them with these.
import { z } from "zod";
import { deviceUuid } from "./response-checks";

export const SessionSchema = z.object({
  id: deviceUuid("A session id must be a UUID made on the device."),
  communityId: z.string().nullish(),
  roundId: z.string().nullish(),
  heldOn: z.iso.date(),
  groupDescription: z.string().max(200).default(""),
  groupPublic: z.boolean().default(false),
  participantCount: z.number().int().min(0).max(10_000).nullish(),
  notes: z.string().max(10_000).default(""),
  updatedAt: z.iso.datetime({ offset: true }),
  /** The tablet's name from arming, and the facilitator who ran the session (a programme member's id). */
  deviceName: z.string().max(60, "A device name has at most 60 characters.").nullish(),
  facilitatorId: z.string().max(100).nullish(),
});

/** POST /api/v1/links/{token}/arming: the name the facilitator gives the tablet. */
export const ArmingBodySchema = z.object(
  { deviceName: z.string().trim().max(60, "A device name has at most 60 characters.").default("") },
  { error: "The arming request's body must be a JSON object." },
);

export const RefusalSchema = z.object({
  id: deviceUuid("A refusal id must be a UUID made on the device."),
  sessionId: z.string().max(100).transform((id) => id.toLowerCase()).nullish(),
  recordedOn: z.iso.date(),
});

export const SessionsBodySchema = z.object({
  sessions: z.array(SessionSchema).max(500).default([]),
  refusals: z.array(RefusalSchema).max(5000).default([]),
});
