// Sealed responses: what a tablet seals only the programme's private key opens, exactly as it was;
// any change to the envelope, another key or an id swapped between inside and outside is refused.
import { describe, expect, it } from "vitest";
import { newKeyPair, openSealed, sealResponse, SealError, fromBase64url, toBase64url, type SealedItem } from "../../app/collector/seal";

const response = {
  id: "6f1c1b53-7d1e-4c4a-9a0f-1d2e3f405060",
  surveyVersion: 2,
  collectedAt: "2026-11-20T10:15:00.000Z",
  language: "ar",
  sessionId: "s-1",
  answers: { safe_after_dark: "2", threats: ["theft", "roads"], comment: "الطريق إلى السوق مظلم — lampposts broken" },
};

function keys() {
  const pair = newKeyPair();
  return { ...pair, kid: "k-test" };
}

/** Flips one bit of a base64url field. */
function flip(text: string, at = 0): string {
  const bytes = fromBase64url(text);
  bytes[at] ^= 0x01;
  return toBase64url(bytes);
}

describe("sealing a response on the tablet", () => {
  it("opens with the programme's private key to exactly the response that was sealed", () => {
    const k = keys();
    const item = sealResponse({ kid: k.kid, publicKey: k.publicKey }, response);
    expect(item.id).toBe(response.id);
    expect(item.sealed).toMatchObject({ v: 1, alg: "X25519-HKDF-SHA256-A256GCM", kid: "k-test" });
    const text = JSON.stringify(item);
    expect(text).not.toContain("lampposts");
    expect(text).not.toContain("safe_after_dark");
    expect(openSealed(k.privateKey, JSON.parse(text))).toEqual(response);
    // The server passes the stored public key instead of working it out; a wrong one does not open.
    expect(openSealed(k.privateKey, item, k.publicKey)).toEqual(response);
    expect(() => openSealed(k.privateKey, item, newKeyPair().publicKey)).toThrow(/could not be opened/);
  });

  it("seals the same response differently each time (fresh ephemeral key and iv), both open the same", () => {
    const k = keys();
    const a = sealResponse(k, response);
    const b = sealResponse(k, response);
    expect(a.sealed.epk).not.toBe(b.sealed.epk);
    expect(a.sealed.ct).not.toBe(b.sealed.ct);
    expect(openSealed(k.privateKey, a)).toEqual(openSealed(k.privateKey, b));
  });

  it("refuses a changed ciphertext, iv, ephemeral key or key id", () => {
    const k = keys();
    const item = sealResponse(k, response);
    const variants: SealedItem["sealed"][] = [
      { ...item.sealed, ct: flip(item.sealed.ct, 3) },
      { ...item.sealed, ct: flip(item.sealed.ct, fromBase64url(item.sealed.ct).length - 1) }, // the tag
      { ...item.sealed, iv: flip(item.sealed.iv) },
      { ...item.sealed, epk: flip(item.sealed.epk, 5) },
      { ...item.sealed, kid: "k-other" },
      { ...item.sealed, ct: item.sealed.ct.slice(0, -4) },
    ];
    for (const sealed of variants) {
      expect(() => openSealed(k.privateKey, { id: item.id, sealed })).toThrow(SealError);
      expect(() => openSealed(k.privateKey, { id: item.id, sealed })).toThrow(/could not be opened/);
    }
  });

  it("refuses to open with another programme's key", () => {
    const ours = keys();
    const theirs = keys();
    const item = sealResponse(ours, response);
    expect(() => openSealed(theirs.privateKey, item)).toThrow(/could not be opened/);
  });

  it("refuses an item whose outside id is not the sealed one, or whose inside id differs", () => {
    const k = keys();
    const item = sealResponse(k, response);
    // The id outside is bound into the key and associated data: moving it breaks the seal.
    expect(() => openSealed(k.privateKey, { ...item, id: "7a1c1b53-7d1e-4c4a-9a0f-1d2e3f405060" })).toThrow(/could not be opened/);
    // A client that seals one id inside and names another outside is refused by name.
    const mismatched = sealResponse(k, response, "7a1c1b53-7d1e-4c4a-9a0f-1d2e3f405060");
    expect(() => openSealed(k.privateKey, mismatched)).toThrow("The id inside the sealed response is not the id outside it.");
  });

  it("names what is malformed in an envelope", () => {
    const k = keys();
    const item = sealResponse(k, response);
    expect(() => openSealed(k.privateKey, { id: item.id, sealed: null })).toThrow(/sealed must be an object/);
    expect(() => openSealed(k.privateKey, { id: item.id, sealed: { ...item.sealed, v: 2 } })).toThrow(/Only sealed format v1/);
    expect(() => openSealed(k.privateKey, { id: item.id, sealed: { ...item.sealed, ct: 12 } })).toThrow(/kid, epk, iv and ct/);
    expect(() => openSealed(k.privateKey, { id: 5, sealed: item.sealed })).toThrow(/no id/);
    expect(() => openSealed(k.privateKey, { id: item.id, sealed: { ...item.sealed, epk: "***" } })).toThrow(/could not be opened/);
  });
});
