// Password hashing with argon2id at OWASP's recommended minimum (19 MiB, 2 iterations, 1 lane), and
// the policy every new password meets: long enough, and not guessable from zxcvbn-ts's lists of
// common and breached passwords, keyboard patterns, repeats, sequences and dates (offline).
import { hash, verify, type Algorithm } from "@node-rs/argon2";
import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import { adjacencyGraphs, dictionary } from "@zxcvbn-ts/language-common";
import type { z } from "zod";
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from "./password-rules";

export { MIN_PASSWORD_LENGTH };

// Algorithm.Argon2id; the enum is ambient, so its value is written out.
const ARGON2ID = 2 as Algorithm;

const OWASP_ARGON2ID = { algorithm: ARGON2ID, memoryCost: 19456, timeCost: 2, parallelism: 1 };

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

let estimator: ZxcvbnFactory | undefined;
/** Words an attacker of this installation would try first. */
const APP_WORDS = ["safety", "perception", "survey", "surveys", "programme", "community", "sps"];
/** zxcvbn score 3: about 10⁸ guesses or more, out of reach of online guessing and slow to crack offline. */
const MIN_SCORE = 3;

const WARNINGS: Record<string, string> = {
  straightRow: "it is a row of keys on the keyboard",
  keyPattern: "it is a pattern on the keyboard",
  simpleRepeat: "it repeats one character or a short group",
  extendedRepeat: "it repeats a group of characters",
  sequences: "it is a sequence such as 1234 or abcd",
  recentYears: "it is built on a recent year",
  dates: "it is built on a date",
  topTen: "it is one of the ten most used passwords",
  topHundred: "it is one of the hundred most used passwords",
  common: "it is a commonly used password",
  similarToCommon: "it is a commonly used password with small changes",
  wordByItself: "a single word is easy to guess",
  namesByThemselves: "a name on its own is easy to guess",
  commonNames: "common names are easy to guess",
  userInputs: "it contains your name, your email or the name of this site",
};

/**
 * What is wrong with a new password, in words for the person choosing it (naming the field), or null
 * when it may be used. `personal` holds the account's email and name, which a password must not lean on.
 */
export function passwordProblem(password: string, personal: string[] = []): string | null {
  if (password.length === 0) return "Enter a password.";
  if (password.trim().length === 0) return "The password cannot be only spaces.";
  if (password.length < MIN_PASSWORD_LENGTH)
    return `The password is too short: use at least ${MIN_PASSWORD_LENGTH} characters (a short sentence works well).`;
  if (password.length > MAX_PASSWORD_LENGTH) return `The password is too long: use at most ${MAX_PASSWORD_LENGTH} characters.`;
  estimator ??= new ZxcvbnFactory({ dictionary, graphs: adjacencyGraphs, useLevenshteinDistance: true });
  const inputs = [...APP_WORDS, ...personal.flatMap((p) => [p, ...p.split(/[@.\s]+/)]).filter((p) => p.length >= 3)];
  const result = estimator.check(password, inputs);
  if (result.score >= MIN_SCORE) return null;
  const why = (result.feedback.warning && WARNINGS[result.feedback.warning]) || "it follows a pattern that is quick to guess";
  return `The password is too easy to guess: ${why}. Add a few unrelated words.`;
}

/**
 * A zod refinement for forms that set a password: checks `field` against the policy and the
 * account's own details (`personal`), reporting the problem on that field.
 */
export function checkNewPassword<T extends Record<string, unknown>>(field: keyof T & string, personal: (values: T) => string[] = () => []) {
  return (values: T, ctx: z.RefinementCtx) => {
    const problem = passwordProblem(String(values[field] ?? ""), personal(values));
    if (problem) ctx.addIssue({ code: "custom", path: [field], message: problem });
  };
}
