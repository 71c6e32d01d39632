// Turns uploaded bytes into text: strips a byte-order mark, and reads files that are not valid
// UTF-8 (Excel's "CSV" on Windows) as windows-1252, saying so in the report.
export interface Decoded {
  text: string;
  encoding: "utf-8" | "windows-1252";
  bom: boolean;
}

export function decodeUpload(bytes: Uint8Array): Decoded {
  let bom = false;
  let body = bytes;
  if (body.length >= 3 && body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) {
    bom = true;
    body = body.subarray(3);
  }
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(body), encoding: "utf-8", bom };
  } catch {
    return { text: new TextDecoder("windows-1252").decode(body), encoding: "windows-1252", bom };
  }
}
