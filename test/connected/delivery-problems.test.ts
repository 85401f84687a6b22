// Bounces and complaints, against DynamoDB Local and the SES emulator, through the local
// runtime as `npm start` composes it: mail to SES's mailbox-simulator addresses comes back as
// SES would report it (the MailboxSimulator), the same handler the Lambda entry calls marks
// the member's email undeliverable once, nothing more is emailed to them, the overview counts
// them unreachable, and a new address makes them reachable again.

import { randomUUID } from "node:crypto";
import { describe, expect, inject, test } from "vitest";
import { createRecordDeliveryProblem } from "#functions/record-delivery-problem/handler.ts";
import { createTrackGroupHealth } from "#functions/track-group-health/handler.ts";
import { readSesStore } from "#infra/local/emulators/ses-local.ts";
import { toMember } from "#domain/recipient.ts";
import type { Member } from "#domain/member.ts";
import {
  createGroup,
  createMember,
  createOrganisation,
  joinGroup,
  updateMember,
} from "#use-cases/directory/manage-directory.ts";
import { readOrganisationOverview } from "#use-cases/overview/read-organisation-overview.ts";
import { sendRoleEmail } from "#delivery/send-role-email.ts";
import { recordingLog } from "./api-harness.ts";
import { useLocalRuntime } from "./runtime-harness.ts";

const log = recordingLog();
// The emulator keeps mail from every test file; only this run's counts (epoch seconds).
const startedAt = Math.floor(Date.now() / 1000) - 1;
const { runtime: started, outboxOf } = useLocalRuntime("delivery", log);
const emailsTo = async (address: string) =>
  (await readSesStore(inject("sesEndpoint"), startedAt)).filter((e) =>
    e.destination.to.some((to) => to.includes(address)),
  ).length;

/** An organisation with one London group and its members, by email address (no phones). */
const aGroup = async (...addresses: string[]) => {
  const { ports } = started();
  const { id: o } = await createOrganisation(ports, { name: "Northfield Network" });
  const { id: g } = await createGroup(ports, o, {
    name: "Riverside Carers' Circle",
    timeZone: "Europe/London",
    leadershipModel: "collective",
  });
  const members: Member[] = [];
  for (const [i, email] of addresses.entries()) {
    const member = await createMember(ports, o, { name: `Member ${i}`, email, reminders: [] });
    await joinGroup(ports, o, g, member.id);
    members.push(member);
  }
  return { o, g, members };
};

const mailTo = (member: Member, groupId: string) =>
  started().ports.mailer.send({
    ...toMember(member, groupId),
    from: "Convene <r@convene.localhost>",
    subject: "Welcome",
    text: "Hello",
    html: "<p>Hello</p>",
  });

describe("a member's email that cannot arrive", () => {
  test("a bounce marks it once, with one event, however often SES reports it", async () => {
    const label = randomUUID().slice(0, 8);
    const { o, g, members } = await aGroup(
      `bounce+${label}@simulator.amazonses.com`,
      `ok-${label}@example.org`,
    );
    const [bouncing, fine] = members as [Member, Member];
    await mailTo(bouncing, g);
    await mailTo(fine, g);
    await mailTo(bouncing, g); // A second bounce of the same address: already marked.

    const marked = await started().ports.store.getMember(o, bouncing.id);
    expect(marked?.emailUndeliverable).toEqual({ reason: "bounced", since: expect.any(String) as string });
    expect((await started().ports.store.getMember(o, fine.id))?.emailUndeliverable).toBeUndefined();
    const events = (await outboxOf(o)).filter((e) => e.type === "MemberEmailUndeliverable");
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ groupId: g, data: { memberId: bouncing.id, reason: "bounced" } });
    // Both sends reached the emulator: SES accepts mail to the simulator and then bounces it.
    expect(await emailsTo(`bounce+${label}@`)).toBe(2);
  });

  test("a complaint marks it as complained", async () => {
    const label = randomUUID().slice(0, 8);
    const { o, g, members } = await aGroup(`complaint+${label}@simulator.amazonses.com`);
    await mailTo(members[0]!, g);
    expect((await started().ports.store.getMember(o, members[0]!.id))?.emailUndeliverable?.reason).toBe(
      "complained",
    );
  });

  test("a report of a member who no longer exists, or of mail to nobody's member, changes nothing", async () => {
    const record = createRecordDeliveryProblem(started().ports);
    const report = (tags: Record<string, string[]>) => ({
      eventType: "Bounce",
      bounce: { bounceType: "Permanent", timestamp: new Date().toISOString() },
      mail: { messageId: "m-1", tags },
    });
    const { o, g } = await aGroup();
    const gone = { "convene-organisation": [o], "convene-group": [g], "convene-member": ["nobody"] };
    expect(await record(report(gone))).toBe("no-member");
    expect(await record(report({}))).toBe("not-to-a-member");
    expect(await outboxOf(o)).not.toContainEqual(
      expect.objectContaining({ type: "MemberEmailUndeliverable" }),
    );
  });

  test("nothing more is emailed to it; the overview counts the member unreachable; a new address ends it", async () => {
    const label = randomUUID().slice(0, 8);
    const address = `bounce+${label}@simulator.amazonses.com`;
    const { o, g, members } = await aGroup(address);
    const eli = members[0]!;
    await mailTo(eli, g);
    expect(await emailsTo(address)).toBe(1);

    // A role email (a call for volunteers) is not sent to an address that bounced.
    const marked = (await started().ports.store.getMember(o, eli.id))!;
    await sendRoleEmail(
      started().ports,
      { organisationId: o, groupId: g, roleId: "refreshments", vacantSince: new Date().toISOString() },
      marked,
      "call",
      () => ({ subject: "Refreshments needs a volunteer", text: "Hello", html: "<p>Hello</p>" }),
    );
    expect(await emailsTo(address)).toBe(1);

    const track = createTrackGroupHealth(started().ports);
    for (const event of await outboxOf(o)) await track(event);
    const health = async () => (await readOrganisationOverview(started().ports, o, new Date())).groups[0]!;
    expect((await health()).unreachableMembers).toBe(1);

    const moved = await updateMember(started().ports, o, eli.id, { email: `eli-${label}@example.org` });
    expect(moved.emailUndeliverable).toBeUndefined();
    expect((await started().ports.store.getMember(o, eli.id))?.emailUndeliverable).toBeUndefined();
    const changed = (await outboxOf(o)).filter((e) => e.type === "MemberRemindersChanged");
    expect(changed).toHaveLength(1);
    for (const event of changed) await track(event);
    expect((await health()).unreachableMembers).toBe(0);
  });

  test("logs no address", () => {
    expect(JSON.stringify(log.lines)).not.toMatch(/simulator\.amazonses\.com|example\.org/);
    expect(log.lines.some((l) => l.message === "delivery problem recorded")).toBe(true);
  });
});
