import { notFound } from "#domain/errors.ts";
import type { AttendanceRecording, NameVisibility, RsvpPrivacy } from "#domain/rsvp-privacy.ts";
import { defaultRetentionMonths } from "#domain/rsvp-privacy.ts";
import type { Ports } from "#ports/ports.ts";

export interface RsvpPrivacyChoice {
  names: NameVisibility;
  attendance: AttendanceRecording;
  /** Absent: the default (12 months). */
  retentionMonths?: number;
}

/** Records who in the group sees names beside answers and how its attendance is recorded. */
export async function setRsvpPrivacy(
  ports: Pick<Ports, "rsvps" | "clock">,
  organisationId: string,
  groupId: string,
  choice: RsvpPrivacyChoice,
): Promise<RsvpPrivacy> {
  const privacy: RsvpPrivacy = {
    organisationId,
    groupId,
    names: choice.names,
    attendance: choice.attendance,
    retentionMonths: choice.retentionMonths ?? defaultRetentionMonths,
    updatedAt: ports.clock.now().toISOString(),
  };
  if (!(await ports.rsvps.putPrivacy(privacy))) throw notFound("group");
  return privacy;
}
