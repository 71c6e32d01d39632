// The "new collection link" form: what a facilitator may ask for, with messages they can act on.
import { z } from "zod";
import { DEFAULT_COMMUNITY_CAP } from "./quota-rules";
import { linksEn, type LinkFormMessage } from "~/i18n/staff/links";

const optional = z
  .string()
  .optional()
  .transform((v) => (v && v.trim() !== "" ? v.trim() : null));

/** The form's schema, its messages in the page's language (`say`: the words for a form error). */
export const linkFormSchema = (say: (key: LinkFormMessage) => string) =>
  z
    .object({
      mode: z.enum(["kiosk", "self"], { error: say("form.mode") }),
      label: z
        .string({ error: say("form.labelMissing") })
        .trim()
        .min(1, say("form.labelMissing"))
        .max(100, say("form.labelTooLong")),
      communityId: optional,
      roundId: optional,
      expiresOn: optional.refine((v) => v === null || /^\d{4}-\d{2}-\d{2}$/.test(v), say("form.date")),
      maxResponses: optional
        .refine((v) => v === null || (/^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 1_000_000), say("form.cap"))
        .transform((v) => (v === null ? null : Number(v))),
      pin: optional,
    })
    .superRefine((v, ctx) => {
      // Six digits at least: an armed tablet holds the PIN's check value, and four digits fall to a laptop in minutes.
      if (v.mode === "kiosk" && !/^\d{6,8}$/.test(v.pin ?? "")) {
        ctx.addIssue({ code: "custom", path: ["pin"], message: say("form.pinNeeded") });
      }
      if (v.mode === "self" && v.pin) ctx.addIssue({ code: "custom", path: ["pin"], message: say("form.pinNotHere") });
    });

export const LinkFormSchema = linkFormSchema((key) => linksEn[key]);
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
