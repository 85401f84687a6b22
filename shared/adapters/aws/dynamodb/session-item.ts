import { conflict } from "#domain/errors.ts";
import { sessionStartInstant } from "#domain/local-time.ts";
import type { Session } from "#domain/session.ts";
import { sessionItem } from "./items.ts";
import type { ConveneEvent } from "#events/catalogue.ts";
import { keys } from "./keys.ts";
import type { TableClient } from "./table-client.ts";
import { isTransactionConflict, type Write } from "./writes.ts";

/** A session as stored: a scheduled one sits in the by-start index, a cancelled one leaves it. */
export const storedSession = (session: Session) => {
  const { organisationId: o, groupId: g, id } = session;
  const start = () => sessionStartInstant(session.startLocal, session.timeZone).toISOString();
  const indexed = session.status === "cancelled" ? {} : keys.sessionByStart(o, g, start(), id);
  return sessionItem.item({ ...keys.session(o, g, id), ...indexed }, session);
};

/**
 * Writes a session's next version with its event, and `alongside` in the same transaction,
 * only while the stored session is still `expectedVersion`; a conflict otherwise.
 */
export const replaceSessionVersion = async (
  table: TableClient,
  session: Session,
  expectedVersion: number,
  event: ConveneEvent,
  alongside: readonly Write[] = [],
): Promise<void> => {
  const changed = () => conflict("the session changed meanwhile; read it again and retry");
  const replace = {
    put: storedSession(session),
    condition: "version = :expected",
    values: { ":expected": expectedVersion },
    failed: "changed",
  } as const;
  const failed = await table.write([replace, ...alongside], { events: [event] }).catch((error: unknown) => {
    throw isTransactionConflict(error) ? changed() : error;
  });
  if (failed.length) throw changed();
};
