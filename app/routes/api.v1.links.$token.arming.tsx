// POST /api/v1/links/{token}/arming — arms a shared tablet: gives the kiosk PIN's check value (which
// anonymous link bundles never carry) to a facilitator of the link's programme or an administrator.
// Signed in with a browser session, the request also ends that session, so no one stays signed in
// on a tablet that is passed around; a bearer token (a device-management script) is left as it is.
import type { ActionFunctionArgs } from "@remix-run/node";
import { clearSessionCookie, getSession, jsonError, readSessionCookie, requireApiViewer } from "~/auth.server";
import { rateLimit, requireLink } from "~/api/link-api.server";
import { armingCheckValue, programmeFacilitators } from "~/models/collection-links.server";
import { ArmingBodySchema } from "~/models/session-body";
import { deleteSession } from "~/models/sessions.server";
import { recordAudit } from "~/models/audit.server";

const NO_STORE = { "Cache-Control": "no-store" };

export async function action({ request, context, params }: ActionFunctionArgs) {
  if (request.method !== "POST") return jsonError(405, "Use POST to arm a tablet.");
  const token = params.token!;
  rateLimit(token, context);
  const link = await requireLink(token, context, { forSubmitting: false });
  const bySession = !request.headers.get("Authorization") && (await getSession(request, context)) !== null;
  if (bySession) {
    // Links' API takes requests from any origin (the token is the credential); a session is not such
    // a credential, so it arms only from this site, with a JSON body (other sites' pages cannot send one).
    const origin = request.headers.get("Origin");
    const sameSite = origin !== null && URL.canParse(origin) && new URL(origin).host === request.headers.get("Host");
    if (!sameSite || !/^application\/json\b/i.test(request.headers.get("Content-Type") ?? ""))
      return jsonError(403, "Arm a tablet from the collection page of this site.");
  }
  const viewer = await requireApiViewer(request, context, "submit");
  const headers = new Headers(NO_STORE);
  if (bySession) {
    // Whatever the outcome, the person who signed in on this tablet is signed out of it now.
    const value = readSessionCookie(request);
    if (value) await deleteSession(context.db, value);
    headers.set("Set-Cookie", clearSessionCookie(request));
  }
  // The tablet's name, typed on the arming screen (optional; older tablets send "{}" or nothing).
  const text = await request.text();
  let body: unknown = {};
  try {
    body = text.trim() ? JSON.parse(text) : {};
  } catch {
    body = null;
  }
  const parsed = ArmingBodySchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const res = jsonError(400, issue.message, { path: issue.path.join(".") || "body" });
    headers.forEach((v, k) => res.headers.set(k, v));
    return res;
  }
  const deviceName = parsed.data.deviceName;
  const found = await armingCheckValue(context.db, viewer, link.id);
  if (found === null) {
    const res = jsonError(403, "Only a facilitator of this link's programme or an administrator can arm a tablet for it.");
    headers.forEach((v, k) => res.headers.set(k, v));
    return res;
  }
  if (found === "no-pin") {
    const res = jsonError(409, "This link has no facilitator PIN: only tablet links are armed.", { path: "pin" });
    headers.forEach((v, k) => res.headers.set(k, v));
    return res;
  }
  await recordAudit(context.db, viewer, {
    action: "link.arm",
    programmeId: link.programmeId,
    surveyId: link.surveyId,
    target: `link ${link.label}`,
    details: { linkId: link.id, signedOut: bySession, deviceName },
  });
  return Response.json(
    {
      linkId: link.id,
      kioskPin: found.kioskPin,
      signedOut: bySession,
      deviceName,
      armedBy: { id: viewer.id, name: viewer.displayName },
      // Whom a session on this tablet can be recorded as run by (names only, to the person arming it).
      facilitators: await programmeFacilitators(context.db, link.programmeId),
    },
    { headers },
  );
}

export const loader = () => jsonError(405, "Use POST to arm a tablet.");
