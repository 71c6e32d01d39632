// The tablet checks the facilitator's PIN offline with the server's own PBKDF2 parameters: a PIN the
// server hashed must be accepted on the device, a wrong one refused, with WebCrypto or without it.
import { pbkdf2Sync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { hashPin } from "../../app/models/collection-links.server";
import { checkPin } from "../../app/collector/device";
import { pbkdf2Sha256 } from "../../app/collector/pbkdf2";

describe("the kiosk PIN on the tablet", () => {
  it("accepts the PIN the server hashed and refuses others (WebCrypto)", async () => {
    const stored = hashPin("2468");
    expect(await checkPin(stored, "2468")).toBe(true);
    expect(await checkPin(stored, "2469")).toBe(false);
    expect(await checkPin(stored, "")).toBe(false);
    expect(await checkPin("garbage", "2468")).toBe(false);
  });

  it("computes the same PBKDF2-SHA256 in plain JavaScript for pages without WebCrypto", () => {
    for (const [pin, salt] of [["2468", "00ff"], ["12345678", "9c1d2e3f4a5b6c7d8e9f00112233aabb"], ["", "x".repeat(80)]]) {
      const ours = Buffer.from(pbkdf2Sha256(Buffer.from(pin), Buffer.from(salt), 1000)).toString("hex");
      expect(ours).toBe(pbkdf2Sync(pin, salt, 1000, 32, "sha256").toString("hex"));
    }
  });
});
