// Draws a QR code computed by qr.server.ts, with the quiet zone scanners need around it.
import type { QrPath } from "./qr.server";

export function QrCode(props: { qr: QrPath; label: string; className?: string }) {
  const { size, d } = props.qr;
  const q = 4;
  return (
    <svg
      className={props.className ?? "qr"}
      viewBox={`${-q} ${-q} ${size + 2 * q} ${size + 2 * q}`}
      role="img"
      aria-label={props.label}
      shapeRendering="crispEdges"
      xmlns="http://www.w3.org/2000/svg"
    >
      <rect x={-q} y={-q} width={size + 2 * q} height={size + 2 * q} fill="#fff" />
      <path d={d} fill="#000" />
    </svg>
  );
}
