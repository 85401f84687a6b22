import { describe, expect, it } from "vitest";
import { textsState } from "../src/group/texts-state.ts";

// What the members tab says of a member's texts, dated on the group's clock: 23:30 UTC on
// 14 December is already the 15th in Auckland.

const at = "2026-12-14T23:30:00.000Z";
const phone = "+447700900003";

describe("a member's texts on the members tab", () => {
  it("says texts are on, since when and how consent was given", () => {
    const given = { state: "given", at, how: "form", wordingVersion: "v0" } as const;
    expect(textsState({ phone, smsConsent: given }, "Europe/London")).toEqual({
      consent: "Texts on (since Mon, 14 Dec 2026, form)",
    });
    expect(textsState({ phone, smsConsent: given }, "Pacific/Auckland").consent).toBe(
      "Texts on (since Tue, 15 Dec 2026, form)",
    );
  });

  it("says a member stopped texts by STOP, or that an admin recorded it", () => {
    const stopped = { state: "withdrawn", at, how: "keyword", wordingVersion: "v1" } as const;
    expect(textsState({ phone, smsConsent: stopped }, "Europe/London").consent).toBe(
      "Texts stopped by STOP on Mon, 14 Dec 2026",
    );
    expect(textsState({ phone, smsConsent: { ...stopped, how: "admin" } }, "Europe/London").consent).toBe(
      "Texts stopped (admin) on Mon, 14 Dec 2026",
    );
  });

  it("says a number failed, and why, beside the consent", () => {
    const state = textsState(
      {
        phone,
        smsConsent: { state: "given", at, how: "import", wordingVersion: "v2" },
        phoneUndeliverable: { reason: "invalid-number", since: at },
      },
      "Europe/London",
    );
    expect(state).toEqual({
      consent: "Texts on (since Mon, 14 Dec 2026, import)",
      failure: "Number failed (invalid number) on Mon, 14 Dec 2026",
    });
  });

  it("says nothing of texts for a member without a phone, and no consent for one with", () => {
    expect(textsState({}, "Europe/London")).toEqual({});
    expect(textsState({ phone }, "Europe/London")).toEqual({ consent: "No consent to texts" });
  });
});
