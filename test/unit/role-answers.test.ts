import { describe, expect, it } from "vitest";
import { newBallotToken } from "#domain/ballot-token.ts";
import { defaultRoleCatalogue } from "#domain/role.ts";
import { roleReplyAddress, roleTokenFromRecipient } from "#domain/role-reply-address.ts";
import { readObjection } from "#inbound/read-objection.ts";
import { InvalidRoleLink, signRoleLink, verifyRoleLink } from "#links/role-link.ts";
import { renderAppointRequest } from "#messages/roles/appoint-request-email.ts";
import { renderCallForVolunteers } from "#messages/roles/call-for-volunteers-email.ts";
import { renderRoleReplyNotUnderstood } from "#messages/roles/role-reply-not-understood-email.ts";

const secret = new TextEncoder().encode("role-answers-unit-test-secret-32+bytes");
const facilitator = defaultRoleCatalogue()[0]!;

describe("readObjection", () => {
  it.each(["I object", "Objection!", "object", "I OBJECT to this, sorry"])(
    "reads %j as an objection",
    (text) => expect(readObjection(`${text}\n\n> quoted notice: reply I object`)).toBe(true),
  );
  it.each(["I don't object", "No objection", "Do I object?", "Fine by me", "", "I do not object at all"])(
    "does not read %j as one",
    (text) => expect(readObjection(text)).toBe(false),
  );
  it("reads only the first line with words", () =>
    expect(readObjection("Sounds good\nI object")).toBe(false));
});

describe("role reply addresses", () => {
  it("round-trips a token on the reply domain only", () => {
    const token = newBallotToken();
    const address = roleReplyAddress(token, "reply.example.org");
    expect(roleTokenFromRecipient(address.toUpperCase(), "reply.example.org")).toBe(token);
    expect(roleTokenFromRecipient(address, "other.example.org")).toBeUndefined();
    expect(roleTokenFromRecipient(`ballot+${token}@reply.example.org`, "reply.example.org")).toBeUndefined();
  });
});

describe("role links", () => {
  it("verifies its own signature and action, and refuses a tampered or foreign one", async () => {
    const roleToken = newBallotToken();
    const link = await signRoleLink({ roleToken, action: "accept" }, secret);
    expect(await verifyRoleLink(link, secret)).toEqual({ roleToken, action: "accept" });
    await expect(
      verifyRoleLink(link, new TextEncoder().encode("another-secret-of-at-least-32-bytes!")),
    ).rejects.toThrow(InvalidRoleLink);
    await expect(verifyRoleLink(`${link.slice(0, -2)}xx`, secret)).rejects.toThrow(InvalidRoleLink);
  });
});

describe("role emails", () => {
  const evil = "<img src=x onerror=alert(1)>";
  it("escape names in HTML and keep them as text", () => {
    const email = renderAppointRequest({
      groupName: `Group ${evil}`,
      firstName: evil,
      definition: facilitator,
      volunteerNames: [evil, "Bob"],
    });
    expect(email.html).not.toContain("<img");
    expect(email.html).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(email.text).toContain(`1. ${evil}`);
    expect(email.text).toContain("2. Bob");
  });
  it("say how to answer in the words the readers read", () => {
    const call = renderCallForVolunteers({
      groupName: "Riverside",
      firstName: "Amy",
      definition: facilitator,
      closesAtLocal: "Thursday 3 December 2026, 10:00 (GMT)",
      volunteerUrl: "https://convene.example.org/api/v1/role-answer?token=x",
    });
    expect(call.text).toContain('"I volunteer"');
    expect(call.text).toContain("I volunteer: https://convene.example.org/api/v1/role-answer?token=x");
    expect(call.subject).toBe("Riverside needs a volunteer: Facilitator");
    expect(() =>
      renderCallForVolunteers({
        groupName: "R",
        firstName: "A",
        definition: facilitator,
        closesAtLocal: "",
        volunteerUrl: "javascript:alert(1)",
      }),
    ).toThrow(RangeError);
  });
  it("explain each reply that changed nothing differently", () => {
    const problems = [
      "unreadable",
      "vacancy-over",
      "not-from-member",
      "not-a-candidate",
      "not-a-member",
      "unverified",
    ] as const;
    const texts = problems.map(
      (problem) =>
        renderRoleReplyNotUnderstood({ groupName: "G", firstName: "A", definition: facilitator, problem })
          .text,
    );
    expect(new Set(texts).size).toBe(problems.length);
  });
});
