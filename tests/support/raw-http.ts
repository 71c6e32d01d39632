// Requests a browser's fetch cannot make: bodies streamed chunk by chunk with no Content-Length
// (or a false one), as an attacker's script would send them, stopping when the server answers.
import http from "node:http";

export interface RawReply {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  /** Bytes of body written before the answer came (or all of them). */
  sent: number;
}

export interface StreamedBody {
  method?: string;
  headers?: Record<string, string>;
  /** The bytes to send, repeated until `total` bytes are written. */
  chunk: Buffer;
  total: number;
  /** Bytes written once before the repeated chunk (a JSON or multipart prefix). */
  prefix?: Buffer;
}

export function streamRequest(base: string, path: string, body: StreamedBody): Promise<RawReply> {
  const url = new URL(path, base);
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = http.request(url, { method: body.method ?? "POST", headers: { Origin: base, ...body.headers } });
    req.on("response", (res) => {
      answered = true;
      const parts: Buffer[] = [];
      res.on("data", (c: Buffer) => parts.push(c));
      res.on("end", () => {
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(parts).toString("utf8"), sent });
        req.destroy();
      });
      res.on("error", reject);
    });
    req.on("error", (err) => {
      if (!answered) reject(err);
    });
    const write = async () => {
      if (body.prefix) {
        req.write(body.prefix);
        sent += body.prefix.length;
      }
      while (!answered && sent < body.total) {
        const piece = body.chunk.subarray(0, Math.min(body.chunk.length, body.total - sent));
        sent += piece.length;
        if (!req.write(piece)) await new Promise<void>((r) => req.once("drain", () => r()));
      }
      if (!answered) req.end();
    };
    write().catch(reject);
  });
}
