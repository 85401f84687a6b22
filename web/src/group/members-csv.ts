import type { Member } from "../api/resources.ts";
import { toCsv } from "../export/csv.ts";
import { formatOffset } from "../ui/format.ts";

const header = ["Name", "Email", "Phone", "Reminders", "Quiet hours", "Unsubscribed from"];

/** A group's members as CSV, for a coordinator's own records; every cell inert in a spreadsheet. */
export const membersCsv = (members: readonly Member[]): string =>
  toCsv([
    header,
    ...members.map((m) => [
      m.name,
      m.email,
      m.phone ?? "",
      m.reminders.map((r) => `${r.channel} ${formatOffset(r.offsetMinutes)} before`).join("; "),
      m.quietHours ? `${m.quietHours.start}–${m.quietHours.end}` : "",
      m.unsubscribed.join("; "),
    ]),
  ]);
