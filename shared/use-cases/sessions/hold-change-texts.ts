import { sessionStartInstant } from "#domain/local-time.ts";
import { newEvent } from "#domain/new-event.ts";
import { scheduleName } from "#domain/schedule-name.ts";
import type { Session } from "#domain/session.ts";
import { smsSendAt } from "#domain/sms-quiet-hours.ts";
import type { Ports } from "#ports/ports.ts";

/**
 * When a change to `session` may be texted: at once, or when the group's quiet hours end
 * (smsSendAt). A move counts from the earlier of its two starts, the one a member may be
 * travelling to.
 */
export const changeTextAt = (session: Session, now: Date, previousStartLocal?: string): Date => {
  const starts = [session.startLocal, ...(previousStartLocal ? [previousStartLocal] : [])].map((local) =>
    sessionStartInstant(local, session.timeZone).getTime(),
  );
  return smsSendAt(now, session.timeZone, new Date(Math.min(...starts)), "change");
};

/**
 * Schedules the texts of one session version's change notice for `at`. One schedule per
 * version, named from it: a redelivered change creates none more, a later change its own.
 */
export const holdChangeTexts = (
  ports: Pick<Ports, "scheduler">,
  session: Session,
  notice: "moved" | "cancelled",
  at: Date,
  correlationId: string,
): Promise<void> =>
  ports.scheduler.scheduleOnce({
    name: scheduleName("change-text", session.organisationId, session.id, session.version),
    at,
    timeZone: session.timeZone,
    event: newEvent(
      "SessionChangeTextDue",
      { organisationId: session.organisationId, groupId: session.groupId, correlationId },
      { sessionId: session.id, sessionVersion: session.version, notice },
      at,
    ),
  });
