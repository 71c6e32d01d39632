// The "new collection link" form: what a facilitator may ask for, with messages they can act on.
import { z } from "zod";
import { DEFAULT_COMMUNITY_CAP } from "./quota-rules";

const optional = z
  .string()
  .optional()
  .transform((v) => (v && v.trim() !== "" ? v.trim() : null));

export const LinkFormSchema = z
  .object({
    mode: z.enum(["kiosk", "self"], { error: "Choose whether the link is for a facilitator's tablet or for people's own phones." }),
    label: z
      .string({ error: "Give the link a name." })
      .trim()
      .min(1, "Give the link a name, such as “Tablet 1” or “Market poster”.")
      .max(100, "Keep the name under 100 characters."),
    communityId: optional,
    roundId: optional,
    expiresOn: optional.refine((v) => v === null || /^\d{4}-\d{2}-\d{2}$/.test(v), "Give the date as YYYY-MM-DD."),
    maxResponses: optional
      .refine((v) => v === null || (/^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 1_000_000), "The cap is a whole number from 1 to 1,000,000.")
      .transform((v) => (v === null ? null : Number(v))),
    pin: optional,
  })
  .superRefine((v, ctx) => {
    // Six digits at least: an armed tablet holds the PIN's check value, and four digits fall to a laptop in minutes.
    if (v.mode === "kiosk" && !/^\d{6,8}$/.test(v.pin ?? "")) {
      ctx.addIssue({ code: "custom", path: ["pin"], message: "A tablet link needs a PIN of 6 to 8 digits: the facilitator types it to leave the survey screen." });
    }
    if (v.mode === "self" && v.pin) ctx.addIssue({ code: "custom", path: ["pin"], message: "Only tablet links have a PIN; leave it empty for a community link." });
  });

export type LinkForm = z.infer<typeof LinkFormSchema>;

/** The cap a new link's form starts with: community links get one (their address is on posters), tablet links none. */
export const defaultCapFor = (mode: "kiosk" | "self"): string => (mode === "self" ? String(DEFAULT_COMMUNITY_CAP) : "");

/** The end of the chosen day, UTC: a link that "expires on 31 December" still works that day. */
export const expiryOf = (day: string | null) => (day ? `${day}T23:59:59.999Z` : null);

export type LinkState = "active" | "revoked" | "expired" | "full";

export function linkState(l: { revokedAt: string | null; expiresAt: string | null; maxResponses: number | null; responseCount: number }, now = new Date().toISOString()): LinkState {
  if (l.revokedAt) return "revoked";
  if (l.expiresAt && l.expiresAt <= now) return "expired";
  if (l.maxResponses !== null && l.responseCount >= l.maxResponses) return "full";
  return "active";
}

export const STATE_WORDS: Record<LinkState, string> = {
  active: "Active",
  revoked: "Revoked",
  expired: "Expired",
  full: "Cap reached",
};
