// Reading a CSV file's rows with papaparse, a slice at a time.
import Papa from "papaparse";

/**
 * The file's rows, one 64 KB slice of text at a time: papaparse parses a slice, pauses while the
 * caller handles its rows, then goes on. Never the whole file in one go, and without a stream
 * object per row (which cost four times the parsing itself). `found.delimiter` is set to the
 * delimiter papaparse detected once the first slice is read.
 */
export async function* csvRows(text: string, found: { delimiter?: string } = {}): AsyncGenerator<string[][]> {
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
