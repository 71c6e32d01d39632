// Who is asking, and whether they may: session cookies, CSRF tokens on forms, bearer API tokens.
import { timingSafeEqual } from "node:crypto";
import { redirect, type AppLoadContext } from "@remix-run/node";
import { findSession, type SessionInfo } from "./models/sessions.server";
import { checkApiToken } from "./models/api-tokens.server";
import { SCOPE_VERBS, type ApiScope } from "./models/api-scopes";
import type { Viewer } from "./models/viewer";
import { refuse } from "./refusal.server";

/** Over plain http (a laptop on a LAN) the cookie cannot carry the `__Host-` prefix, which needs Secure. */
export const SESSION_COOKIE = "sps_session";
/** Over https: `__Host-` makes browsers refuse it unless Secure, Path=/ and without Domain, so no sibling host can set it. */
export const SECURE_SESSION_COOKIE = "__Host-sps_session";
export const CSRF_COOKIE = "sps_csrf";
export const CSRF_FIELD = "csrf";

export function readCookie(request: Request, name: string): string | null {
  const header = request.headers.get("Cookie");
  if (!header) return null;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return null;
}

const isHttps = (request: Request) => new URL(request.url).protocol === "https:";

/** The session cookie's name for this request's scheme. */
export const sessionCookieName = (request: Request) => (isHttps(request) ? SECURE_SESSION_COOKIE : SESSION_COOKIE);

export function sessionCookie(request: Request, value: string, maxAgeSeconds: number): string {
  const parts = [`${sessionCookieName(request)}=${value}`, "Path=/", "HttpOnly", "SameSite=Lax", `Max-Age=${maxAgeSeconds}`];
  if (isHttps(request)) parts.push("Secure");
  return parts.join("; ");
}

/** The session cookie's value this request carries, if any. */
export const readSessionCookie = (request: Request) => readCookie(request, sessionCookieName(request));

export const clearSessionCookie = (request: Request) => sessionCookie(request, "", 0);

/** The signed-in session, if any (cached per request). */
const cache = new WeakMap<Request, Promise<SessionInfo | null>>();
export function getSession(request: Request, context: AppLoadContext): Promise<SessionInfo | null> {
  let found = cache.get(request);
  if (!found) {
    const value = readSessionCookie(request);
    found = value ? findSession(context.db, value) : Promise.resolve(null);
    cache.set(request, found);
  }
  return found;
}

export async function requireSession(request: Request, context: AppLoadContext): Promise<SessionInfo> {
  const session = await getSession(request, context);
  if (!session) {
    const url = new URL(request.url);
    const next = url.pathname + url.search;
    throw redirect(`/login?next=${encodeURIComponent(next)}`);
  }
  return session;
}

export async function requireViewer(request: Request, context: AppLoadContext): Promise<Viewer> {
  return (await requireSession(request, context)).viewer;
}

export async function requireAdmin(request: Request, context: AppLoadContext): Promise<SessionInfo> {
  const session = await requireSession(request, context);
  if (!session.viewer.isAdmin) throw refuse("refused.adminsOnly", 403);
  return session;
}

/** The CSRF token forms must carry: the session's, or before sign-in the anonymous cookie's. */
export async function csrfToken(request: Request, context: AppLoadContext): Promise<string> {
  const session = await getSession(request, context);
  return session?.csrfToken ?? readCookie(request, CSRF_COOKIE) ?? "";
}

const sameSecret = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
};

/**
 * Reads a form and refuses it (403) unless it carries this browser's CSRF token. The Origin header
 * is checked for every state-changing request by the server before Remix sees it.
 */
export async function readForm(request: Request, context: AppLoadContext): Promise<FormData> {
  const form = await formBody(request);
  const sent = form.get(CSRF_FIELD);
  const expected = await csrfToken(request, context);
  if (typeof sent !== "string" || !sameSecret(sent, expected)) {
    throw refuse("refused.staleForm", 403);
  }
  return form;
}

const FORM_TYPES = /^(?:application\/x-www-form-urlencoded|multipart\/form-data)\s*(?:;|$)/i;

/** The body as a form: 415 for another content type, 400 for a form that does not parse. */
async function formBody(request: Request): Promise<FormData> {
  if (!FORM_TYPES.test(request.headers.get("Content-Type") ?? ""))
    throw refuse("refused.formType", 415);
  try {
    return await request.formData();
  } catch {
    // A body over its cap also ends here; the server answers that one with 413 instead.
    throw refuse("refused.badForm", 400);
  }
}

export function jsonError(status: number, message: string, extra: Record<string, unknown> = {}) {
  return Response.json({ error: { status, message, ...extra } }, { status });
}

/**
 * API callers: `Authorization: Bearer <token>` whose scope includes `scope`, or a signed-in browser
 * session (which may do whatever its person may). Refusals say why, in `reason`.
 */
export async function requireApiViewer(request: Request, context: AppLoadContext, scope: ApiScope | "any"): Promise<Viewer> {
  const auth = request.headers.get("Authorization");
  if (auth) {
    const match = /^Bearer\s+(\S+)$/i.exec(auth);
    const found = match ? await checkApiToken(context.db, match[1]) : ({ status: "unknown" } as const);
    if (found.status === "expired")
      throw jsonError(401, `The API token expired on ${found.expiredAt.slice(0, 10)}. Make a new one under your settings.`, { reason: "expired" });
    if (found.status !== "ok") throw jsonError(401, "The API token is unknown or has been revoked.", { reason: "unknown" });
    if (scope !== "any" && !found.scopes.includes(scope))
      throw jsonError(
        403,
        `This API token may not ${SCOPE_VERBS[scope]}: it was made for ${found.scopes.map((s) => SCOPE_VERBS[s]).join(", ") || "nothing"}. Make a token with the "${scope}" scope under your settings.`,
        { reason: "scope", scope },
      );
    return found.viewer;
  }
  const session = await getSession(request, context);
  if (!session) throw jsonError(401, "Sign in or send an API token as 'Authorization: Bearer <token>'.");
  return session.viewer;
}
