// Who is asking, and whether they may: session cookies, CSRF tokens on forms, bearer API tokens.
import { timingSafeEqual } from "node:crypto";
import { data, redirect, type AppLoadContext } from "@remix-run/node";
import { findSession, type SessionInfo } from "./models/sessions.server";
import { viewerForApiToken } from "./models/api-tokens.server";
import type { Viewer } from "./models/viewer";

export const SESSION_COOKIE = "sps_session";
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

export function sessionCookie(request: Request, value: string, maxAgeSeconds: number): string {
  const parts = [`${SESSION_COOKIE}=${value}`, "Path=/", "HttpOnly", "SameSite=Lax", `Max-Age=${maxAgeSeconds}`];
  if (isHttps(request)) parts.push("Secure");
  return parts.join("; ");
}

export const clearSessionCookie = (request: Request) => sessionCookie(request, "", 0);

/** The signed-in session, if any (cached per request). */
const cache = new WeakMap<Request, Promise<SessionInfo | null>>();
export function getSession(request: Request, context: AppLoadContext): Promise<SessionInfo | null> {
  let found = cache.get(request);
  if (!found) {
    const value = readCookie(request, SESSION_COOKIE);
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
  if (!session.viewer.isAdmin) throw data({ message: "Only administrators can open this page." }, { status: 403 });
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
    throw data(
      { message: "This form has expired or did not come from this site. Reload the page and try again." },
      { status: 403 },
    );
  }
  return form;
}

const FORM_TYPES = /^(?:application\/x-www-form-urlencoded|multipart\/form-data)\s*(?:;|$)/i;

/** The body as a form: 415 for another content type, 400 for a form that does not parse. */
async function formBody(request: Request): Promise<FormData> {
  if (!FORM_TYPES.test(request.headers.get("Content-Type") ?? ""))
    throw data({ message: "Send this form as application/x-www-form-urlencoded or multipart/form-data." }, { status: 415 });
  try {
    return await request.formData();
  } catch {
    // A body over its cap also ends here; the server answers that one with 413 instead.
    throw data({ message: "This form could not be read (its body is malformed). Reload the page and try again." }, { status: 400 });
  }
}

export function jsonError(status: number, message: string, extra: Record<string, unknown> = {}) {
  return Response.json({ error: { status, message, ...extra } }, { status });
}

/** API callers: `Authorization: Bearer <token>`, or a signed-in browser session. */
export async function requireApiViewer(request: Request, context: AppLoadContext): Promise<Viewer> {
  const auth = request.headers.get("Authorization");
  if (auth) {
    const match = /^Bearer\s+(\S+)$/i.exec(auth);
    const viewer = match ? await viewerForApiToken(context.db, match[1]) : null;
    if (!viewer) throw jsonError(401, "The API token is unknown or has been revoked.");
    return viewer;
  }
  const session = await getSession(request, context);
  if (!session) throw jsonError(401, "Sign in or send an API token as 'Authorization: Bearer <token>'.");
  return session.viewer;
}
