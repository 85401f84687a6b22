import { sessionStartInstant } from "#domain/local-time.ts";
import type { Session } from "#domain/session.ts";

/** A session as the API answers it: as stored, with its start as a UTC instant. */
export const sessionView = (s: Session) => ({
  ...s,
  startsAt: sessionStartInstant(s.startLocal, s.timeZone).toISOString(),
});
