// Uploaded import files: streamed to disk as they arrive (busboy), in the directory IMPORT_DIR
// names, where every app server on the database can read them; the size cap is counted on the
// bytes received, whatever the request's headers say. Each file is deleted when its job ends.
import { randomBytes, timingSafeEqual } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import busboy from "busboy";
import { data, type AppLoadContext } from "@remix-run/node";
import { CSRF_FIELD, csrfToken } from "~/auth.server";
import { decodeUpload, isZip, xlsxAsCsv, type Decoded } from "./decode";
import { refuse as refusal } from "../refusal.server";

/** The largest file an import takes (IMPORT_MAX_BYTES, default 50 MB). */
export const maxUploadBytes = () => Number(process.env.IMPORT_MAX_BYTES ?? 50 * 1024 * 1024);
/** Where uploaded files wait for their job (IMPORT_DIR, default data/imports). */
export const importDir = () => path.resolve(process.env.IMPORT_DIR ?? "data/imports");

const fileOf = (key: string) => {
  if (!/^[0-9a-f]{32}$/.test(key)) throw new Error("not an upload key");
  return path.join(importDir(), key);
};

export const tooLargeMessage = () => `The file is larger than ${Math.round(maxUploadBytes() / 1024 / 1024)} MB: split it and import the parts.`;

export interface ReceivedForm {
  fields: Record<string, string>;
  /** The uploaded file, on disk, or null when the form had none (or an empty one). */
  file: { key: string; fileName: string; bytes: number } | null;
}

/**
 * Reads a multipart form, writing its `file` to the import directory as it arrives. Refuses
 * (413) as soon as the file passes the cap, without reading the rest; refuses (403) a form
 * without this browser's CSRF token, keeping nothing.
 */
export async function receiveUpload(request: Request, context: AppLoadContext): Promise<ReceivedForm> {
  const max = maxUploadBytes();
  const refuse = () => data({ intent: "error", error: tooLargeMessage() }, { status: 413, headers: { Connection: "close" } });
  if (Number(request.headers.get("Content-Length") ?? 0) > max + 1024 * 1024) throw refuse();
  if (!request.body) throw data({ intent: "error", error: "Choose a CSV or queue file to upload." }, { status: 400 });
  fs.mkdirSync(importDir(), { recursive: true });
  const source = Readable.fromWeb(request.body as WebReadableStream);
  const form: ReceivedForm = { fields: {}, file: null };
  let written: string | null = null;
  try {
    await new Promise<void>((resolve, reject) => {
      const bb = busboy({ headers: Object.fromEntries(request.headers), limits: { fileSize: max, files: 1, fields: 100, fieldSize: 64 * 1024 } });
      let writing: Promise<void> = Promise.resolve();
      const fail = (err: unknown) => {
        source.unpipe(bb);
        source.pause();
        reject(err);
      };
      bb.on("field", (name, value) => (form.fields[name] = value));
      bb.on("file", (name, stream, info) => {
        if (name !== "file") return stream.resume();
        const key = randomBytes(16).toString("hex");
        written = fileOf(key);
        const out = fs.createWriteStream(written);
        let bytes = 0;
        stream.on("data", (chunk: Buffer) => (bytes += chunk.length));
        stream.on("limit", () => {
          stream.unpipe(out);
          stream.resume();
          out.end();
          // Stop reading the request: the rest of an oversized body is never received.
          fail(refuse());
        });
        stream.pipe(out);
        writing = new Promise<void>((done, failed) => {
          out.on("finish", () => {
            form.file = bytes > 0 ? { key, fileName: info.filename || "upload.csv", bytes } : null;
            done();
          });
          out.on("error", failed);
        });
        writing.catch(() => {}); // awaited on close, or the form was refused already
      });
      bb.on("error", () => fail(data({ intent: "error", error: "The upload could not be read: send the form again." }, { status: 400 })));
      bb.on("close", () => writing.then(resolve, reject));
      source.on("error", fail);
      source.pipe(bb);
    });
    const expected = await csrfToken(request, context);
    if (!sameSecret(form.fields[CSRF_FIELD] ?? "", expected))
      throw refusal("refused.staleForm", 403);
  } catch (err) {
    if (written) fs.rmSync(written, { force: true });
    throw err;
  }
  if (!form.file && written) fs.rmSync(written, { force: true });
  return form;
}

const sameSecret = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
};

/**
 * An Excel workbook (known by its content, whatever its name) is replaced on disk by the CSV of its
 * first sheet, so that the job reads text like any other upload. A workbook needs reading whole
 * (exceljs), which the upload's cap bounds. Throws UnreadableWorkbook for a damaged one.
 */
export async function workbookAsCsv(file: { key: string; bytes: number }): Promise<void> {
  const at = fileOf(file.key);
  const head = Buffer.alloc(4);
  const fd = fs.openSync(at, "r");
  try {
    fs.readSync(fd, head, 0, 4, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (!isZip(head)) return;
  const csv = await xlsxAsCsv(fs.readFileSync(at));
  fs.writeFileSync(at, csv, "utf8");
  file.bytes = Buffer.byteLength(csv);
}

/** The uploaded file as text (decode.ts: BOM, UTF-8 or Windows-1252). */
export function readUpload(key: string): Decoded {
  return decodeUpload(fs.readFileSync(fileOf(key)));
}

export interface OpenedUpload {
  encoding: Decoded["encoding"];
  bom: boolean;
  bytes: number;
  /** The first 64 KB of text: enough to tell a queue file from a CSV and to estimate its rows. */
  head: string;
  /** The text, a piece at a time, read from disk as it is needed. */
  pieces(): AsyncIterable<string>;
}

/**
 * Opens an uploaded file for reading in pieces (memory stays small whatever its size): one pass
 * decides its encoding as decode.ts does (UTF-8, else Windows-1252), without keeping what it reads.
 */
export async function openUpload(key: string): Promise<OpenedUpload> {
  const file = fileOf(key);
  const bytes = fs.statSync(file).size;
  let bom = false;
  let first = true;
  let encoding: Decoded["encoding"] = "utf-8";
  const check = new TextDecoder("utf-8", { fatal: true });
  try {
    for await (const chunk of fs.createReadStream(file, { highWaterMark: 1024 * 1024 }) as AsyncIterable<Buffer>) {
      if (first) bom = chunk.length >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf;
      first = false;
      check.decode(chunk, { stream: true });
    }
    check.decode();
  } catch {
    encoding = "windows-1252";
  }
  const pieces = async function* (): AsyncGenerator<string> {
    const decoder = new TextDecoder(encoding, { ignoreBOM: true });
    for await (const chunk of fs.createReadStream(file, { start: bom ? 3 : 0, highWaterMark: 256 * 1024 }) as AsyncIterable<Buffer>) {
      yield decoder.decode(chunk, { stream: true });
    }
    const rest = decoder.decode();
    if (rest) yield rest;
  };
  let head = "";
  for await (const piece of pieces()) {
    head += piece;
    if (head.length >= 64 * 1024) break;
  }
  return { encoding, bom, bytes, head: head.slice(0, 64 * 1024), pieces };
}

export function deleteUploadFile(key: string): void {
  fs.rmSync(fileOf(key), { force: true });
}
