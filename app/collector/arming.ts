// Arming a kiosk tablet: the PIN's check value is not in the link bundle (anyone with the link reads
// that), so a facilitator signs in on the tablet once, online; the collection page then asks the arming
// endpoint for it, keeps it in IndexedDB, and the server ends that sign-in in the same request.
import { saveArming, type Arming } from "./store";

export type ArmOutcome = { ok: true } | { ok: false; status: number; message: string };

/** Where "Sign in to arm this tablet" goes: the normal sign-in, then back to this link to finish. */
export function armingSignInHref(token: string, search: string): string {
  const params = new URLSearchParams(search);
  params.set("arm", "1");
  return `/login?next=${encodeURIComponent(`/c/${encodeURIComponent(token)}?${params.toString()}`)}`;
}

/** sessionStorage: the device name typed before signing in, read back when the sign-in returns here. */
const deviceNameKey = (token: string) => `sps-device-name:${token}`;
export function rememberDeviceName(token: string, name: string): void {
  sessionStorage.setItem(deviceNameKey(token), name.trim().slice(0, 60));
}

export async function armTablet(token: string): Promise<ArmOutcome> {
  const deviceName = sessionStorage.getItem(deviceNameKey(token)) ?? "";
  let res: Response;
  try {
    res = await fetch(`/api/v1/links/${encodeURIComponent(token)}/arming`, {
      method: "POST",
      credentials: "same-origin",
      cache: "no-store",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ deviceName }),
    });
  } catch {
    return { ok: false, status: 0, message: "Arming needs the network: connect the tablet and try again." };
  }
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
    return { ok: false, status: res.status, message: body?.error?.message ?? `The server answered ${res.status}.` };
  }
  const body = (await res.json()) as { kioskPin: string; deviceName: string; armedBy: Arming["armedBy"]; facilitators: Arming["facilitators"] };
  sessionStorage.removeItem(deviceNameKey(token));
  await saveArming({ token, kioskPin: body.kioskPin, armedAt: new Date().toISOString(), deviceName: body.deviceName, armedBy: body.armedBy, facilitators: body.facilitators });
  return { ok: true };
}
