// Sealed responses: a tablet encrypts each response to its programme's public key the moment it is
// saved, so the device (outbox, queue file, needs-attention list) never holds answers in clear; only
// the server, which keeps the private key, can open them. Pure JavaScript (@noble/*), because pages
// served over plain http on a LAN have no crypto.subtle; the server runs this very module at ingest.
//
// Format v1: an ephemeral X25519 key agreement with the programme key, HKDF-SHA256 (salt = ephemeral
// public key ‖ programme public key, info = label ‖ key id ‖ response id) to an AES-256-GCM key; the
// version, algorithm, key id, ephemeral key and response id are the associated data, so none of them
// can be swapped without the ciphertext failing to open.
import { x25519 } from "@noble/curves/ed25519.js";
import { gcm } from "@noble/ciphers/aes.js";
import { hkdf } from "@noble/hashes/hkdf.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { randomBytes } from "@noble/hashes/utils.js";

export const SEAL_ALG = "X25519-HKDF-SHA256-A256GCM";
const LABEL = "sps sealed response v1";

export interface Sealed {
  v: 1;
  alg: typeof SEAL_ALG;
  /** Which programme key sealed it (keys can rotate later; the server keeps every one it made). */
  kid: string;
  epk: string;
  iv: string;
  ct: string;
}

/** A response as the sync API takes it sealed: the id stays outside so retries and results can name it. */
export interface SealedItem {
  id: string;
  sealed: Sealed;
}

export interface SealingKey {
  kid: string;
  /** base64url of the 32-byte X25519 public key. */
  publicKey: string;
}

/** Why a sealed item could not be opened (the sync API answers it as rejected, path "sealed"). */
export class SealError extends Error {}

const utf8 = new TextEncoder();

export function toBase64url(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function fromBase64url(text: string): Uint8Array {
  if (typeof text !== "string" || !/^[A-Za-z0-9_-]*$/.test(text)) throw new SealError("is not base64url text");
  const b = atob(text.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((text.length + 3) % 4));
  const out = new Uint8Array(b.length);
  for (let i = 0; i < b.length; i++) out[i] = b.charCodeAt(i);
  return out;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function keyAndAad(shared: Uint8Array, epk: Uint8Array, recipient: Uint8Array, kid: string, id: string, epkText: string) {
  const key = hkdf(sha256, shared, concat(epk, recipient), utf8.encode(`${LABEL}|${kid}|${id}`), 32);
  const aad = utf8.encode(JSON.stringify([1, SEAL_ALG, kid, epkText, id]));
  return { key, aad };
}

/** A new programme key pair (server side); the private key never leaves the server. */
export function newKeyPair(): { publicKey: string; privateKey: string } {
  const secret = x25519.utils.randomSecretKey();
  return { publicKey: toBase64url(x25519.getPublicKey(secret)), privateKey: toBase64url(secret) };
}

/**
 * Seals one response (any object with a string id) to the programme's public key. `id` is the id put
 * outside the envelope; only a test has reason to make it differ from the response's own.
 */
export function sealResponse(key: SealingKey, response: { id: string }, id = response.id): SealedItem {
  const recipient = fromBase64url(key.publicKey);
  const ephemeral = x25519.utils.randomSecretKey();
  const epk = x25519.getPublicKey(ephemeral);
  const epkText = toBase64url(epk);
  const iv = randomBytes(12);
  const { key: aesKey, aad } = keyAndAad(x25519.getSharedSecret(ephemeral, recipient), epk, recipient, key.kid, id, epkText);
  const ct = gcm(aesKey, iv, aad).encrypt(utf8.encode(JSON.stringify(response)));
  return { id, sealed: { v: 1, alg: SEAL_ALG, kid: key.kid, epk: epkText, iv: toBase64url(iv), ct: toBase64url(ct) } };
}

/** Is this item the sealed shape (whether or not it will open)? */
export function isSealedItem(item: unknown): item is { id: unknown; sealed: unknown } {
  return typeof item === "object" && item !== null && "sealed" in item;
}

/**
 * Opens a sealed item with the programme's private key and returns the plain response object.
 * Throws SealError (with a message for the API caller) when the item is malformed, was sealed to
 * another key, was changed in any byte, or carries another id inside than outside. `publicKey` (the
 * private key's own, when the caller has it stored) saves working it out again: half the cost.
 */
export function openSealed(privateKey: string, item: { id: unknown; sealed: unknown }, publicKey?: string): Record<string, unknown> {
  const s = item.sealed as Partial<Sealed> | null;
  if (typeof item.id !== "string" || item.id === "") throw new SealError("The sealed response has no id outside its envelope.");
  if (typeof s !== "object" || s === null) throw new SealError("sealed must be an object {v, alg, kid, epk, iv, ct}.");
  if (s.v !== 1 || s.alg !== SEAL_ALG) throw new SealError(`Only sealed format v1 (${SEAL_ALG}) is understood.`);
  if (typeof s.kid !== "string" || typeof s.epk !== "string" || typeof s.iv !== "string" || typeof s.ct !== "string")
    throw new SealError("sealed needs kid, epk, iv and ct as text.");
  let plain: Uint8Array;
  try {
    const secret = fromBase64url(privateKey);
    const epk = fromBase64url(s.epk);
    const iv = fromBase64url(s.iv);
    if (epk.length !== 32 || iv.length !== 12) throw new SealError("bad lengths");
    const recipient = publicKey ? fromBase64url(publicKey) : x25519.getPublicKey(secret);
    const { key, aad } = keyAndAad(x25519.getSharedSecret(secret, epk), epk, recipient, s.kid, item.id, s.epk);
    plain = gcm(key, iv, aad).decrypt(fromBase64url(s.ct));
  } catch {
    // One message whatever failed: a caller learns nothing about which part was wrong.
    throw new SealError("The sealed response could not be opened: it was changed, or sealed for another key.");
  }
  let response: unknown;
  try {
    response = JSON.parse(new TextDecoder().decode(plain));
  } catch {
    throw new SealError("The sealed response does not hold a JSON response.");
  }
  if (typeof response !== "object" || response === null || Array.isArray(response))
    throw new SealError("The sealed response does not hold a response object.");
  if ((response as { id?: unknown }).id !== item.id) throw new SealError("The id inside the sealed response is not the id outside it.");
  return response as Record<string, unknown>;
}
