import { sessionStartInstant } from "#domain/local-time.ts";
import type { Session } from "#domain/session.ts";
import { sessionItem } from "./items.ts";
import { keys } from "./keys.ts";

/** A session as stored: a scheduled one sits in the by-start index, a cancelled one leaves it. */
export const storedSession = (session: Session) => {
  const { organisationId: o, groupId: g, id } = session;
  const start = () => sessionStartInstant(session.startLocal, session.timeZone).toISOString();
  const indexed = session.status === "cancelled" ? {} : keys.sessionByStart(o, g, start(), id);
  return sessionItem.item({ ...keys.session(o, g, id), ...indexed }, session);
};
