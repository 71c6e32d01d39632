// Shared by the public collection-link API: token checks, body limits, rate limiting and
// response quotas, each answering with a JSON body that names the problem.
import type { AppLoadContext } from "@remix-run/node";
import { jsonError } from "~/auth.server";
import { resolveLink, type ResolvedLink } from "~/models/collection-links.server";
import { takeResponseQuota } from "~/models/quotas.server";
import { RateLimiter } from "~/server/rate-limit";

export const MAX_BODY_BYTES = 5 * 1024 * 1024;

// The first line, per process and in memory: requests, whatever they carry, so a flood of empty or
// broken requests is refused before it costs a database write. Responses are counted by the
// shared quota below (takeQuota), which every process sees.
const perMinute = Number(process.env.LINK_RATE_LIMIT_PER_MINUTE ?? 600);
const limiter = new RateLimiter(perMinute, 60_000);

export function rateLimit(token: string, context: AppLoadContext) {
  const wait = limiter.hit(`${token}|${context.clientAddress}`);
  if (wait > 0) {
    const res = jsonError(429, `Too many requests for this link; try again in ${wait} seconds.`);
    res.headers.set("Retry-After", String(wait));
    throw res;
  }
}

/**
 * Takes a request's responses from the link's quota for the client's address, or refuses the
 * whole request with 429 and Retry-After: nothing of it is stored, and the tablet keeps its
 * queue and tries again then (a batch that would cross the limit is refused whole).
 */
export async function takeQuota(link: ResolvedLink, count: number, context: AppLoadContext): Promise<void> {
  const outcome = await takeResponseQuota(context.db, link.id, context.clientAddress, count);
  if (outcome.ok) return;
  const message =
    outcome.span === "minute"
      ? `This link accepts at most ${outcome.limit} responses a minute from one address; nothing in this request was stored. Keep the responses and send them again in ${outcome.retryAfter} seconds.`
      : `This link accepts at most ${outcome.limit} responses a day from one address; nothing in this request was stored. Keep the responses: the limit starts over at midnight UTC, or a facilitator can lift it on the survey's Collection links page.`;
  const res = jsonError(429, message);
  res.headers.set("Retry-After", String(outcome.retryAfter));
  throw res;
}

/** The link behind a token, refusing unknown, revoked and expired ones (401) and closed surveys (410). */
export async function requireLink(
  token: string,
  context: AppLoadContext,
  options: { forSubmitting: boolean } = { forSubmitting: true },
): Promise<ResolvedLink> {
  const link = await resolveLink(context.db, token);
  if (!link) throw jsonError(401, "This collection link is not known.");
  if (link.state === "revoked") throw jsonError(401, "This collection link has been revoked.");
  if (link.state === "expired") throw jsonError(401, "This collection link has expired.");
  if (link.latestVersion === 0) throw jsonError(410, "This survey has not been published yet.");
  if (options.forSubmitting && link.surveyStatus === "closed") throw jsonError(410, "This survey is closed and accepts no more responses.");
  return link;
}

/** Reads a JSON body of at most `max` bytes: 413 beyond it, 400 when it is not JSON. */
export async function readJson(request: Request, max = MAX_BODY_BYTES): Promise<unknown> {
  const declared = Number(request.headers.get("Content-Length") ?? 0);
  if (declared > max) throw jsonError(413, `The request is larger than ${max / 1024 / 1024} MB: send fewer responses per request.`);
  const reader = request.body?.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (reader) {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > max) {
        await reader.cancel();
        throw jsonError(413, `The request is larger than ${max / 1024 / 1024} MB: send fewer responses per request.`);
      }
      chunks.push(value);
    }
  }
  // A byte-order mark before the JSON (some Windows tools write one) is not part of it.
  const text = Buffer.concat(chunks).toString("utf8").replace(/^\uFEFF/, "");
  try {
    return JSON.parse(text);
  } catch {
    throw jsonError(400, "The request body is not valid JSON.");
  }
}
