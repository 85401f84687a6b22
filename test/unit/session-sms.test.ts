import { describe, expect, it } from "vitest";
import {
  optOutHint,
  renderSessionReminderSms,
  type SessionReminderSmsInput,
} from "#messages/sessions/session-sms.ts";
import { measureSms, smsSegments } from "#messages/sms-segments.ts";

describe("smsSegments", () => {
  it.each([
    ["the empty text", "", "GSM-7", 0, 0],
    ["one GSM-7 character", "a", "GSM-7", 1, 1],
    ["160 GSM-7 characters", "a".repeat(160), "GSM-7", 160, 1],
    ["161 GSM-7 characters", "a".repeat(161), "GSM-7", 161, 2],
    ["306 GSM-7 characters (2 × 153)", "a".repeat(306), "GSM-7", 306, 2],
    ["307 GSM-7 characters", "a".repeat(307), "GSM-7", 307, 3],
    ["the accented letters of the basic table", "éèùìòÇØøÅåÆæßÉÄÖÑÜäöñüà£¥§¿¡ΔΦΓΛΩΠΨΣΘΞ", "GSM-7", 38, 1],
    ["80 euro signs (extension: 2 septets each)", "€".repeat(80), "GSM-7", 160, 1],
    ["81 euro signs", "€".repeat(81), "GSM-7", 162, 2],
    ["every extension character", "^{}\\[~]|€\f", "GSM-7", 20, 1],
    ["159 letters and one brace", `${"a".repeat(159)}{`, "GSM-7", 161, 2],
    // 152 + € + 152: a naive ceil(306 / 153) says 2, but the escape pair cannot straddle.
    [
      "an extension character at a segment boundary",
      `${"a".repeat(152)}€${"a".repeat(152)}`,
      "GSM-7",
      306,
      3,
    ],
    ["one character outside GSM-7 (ç)", "ç", "UCS-2", 1, 1],
    ["a curly apostrophe", "Carers’ Circle", "UCS-2", 14, 1],
    ["70 CJK characters", "你".repeat(70), "UCS-2", 70, 1],
    ["71 CJK characters", "你".repeat(71), "UCS-2", 71, 2],
    ["134 CJK characters (2 × 67)", "你".repeat(134), "UCS-2", 134, 2],
    ["135 CJK characters", "你".repeat(135), "UCS-2", 135, 3],
    ["35 emoji (2 code units each)", "😀".repeat(35), "UCS-2", 70, 1],
    ["36 emoji", "😀".repeat(36), "UCS-2", 72, 2],
    ["an emoji in GSM-7 text", `${"a".repeat(69)}😀`, "UCS-2", 71, 2],
    // 66 + emoji + 66: the surrogate pair cannot straddle, so three segments, not two.
    ["an emoji at a segment boundary", `${"你".repeat(66)}😀${"你".repeat(66)}`, "UCS-2", 134, 3],
  ])("%s", (_name, text, encoding, units, segments) => {
    expect(measureSms(text)).toEqual({ encoding, units, segments });
    expect(smsSegments(text)).toBe(segments);
  });
});

describe("renderSessionReminderSms", () => {
  // Titled, as for an organisation that names groups in texts (the neutral wording: below).
  const render = (
    session: SessionReminderSmsInput["session"] & { title: string },
    startsAtLocal = "Tue 14 Jul 19:00",
    notice?: SessionReminderSmsInput["notice"],
  ) => renderSessionReminderSms({ session, startsAtLocal, notice, subject: session.title });

  it("says what, when and where, with the opt-out hint, in one GSM-7 segment", () => {
    const sms = render({
      title: "Monthly meeting",
      venue: { name: "St Mary's Hall", address: "1 Church St" },
    });
    expect(sms).toBe(`Reminder: Monthly meeting, Tue 14 Jul 19:00 at St Mary's Hall. ${optOutHint}`);
    expect(measureSms(sms)).toMatchObject({ encoding: "GSM-7", segments: 1 });
  });

  it("shortens a long title to fit one segment and keeps the start, place and opt-out whole", () => {
    const title =
      "Carers Circle monthly meeting for everyone looking after a relative or friend, with a guest speaker on respite care and benefits";
    const sms = render({ title, venue: { name: "Leeds Central Library, Room 4" } });
    expect(smsSegments(sms)).toBe(1);
    expect(measureSms(sms).units).toBeLessThanOrEqual(160);
    expect(sms).toMatch(
      /^Reminder: Carers Circle monthly meeting for .*\.\.\., Tue 14 Jul 19:00 at Leeds Central Library, Room 4\. Reply STOP to opt out$/,
    );
    // As much of the title as fits: one more character would not.
    expect(measureSms(sms).units).toBeGreaterThan(160 - 2);
  });

  it("replaces typographic punctuation so one curly quote does not cost 90 characters of room", () => {
    const sms = render(
      { title: "Carers’ Circle – “open” evening…", venue: { name: "St Mary’s Hall" } },
      "Tue 14 Jul 7:00\u202FPM",
    );
    expect(sms).toBe(
      `Reminder: Carers' Circle - "open" evening..., Tue 14 Jul 7:00 PM at St Mary's Hall. ${optOutHint}`,
    );
    expect(measureSms(sms).encoding).toBe("GSM-7");
  });

  it("keeps a short title with an emoji as it is when it fits one UCS-2 segment", () => {
    const sms = render({ title: "Walk 🌳", venue: { name: "Hall" } });
    expect(sms).toBe(`Reminder: Walk 🌳, Tue 14 Jul 19:00 at Hall. ${optOutHint}`);
    expect(measureSms(sms)).toMatchObject({ encoding: "UCS-2", segments: 1 });
  });

  it("drops emoji from a title rather than lose the opt-out hint to UCS-2", () => {
    const short = render({ title: "Walk 🌳", venue: { name: "Park gate" } });
    expect(short).toBe(`Reminder: Walk, Tue 14 Jul 19:00 at Park gate. ${optOutHint}`);
    const sms = render({
      title: "Walk & talk 🌳🚶 in Roundhay Park with tea afterwards",
      venue: { name: "Park gate" },
    });
    expect(sms).toBe(
      `Reminder: Walk & talk in Roundhay Park with tea afterwards, Tue 14 Jul 19:00 at Park gate. ${optOutHint}`,
    );
    expect(measureSms(sms)).toMatchObject({ encoding: "GSM-7", segments: 1 });
  });

  it("may cut a title before its first character outside GSM-7, which regains the 160-character room", () => {
    const sms = render({
      title: "Spotkanie grupy wsparcia dla opiekunów – Łódź, sala na piętrze",
      venue: { name: "Dom Kultury" },
    });
    expect(sms).toBe(
      `Reminder: Spotkanie grupy wsparcia dla opiekun..., Tue 14 Jul 19:00 at Dom Kultury. ${optOutHint}`,
    );
    expect(measureSms(sms)).toMatchObject({ encoding: "GSM-7", segments: 1 });
  });

  it("fits one 70-character UCS-2 segment for a title wholly outside GSM-7, giving up the opt-out hint", () => {
    const sms = render({
      title: "Група підтримки для батьків, щомісячна зустріч у бібліотеці",
      venue: { name: "Dom Kultury" },
    });
    expect(measureSms(sms)).toMatchObject({ encoding: "UCS-2", segments: 1 });
    expect(sms).toMatch(/^Reminder: Група підтримки[^,]*\.\.\., Tue 14 Jul 19:00 at Dom Kultury\.$/);
    expect(measureSms(sms).units).toBeGreaterThan(70 - 2);
  });

  it("includes the online link when it fits, and falls back to 'online' when it does not", () => {
    const short = render({ title: "Online check-in", onlineUrl: "https://meet.example.org/abc-defg-hij" });
    expect(short).toBe(
      `Reminder: Online check-in, Tue 14 Jul 19:00 online: https://meet.example.org/abc-defg-hij. ${optOutHint}`,
    );

    const longUrl = `https://meet.example.org/j/123456789?pwd=${"x".repeat(120)}`;
    const long = render({ title: "Online check-in", onlineUrl: longUrl });
    expect(smsSegments(long)).toBe(1);
    expect(long).toBe(`Reminder: Online check-in, Tue 14 Jul 19:00 online. ${optOutHint}`);
  });

  it("never cuts inside an emoji when shortening", () => {
    const sms = render({ title: `${"😀".repeat(40)}`, venue: { name: "Hall" } });
    expect(sms).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
    expect(smsSegments(sms)).toBe(1);
  });

  it("sends the whole message in several segments when even the shortest form cannot fit one", () => {
    const venue = {
      name: "The Community Resource Centre of the Borough, Second Floor, Meeting Room Number Three, Entrance via the Car Park at the Back, Ring the Bell",
    };
    const sms = render({ title: "Monthly meeting", venue });
    expect(sms).toBe(`Reminder: Monthly meeting, Tue 14 Jul 19:00 at ${venue.name}. ${optOutHint}`);
    expect(smsSegments(sms)).toBe(2);
  });

  it("leads with what happened when the session changed or was cancelled", () => {
    const session = { title: "Monthly meeting", venue: { name: "St Mary's Hall" } };
    expect(render(session, "Tue 21 Jul 18:00", "moved")).toBe(
      `Changed: Monthly meeting, now Tue 21 Jul 18:00 at St Mary's Hall. ${optOutHint}`,
    );
    expect(render(session, "Tue 14 Jul 19:00", "cancelled")).toBe(
      `Cancelled: Monthly meeting, Tue 14 Jul 19:00 at St Mary's Hall. ${optOutHint}`,
    );
  });

  it("gives no link to join a cancelled online session", () => {
    const session = { title: "Online check-in", onlineUrl: "https://meet.example.org/abc" };
    expect(render(session, "Tue 14 Jul 19:00", "cancelled")).toBe(
      `Cancelled: Online check-in, Tue 14 Jul 19:00 online. ${optOutHint}`,
    );
  });
});
