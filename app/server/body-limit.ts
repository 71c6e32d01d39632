// Every request body has a hard cap, counted on the bytes that actually arrive (chunked bodies
// included; a Content-Length over the cap is refused before reading). Routes that take more than a
// form name their own cap here; everything else gets DEFAULT_BODY_LIMIT.
import type { IncomingMessage } from "node:http";
import { maxUploadBytes } from "~/exchange/uploads.server";

const MB = 1024 * 1024;

/** Forms, sign-in included: far more than any form of the app sends. */
export const DEFAULT_BODY_LIMIT = 1 * MB;
/** The sync API's own limit (README: 413 over 500 responses or 5 MB). */
export const SYNC_BODY_LIMIT = 5 * MB;

export interface BodyLimit {
  bytes: number;
  /** What the sender can do about it, for the error message. */
  advice: string;
}

/**
 * Routes with caps of their own, matched on the path (a single-fetch `.data` suffix removed).
 * A route that takes larger uploads adds its line here.
 */
export const BODY_LIMITS: { path: RegExp; limit: BodyLimit }[] = [
  { path: /^\/api\/v1\/links\/[^/]+\/(?:responses|sessions)$/, limit: { bytes: SYNC_BODY_LIMIT, advice: "send fewer responses per request" } },
  // The import upload: its file limit plus room for the form's other fields.
  // (IMPORT_MAX_BYTES is read when a request comes, as the upload reads it.)
  {
    path: /^\/surveys\/[^/]+\/data$/,
    limit: {
      get bytes() {
        return maxUploadBytes() + MB;
      },
      advice: "split the file and import the parts",
    },
  },
  // A recorded voice: one clip (voices/prompts.ts MAX_CLIP_BYTES, refused by the page above 1 MB) and its form.
  { path: /^\/surveys\/[^/]+\/voices$/, limit: { bytes: 2 * MB, advice: "a clip may be at most 1 MB" } },
  // A survey definition, form-encoded (non-Latin text triples in size), or its JSON file.
  { path: /^\/surveys\/[^/]+\/edit$/, limit: { bytes: 8 * MB, advice: "a survey definition is far smaller" } },
  { path: /^\/programmes\/[^/]+\/surveys\/new$/, limit: { bytes: 4 * MB, advice: "a survey definition is far smaller" } },
];

export function bodyLimitFor(pathname: string): BodyLimit {
  const path = pathname.replace(/\.data$/, "").replace(/\/$/, "") || "/";
  return BODY_LIMITS.find((l) => l.path.test(path))?.limit ?? { bytes: DEFAULT_BODY_LIMIT, advice: "send less" };
}

export const describeBytes = (bytes: number) => (bytes >= MB ? `${Math.round((bytes / MB) * 10) / 10} MB` : `${Math.round(bytes / 1024)} KB`);

export class BodyTooLargeError extends Error {
  constructor(readonly limit: BodyLimit) {
    super(`The request body is larger than ${describeBytes(limit.bytes)}, the limit for this address: ${limit.advice}.`);
    this.name = "BodyTooLargeError";
  }
}

export interface LimitedBody {
  stream: ReadableStream<Uint8Array>;
  /** True once more than the cap arrived: the reader got a BodyTooLargeError and reading stopped. */
  readonly overflowed: boolean;
}

/**
 * The request's body as a web stream that errors once more than `limit` bytes arrive. It reads
 * only as fast as its reader takes (backpressure), so memory holds at most one chunk beyond what
 * the reader keeps, and nothing at all for a route that never reads its body.
 */
export function limitedBody(req: IncomingMessage, limit: BodyLimit): LimitedBody {
  let received = 0;
  let overflowed = false;
  let finished = false;
  const stream = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        req.pause();
        req.on("data", (chunk: Buffer) => {
          if (finished) return;
          received += chunk.byteLength;
          if (received > limit.bytes) {
            overflowed = true;
            finished = true;
            req.pause();
            controller.error(new BodyTooLargeError(limit));
            return;
          }
          controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
          if ((controller.desiredSize ?? 0) <= 0) req.pause();
        });
        req.on("end", () => {
          if (finished) return;
          finished = true;
          controller.close();
        });
        req.on("error", (err) => {
          if (finished) return;
          finished = true;
          controller.error(err);
        });
      },
      pull() {
        if (!finished) req.resume();
      },
      cancel() {
        finished = true;
        req.pause();
      },
    },
    { highWaterMark: 64 * 1024, size: (chunk) => chunk.byteLength },
  );
  return {
    stream,
    get overflowed() {
      return overflowed;
    },
  };
}
