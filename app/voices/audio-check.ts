// Whether a clip's bytes are the audio its type says: the first bytes of each container the Voices
// page accepts. A file renamed to .mp3, or a page saved as audio, is refused before it is stored.
import type { VoiceType } from "./prompts";

const ascii = (b: Uint8Array, at: number, text: string) => [...text].every((ch, i) => b[at + i] === ch.charCodeAt(0));

/** The container the bytes hold, as one of the accepted types, or null when it is none of them. */
export function sniffAudio(b: Uint8Array): VoiceType | null {
  if (b.length < 12) return null;
  if (b[0] === 0x1a && b[1] === 0x45 && b[2] === 0xdf && b[3] === 0xa3) return "audio/webm";
  if (ascii(b, 0, "OggS")) return "audio/ogg";
  if (ascii(b, 0, "RIFF") && ascii(b, 8, "WAVE")) return "audio/wav";
  if (ascii(b, 4, "ftyp")) return "audio/mp4";
  if (ascii(b, 0, "ID3")) return "audio/mpeg";
  if (b[0] === 0xff && (b[1] & 0xf0) === 0xf0) {
    // ADTS (AAC) frames have layer bits 00; MPEG audio frames (MP3) have them set.
    return (b[1] & 0x06) === 0 ? "audio/aac" : "audio/mpeg";
  }
  if (b[0] === 0xff && (b[1] & 0xe0) === 0xe0) return "audio/mpeg";
  return null;
}

/** The declared type matches the bytes (an MP3 with an ID3 tag may hold AAC, and vice versa, in practice). */
export function audioMatches(declared: VoiceType, b: Uint8Array): boolean {
  const found = sniffAudio(b);
  if (found === null) return false;
  if (found === declared) return true;
  const mpegFamily = new Set<VoiceType>(["audio/mpeg", "audio/aac"]);
  return mpegFamily.has(found) && mpegFamily.has(declared);
}
