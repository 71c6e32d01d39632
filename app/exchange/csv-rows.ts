// Reading a CSV file's rows with papaparse, a slice at a time.
import Papa from "papaparse";

/**
 * The file's rows, one 64 KB slice of text at a time: papaparse parses a slice, pauses while the
 * caller handles its rows, then goes on. Never the whole file in one go, and without a stream
 * object per row (which cost four times the parsing itself). `found.delimiter` is set to the
 * delimiter papaparse detected once the first slice is read.
 */
export async function* csvRows(text: string | AsyncIterable<string>, found: { delimiter?: string } = {}): AsyncGenerator<string[][]> {
  if (typeof text !== "string") {
    yield* csvRowsOfPieces(text, found);
    return;
  }
  let slice: string[][] | null = null;
  let parser: Papa.Parser | null = null;
  let finished = false;
  Papa.parse<string[]>(text, {
    delimitersToGuess: [",", ";", "\t", "|"],
    skipEmptyLines: "greedy",
    chunkSize: 64 * 1024,
    chunk(results: Papa.ParseResult<string[]>, p: Papa.Parser) {
      slice = results.data;
      // papaparse guesses the delimiter from the first slice; the report says which it took.
      found.delimiter ??= results.meta.delimiter;
      parser = p;
      p.pause();
    },
    complete() {
      finished = true;
    },
  });
  try {
    for (;;) {
      if (slice) {
        const rows: string[][] = slice;
        slice = null;
        yield rows;
      }
      if (finished || !parser) return;
      (parser as Papa.Parser).resume(); // parses the next slice at once (or completes)
    }
  } finally {
    if (!finished) (parser as Papa.Parser | null)?.abort();
  }
}

const PIECE = 64 * 1024;

/**
 * The rows of a file that arrives in pieces (a stream read from disk), so only a piece or two is
 * ever in memory: each run of complete records is parsed on its own, with the delimiter and line
 * break guessed from the beginning of the file.
 */
async function* csvRowsOfPieces(pieces: AsyncIterable<string>, found: { delimiter?: string }): AsyncGenerator<string[][]> {
  let buffer = "";
  let config: { delimiter: string; newline: string } | null = null;
  const parse = (part: string) => Papa.parse<string[]>(part, { delimiter: config!.delimiter, newline: config!.newline as Papa.ParseConfig["newline"], skipEmptyLines: "greedy" }).data;
  for await (const piece of pieces) {
    buffer += piece;
    if (buffer.length < PIECE) continue;
    if (!config) {
      config = guessed(buffer);
      found.delimiter ??= config.delimiter;
    }
    const end = lastRecordEnd(buffer, config.delimiter);
    if (end === 0) continue; // one record longer than a piece: wait for its end
    const rows = parse(buffer.slice(0, end));
    // A copy of the rest, not a slice of the whole: a slice would keep every earlier piece alive.
    buffer = flat(buffer.slice(end));
    if (rows.length) yield rows;
  }
  if (!config) {
    config = guessed(buffer);
    found.delimiter ??= config.delimiter;
  }
  const rows = buffer ? parse(buffer) : [];
  if (rows.length) yield rows;
}

const flat = (text: string) => (text ? Buffer.from(text, "utf16le").toString("utf16le") : "");

function guessed(head: string): { delimiter: string; newline: string } {
  const meta = Papa.parse<string[]>(head.slice(0, PIECE), { delimitersToGuess: [",", ";", "\t", "|"], preview: 50 }).meta;
  return { delimiter: meta.delimiter, newline: meta.linebreak };
}

/** Where the last complete record of `text` ends (0: none), reading quotes as papaparse does. */
export function lastRecordEnd(text: string, delimiter: string): number {
  let inQuotes = false;
  let fieldStart = true;
  let end = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inQuotes) {
      if (c === 34) {
        if (text.charCodeAt(i + 1) === 34) i++;
        else inQuotes = false;
      }
      continue;
    }
    if (c === 34 && fieldStart) {
      inQuotes = true;
      fieldStart = false;
    } else if (c === 10) {
      end = i + 1;
      fieldStart = true;
    } else if (c === 13) {
      if (i + 1 === text.length) break; // its \n may be in the next piece
      if (text.charCodeAt(i + 1) === 10) i++;
      end = i + 1;
      fieldStart = true;
    } else fieldStart = text[i] === delimiter;
  }
  return end;
}
