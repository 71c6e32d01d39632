// QR codes for collection links, computed on the server as one SVG path (no canvas, no HTML string):
// the page renders <svg><path d=…/></svg> itself, so nothing is ever injected as markup.
import QRCode from "qrcode";

export interface QrPath {
  /** Modules per side, without the quiet zone. */
  size: number;
  /** One rectangle per run of dark modules, in module units. */
  d: string;
}

export function qrPath(text: string): QrPath {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: "M" });
  const { size, data } = modules;
  let d = "";
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; ) {
      if (!data[y * size + x]) {
        x++;
        continue;
      }
      let run = 1;
      while (x + run < size && data[y * size + x + run]) run++;
      d += `M${x} ${y}h${run}v1h-${run}z`;
      x += run;
    }
  }
  return { size, d };
}
