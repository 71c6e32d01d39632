// A stored clip as an HTTP answer: its own type, its hash as the ETag, and 304 when the asker has it.
import type { StoredClip } from "~/models/voices.server";

export function clipResponse(clip: StoredClip, hash: string, request: Request, cacheControl: string): Response {
  const etag = `"${hash}"`;
  const headers = { "Content-Type": clip.type, "Cache-Control": cacheControl, ETag: etag, "X-Content-Type-Options": "nosniff" };
  if (request.headers.get("If-None-Match") === etag) return new Response(null, { status: 304, headers });
  return new Response(new Uint8Array(clip.bytes), { headers: { ...headers, "Content-Length": String(clip.bytes.byteLength) } });
}
