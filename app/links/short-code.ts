// A link's short code: 8 characters a respondent can read off a poster and type (/c/ABCD-2345).
// No look-alikes (0/O, 1/I/L), upper case; typed in lower case or with a dash or spaces it still works.
export const SHORT_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
export const SHORT_CODE_LENGTH = 8;

/** A new code from the platform's random source (rejection sampling: every character equally likely). */
export function newShortCode(): string {
  const n = SHORT_CODE_ALPHABET.length;
  const limit = 256 - (256 % n);
  let code = "";
  while (code.length < SHORT_CODE_LENGTH) {
    for (const b of crypto.getRandomValues(new Uint8Array(16))) {
      if (b < limit && code.length < SHORT_CODE_LENGTH) code += SHORT_CODE_ALPHABET[b % n];
    }
  }
  return code;
}

/** The code in a typed address segment ("abcd-2345", "ABCD 2345"), or null when it is not one. */
export function readShortCode(typed: string): string | null {
  if (typed.length > 12) return null; // a link's token is 24 characters
  const code = typed.replace(/[\s-]/g, "").toUpperCase();
  if (code.length !== SHORT_CODE_LENGTH) return null;
  for (const ch of code) if (!SHORT_CODE_ALPHABET.includes(ch)) return null;
  return code;
}

/** As printed: two groups of four, easier to read out and to type. */
export function formatShortCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}
