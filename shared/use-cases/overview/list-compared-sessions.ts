import { countsOf, type RsvpSettings } from "#domain/rsvp.ts";
import type { Session } from "#domain/session.ts";
import type { ComparedSession } from "#read-models/expected-attendance.ts";
import type { Ports } from "#ports/ports.ts";

/** Past sessions read at most: a year of a group meeting daily, in one or two pages. */
export const pastSessionsRead = 400;

/**
 * A group's held sessions since `fromMonth` that asked for RSVPs, each with its yes answers and
 * its recorded headcount. Whether a session asked is its places' settings, or (without places of
 * its own) its series'. `sessionId`, the session an event is about, is read by key: the by-start
 * index may not show its attendance yet.
 */
export const listComparedSessions = async (
  { store, rsvps }: Pick<Ports, "store" | "rsvps">,
  organisationId: string,
  groupId: string,
  now: Date,
  fromMonth: string,
  sessionId: string | undefined,
): Promise<ComparedSession[]> => {
  const [past, current] = await Promise.all([
    store.listPastSessions(organisationId, groupId, now, pastSessionsRead),
    sessionId === undefined ? undefined : store.getSession(organisationId, groupId, sessionId),
  ]);
  const held = [...past.filter((s) => s.id !== sessionId), ...(current ? [current] : [])].filter(
    (s): s is Session & Required<Pick<Session, "attendance">> =>
      s.status === "scheduled" && s.attendance !== undefined && s.startLocal.slice(0, 7) >= fromMonth,
  );
  const seriesSettings = new Map<string, Promise<RsvpSettings | undefined>>();
  const settingsOf = (seriesId: string) => {
    const read = seriesSettings.get(seriesId) ?? rsvps.getSeriesSettings(organisationId, seriesId);
    seriesSettings.set(seriesId, read);
    return read;
  };
  const compared = await Promise.all(
    held.map(async (session): Promise<ComparedSession[]> => {
      const places = await rsvps.getPlaces(organisationId, session.id);
      const asked = places
        ? places.settings.asked
        : session.series !== undefined && ((await settingsOf(session.series.seriesId))?.asked ?? false);
      if (!asked) return [];
      const yes = places ? countsOf(places).yes : 0;
      return [{ startLocal: session.startLocal, yes, headcount: session.attendance.headcount }];
    }),
  );
  return compared.flat();
};
