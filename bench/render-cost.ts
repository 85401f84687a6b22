// `npx tsx bench/render-cost.ts`: CPU cost of rendering one reminder email, by component, in
// this process only (no emulators). The main benchmark shows rendering is most of the
// pipeline's CPU; this says which part.

import { tzlib_get_ical_block } from "timezones-ical-library";
import { sendEmailInput } from "#adapters/aws/ses-mailer.ts";
import { formatLocal, isValidTimeZone, sessionStartInstant } from "#domain/local-time.ts";
import type { Member } from "#domain/member.ts";
import type { Session } from "#domain/session.ts";
import type { Settings } from "#ports/ports.ts";
import { signUnsubscribeToken } from "#links/unsubscribe-link.ts";
import { renderSessionIcs } from "#messages/sessions/session-invite-ics.ts";
import { sessionEmail } from "#messages/sessions/session-notice.ts";
import { renderSessionReminderEmail } from "#messages/sessions/session-reminder-email.ts";

const iterations = Number(process.env.RENDER_ITERATIONS ?? 2000);

const session: Session = {
  organisationId: "0190f3b2-0000-7000-8000-000000000001",
  groupId: "0190f3b2-0000-7000-8000-000000000002",
  id: "0190f3b2-0000-7000-8000-000000000003",
  version: 1,
  title: "Weekly meeting",
  startLocal: "2026-12-03T19:00",
  timeZone: "Europe/London",
  durationMinutes: 90,
  venue: { name: "Community Centre, Room 2", address: "1 High Street" },
  facilitatorMemberId: "0190f3b2-0000-7000-8000-000000000010",
  duties: [{ kind: "refreshments", holderMemberId: "0190f3b2-0000-7000-8000-000000000011" }],
  status: "scheduled",
  createdAt: "2026-11-26T08:00:00.000Z",
  updatedAt: "2026-11-26T08:00:00.000Z",
};
const member: Member = {
  organisationId: session.organisationId,
  id: "0190f3b2-0000-7000-8000-000000000012",
  name: "Member 1-3",
  email: "member-1-3@example.org",
  reminders: [{ channel: "email", offsetMinutes: 2880 }],
  unsubscribed: [],
  createdAt: "2026-11-26T08:00:00.000Z",
};
const settings: Settings = {
  publicBaseUrl: "http://127.0.0.1:3000",
  fromAddress: "Convene <reminders@convene.localhost>",
  replyDomain: "reply.convene.localhost",
  linkSigningSecret: new Uint8Array(32).fill(7),
};
const start = sessionStartInstant(session.startLocal, session.timeZone);
const email = await sessionEmail(settings, "reminder", session, "Benchmark group 1", member);

const measure = async (work: () => unknown): Promise<number> => {
  for (let i = 0; i < Math.min(200, iterations); i++) await work();
  // CPU time, not wall time: other work on the machine inflates wall time but not this.
  const before = process.cpuUsage();
  for (let i = 0; i < iterations; i++) await work();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / iterations;
};

const rows: [string, number][] = [];
const row = async (name: string, work: () => unknown) => rows.push([name, await measure(work)]);

await row("isValidTimeZone (memoised per zone)", () => isValidTimeZone(session.timeZone));
await row("sessionStartInstant", () => sessionStartInstant(session.startLocal, session.timeZone));
await row("formatLocal", () => formatLocal(start, session.timeZone));
await row("signUnsubscribeToken (jose HS256)", () =>
  signUnsubscribeToken(
    {
      organisationId: session.organisationId,
      groupId: session.groupId,
      memberId: member.id,
      channel: "email",
    },
    settings.linkSigningSecret,
  ),
);
await row("renderSessionReminderEmail (text + HTML)", () =>
  renderSessionReminderEmail({
    session,
    groupName: "Benchmark group 1",
    memberFirstName: "Member",
    startsAtLocal: "Thursday 3 December 2026, 19:00 (GMT)",
    unsubscribeUrl: "http://127.0.0.1:3000/api/v1/unsubscribe?token=x",
    duties: [],
  }),
);
await row("tzlib_get_ical_block (VTIMEZONE)", () => tzlib_get_ical_block(session.timeZone));
await row("renderSessionIcs (ical-generator)", () =>
  renderSessionIcs({
    session,
    groupName: "Benchmark group 1",
    organiserEmail: settings.fromAddress,
    attendeeEmail: member.email,
    method: "REQUEST",
  }),
);
await row("sendEmailInput (SES simple content)", () => sendEmailInput(email));
await row("sessionEmail (all of the above but the request)", () =>
  sessionEmail(settings, "reminder", session, "Benchmark group 1", member),
);
const whole = async () =>
  sendEmailInput(await sessionEmail(settings, "reminder", session, "Benchmark group 1", member));
await row("sessionEmail + sendEmailInput (one reminder)", whole);

const width = Math.max(...rows.map(([n]) => n.length));
process.stdout.write(
  `Rendering one reminder email, µs of CPU per call (mean of ${iterations}, Node ${process.version})\n` +
    rows.map(([n, us]) => `  ${n.padEnd(width)}  ${us.toFixed(0).padStart(6)}`).join("\n") +
    "\n",
);
