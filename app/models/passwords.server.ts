// Password hashing with argon2id at OWASP's recommended minimum (19 MiB, 2 iterations, 1 lane).
import { hash, verify, type Algorithm } from "@node-rs/argon2";

// Algorithm.Argon2id; the enum is ambient, so its value is written out.
const ARGON2ID = 2 as Algorithm;

const OWASP_ARGON2ID = { algorithm: ARGON2ID, memoryCost: 19456, timeCost: 2, parallelism: 1 };

import { MIN_PASSWORD_LENGTH } from "./password-rules";
export { MIN_PASSWORD_LENGTH };

export function hashPassword(password: string): Promise<string> {
  return hash(password, OWASP_ARGON2ID);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** A hash of nothing, verified against when the email is unknown so timing does not reveal accounts. */
let decoy: Promise<string> | undefined;
export async function verifyAgainstDecoy(password: string): Promise<void> {
  decoy ??= hashPassword("decoy password that nobody has");
  await verifyPassword(await decoy, password);
}

export function passwordProblem(password: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH)
    return `Use at least ${MIN_PASSWORD_LENGTH} characters.`;
  if (password.length > 200) return "Use at most 200 characters.";
  return null;
}
