// Short spoken-size clips synthesised in code, for the tests and the bench: 8 kHz, 8-bit mono WAV
// (8 KB a second, so 3 seconds is about the 24 KB a recorded Opus prompt of 6 seconds takes).
// A rising tone with a little noise, so two clips of the same length still differ in their bytes.

export function toneWav(seconds: number, opts: { hz?: number; seed?: number } = {}): Uint8Array {
  const rate = 8000;
  const n = Math.round(seconds * rate);
  const out = new Uint8Array(44 + n);
  const view = new DataView(out.buffer);
  const text = (at: number, s: string) => [...s].forEach((ch, i) => (out[at + i] = ch.charCodeAt(0)));
  text(0, "RIFF");
  view.setUint32(4, 36 + n, true);
  text(8, "WAVE");
  text(12, "fmt ");
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, rate, true);
  view.setUint32(28, rate, true); // bytes a second
  view.setUint16(32, 1, true);
  view.setUint16(34, 8, true);
  text(36, "data");
  view.setUint32(40, n, true);
  const hz = opts.hz ?? 440;
  let seed = (opts.seed ?? 1) >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    const noise = ((seed >>> 24) - 128) / 128;
    const t = i / rate;
    const v = 0.6 * Math.sin(2 * Math.PI * (hz + 40 * t) * t) + 0.05 * noise;
    out[44 + i] = Math.max(0, Math.min(255, Math.round(128 + 127 * v)));
  }
  return out;
}
