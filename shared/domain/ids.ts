import { randomUUID } from "node:crypto";

/** Identifiers are opaque, URL-safe and carry no personal data. */
export const newId = (): string => randomUUID();
