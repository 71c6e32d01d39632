// Hands requests to Remix (as @remix-run/express does), with two answers of the server's own:
// 413 for a body over its route's cap (counted while reading), and 503 when the database or its
// disk failed underneath a loader or action.
import type { Request as ExpressRequest, Response as ExpressResponse, NextFunction } from "express";
import type { IncomingHttpHeaders } from "node:http";
import { createRequestHandler, writeReadableStreamToWritable, type ServerBuild } from "@remix-run/node";
import type { AppContext } from "~/context";
import { bodyLimitFor, BodyTooLargeError, limitedBody, type BodyLimit } from "./body-limit";
import { describeFailure, isApiPath, isStorageUnavailable, plainPage, unavailableResponse } from "./failures";

export interface RemixHandlerOptions {
  build: ServerBuild | (() => Promise<ServerBuild>);
  getLoadContext(req: ExpressRequest, res: ExpressResponse): AppContext;
}

/** How long a refused upload may go on arriving (and be discarded) so the client reads its 413. */
const LINGER_MS = 5_000;

export function remixHandler({ build, getLoadContext }: RemixHandlerOptions) {
  const handleRequest = createRequestHandler(build, process.env.NODE_ENV);
  return async (req: ExpressRequest, res: ExpressResponse, next: NextFunction) => {
    try {
      const hasBody = req.method !== "GET" && req.method !== "HEAD";
      const limit = bodyLimitFor(req.path);
      if (hasBody && Number(req.get("content-length") ?? 0) > limit.bytes) return await refuseTooLarge(req, res, limit);
      const body = hasBody ? limitedBody(req, limit) : null;

      const controller = new AbortController();
      res.on("close", () => {
        if (!res.writableFinished) controller.abort();
      });
      const request = new Request(`${req.protocol}://${req.get("host")}${req.originalUrl}`, {
        method: req.method,
        headers: requestHeaders(req.headers),
        signal: controller.signal,
        ...(body ? { body: body.stream, duplex: "half" } : {}),
      } as RequestInit);
      const context = getLoadContext(req, res);
      let response = await handleRequest(request, context);

      if (body?.overflowed) return await refuseTooLarge(req, res, limit);
      const storage = context.errors.find(isStorageUnavailable);
      if (response.status >= 500 && storage) {
        console.error(`${req.method} ${req.path}: answered 503, storage unavailable: ${describeFailure(storage)}`);
        response = unavailableResponse(isApiPath(req.path));
      }
      await sendResponse(res, response);
      if (body && !req.complete) discardRest(req, res);
    } catch (error) {
      next(error);
    }
  };
}

/** 413 naming the cap, JSON on the API and a plain page elsewhere; the rest of the body is discarded. */
async function refuseTooLarge(req: ExpressRequest, res: ExpressResponse, limit: BodyLimit) {
  const message = new BodyTooLargeError(limit).message;
  const reply = isApiPath(req.path)
    ? Response.json({ error: { status: 413, message, limit: limit.bytes } }, { status: 413 })
    : plainPage(413, "Too much data", message);
  reply.headers.set("Connection", "close");
  await sendResponse(res, reply);
  discardRest(req, res);
}

/**
 * Reads and drops what is still arriving, for a little while, before closing: closing a socket
 * the client is still writing to resets it, and the client would lose the answer it was sent.
 */
function discardRest(req: ExpressRequest, res: ExpressResponse) {
  req.removeAllListeners("data");
  req.resume();
  const timer = setTimeout(() => req.socket.destroy(), LINGER_MS);
  timer.unref();
  req.once("end", () => clearTimeout(timer));
  res.once("close", () => {
    if (req.complete) clearTimeout(timer);
  });
}

function requestHeaders(incoming: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [key, values] of Object.entries(incoming)) {
    if (values === undefined) continue;
    for (const value of Array.isArray(values) ? values : [values]) headers.append(key, value);
  }
  return headers;
}

/** Writes a fetch Response to Express (as @remix-run/express does). */
export async function sendResponse(res: ExpressResponse, response: Response) {
  res.statusMessage = response.statusText;
  res.status(response.status);
  for (const [key, value] of response.headers.entries()) res.append(key, value);
  if (response.body) await writeReadableStreamToWritable(response.body, res);
  else res.end();
}
