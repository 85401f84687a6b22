import { notFound } from "#domain/errors.ts";
import type { RsvpSettings } from "#domain/rsvp.ts";
import type { Ports } from "#ports/ports.ts";

/**
 * Whether a series' sessions ask who is coming, and their places. Each occurrence takes them
 * until it has places of its own (its first answer, or settings set on it): a session already
 * answered keeps its own, so no place already given is taken back.
 */
export const setSeriesRsvpSettings = async (
  deps: Pick<Ports, "rsvps">,
  ref: { organisationId: string; groupId: string; seriesId: string },
  settings: RsvpSettings,
): Promise<RsvpSettings> => {
  if (!(await deps.rsvps.setSeriesSettings(ref.organisationId, ref.groupId, ref.seriesId, settings)))
    throw notFound("series");
  return settings;
};
