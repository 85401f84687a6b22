import { createHash, randomBytes } from "node:crypto";

/**
 * A member's private feed token: 256 random bits, base64url (43 characters), shown once in
 * the feed's URL. Only its SHA-256 digest is stored, so a copy of the table opens no feed.
 */
export const newFeedToken = (): string => randomBytes(32).toString("base64url");

export const feedTokenDigest = (token: string): string => createHash("sha256").update(token).digest("hex");

/** Whether text has a token's shape (checked before any read). */
export const isFeedToken = (text: string): boolean => /^[A-Za-z0-9_-]{43}$/.test(text);
