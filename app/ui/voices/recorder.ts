// Recording a clip in the browser with MediaRecorder: Opus in WebM where the browser has it (Chromium,
// Firefox), AAC in MP4 where it has only that (Safari), at a speech bit rate so a minute stays small.

/** The container the browser records best, or null when it cannot record at all. */
export function recordingType(): string | null {
  if (typeof window === "undefined" || typeof MediaRecorder === "undefined" || !navigator.mediaDevices?.getUserMedia) return null;
  for (const type of ["audio/webm;codecs=opus", "audio/ogg;codecs=opus", "audio/mp4", "audio/webm"]) {
    if (MediaRecorder.isTypeSupported(type)) return type;
  }
  return null;
}

/** Speech needs little: 32 kbit/s Opus is about 240 KB a minute, well under a clip's 1 MB. */
const BITS_PER_SECOND = 32_000;
/** A clip longer than this stops by itself (and still fits in a clip's limit). */
export const MAX_RECORDING_SECONDS = 120;

export interface Recording {
  /** Stops and gives the clip (its type without codec parameters, as the server stores it). */
  stop(): Promise<File>;
  /** Stops without keeping anything. */
  cancel(): void;
}

export async function startRecording(type: string): Promise<Recording> {
  const stream = await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: true, noiseSuppression: true } });
  const recorder = new MediaRecorder(stream, { mimeType: type, audioBitsPerSecond: BITS_PER_SECOND });
  const chunks: Blob[] = [];
  recorder.ondataavailable = (e) => {
    if (e.data.size > 0) chunks.push(e.data);
  };
  const stopped = new Promise<void>((resolve) => (recorder.onstop = () => resolve()));
  recorder.start();
  const release = () => stream.getTracks().forEach((t) => t.stop());
  return {
    async stop() {
      if (recorder.state !== "inactive") recorder.stop();
      await stopped;
      release();
      const base = type.split(";")[0];
      const extension = base === "audio/mp4" ? "m4a" : base.split("/")[1];
      return new File(chunks, `recording.${extension}`, { type: base });
    },
    cancel() {
      if (recorder.state !== "inactive") recorder.stop();
      release();
    },
  };
}
