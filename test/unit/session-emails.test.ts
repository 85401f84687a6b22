import { describe, expect, it } from "vitest";
import type { Session } from "#domain/session.ts";
import { renderSessionCancelledEmail } from "#messages/sessions/session-cancelled-email.ts";
import { renderSessionMovedEmail } from "#messages/sessions/session-moved-email.ts";
import {
  renderSessionReminderEmail,
  type SessionReminderEmailInput,
} from "#messages/sessions/session-reminder-email.ts";
import { hrefs, visibleText } from "./email-reading.ts";

const session = (overrides: Partial<Session> = {}): SessionReminderEmailInput["session"] => ({
  title: "Monthly meeting",
  durationMinutes: 90,
  venue: { name: "St Mary's Hall", address: "1 Church Street, Leeds" },
  ...overrides,
});

const input = (overrides: Partial<SessionReminderEmailInput> = {}): SessionReminderEmailInput => ({
  session: session(),
  groupName: "Carers' Circle",
  memberFirstName: "Sam",
  duties: [],
  startsAtLocal: "Tuesday 14 July 2026, 19:00 (BST)",
  unsubscribeUrl: "https://convene.example/u/tok-123",
  ...overrides,
});

const hostileName = "<img src=x onerror=alert(1)>";
const awkwardTitle = `Tea & "talk" — Sam's <b>group</b>`;

describe("renderSessionReminderEmail", () => {
  it("names the session and its start in the subject", () => {
    expect(renderSessionReminderEmail(input()).subject).toBe(
      "Reminder: Monthly meeting, Tuesday 14 July 2026, 19:00 (BST)",
    );
  });

  it("escapes every interpolated value in the HTML", () => {
    const { html } = renderSessionReminderEmail(
      input({
        memberFirstName: hostileName,
        groupName: `<script>alert("g")</script>`,
        session: session({
          title: awkwardTitle,
          venue: { name: "<i>Hall</i>", address: `"Quoted" & 'single'` },
        }),
        startsAtLocal: "<b>soon</b>",
      }),
    );
    expect(html).not.toContain("<img");
    expect(html).not.toContain("<script");
    expect(html).not.toContain("<b>");
    expect(html).not.toContain("<i>");
    expect(html).toContain("Hello &lt;img src=x onerror=alert(1)&gt;,");
    expect(html).toContain("Tea &amp; &quot;talk&quot; — Sam&#39;s &lt;b&gt;group&lt;/b&gt;");
    expect(html).toContain("&quot;Quoted&quot; &amp; &#39;single&#39;");
    // Nothing outside a tag carries a bare '<', '>' or an unescaped '&'.
    const outsideTags = html.replace(/<(\/?[a-z0-9]+|!DOCTYPE)(\s[^<>]*)?>/gi, "");
    expect(outsideTags).not.toMatch(/[<>]/);
    expect(outsideTags).not.toMatch(/&(?!(amp|lt|gt|quot|#39);)/);
  });

  it("never turns a non-http online link into a clickable link", () => {
    const { html, text } = renderSessionReminderEmail(
      input({ session: session({ venue: undefined, onlineUrl: 'javascript:alert("x")' }) }),
    );
    expect(hrefs(html)).toEqual(["https://convene.example/u/tok-123"]);
    expect(html).toContain("javascript:alert(&quot;x&quot;)");
    expect(text).toContain('Join online: javascript:alert("x")');
  });

  it("is an accessible document: language, title, headings, no images or tables, a visible unsubscribe link", () => {
    const { html, subject } = renderSessionReminderEmail(
      input({ session: session({ title: awkwardTitle }) }),
    );
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toContain(
      `<title>Reminder: Tea &amp; &quot;talk&quot; — Sam&#39;s &lt;b&gt;group&lt;/b&gt;, Tuesday`,
    );
    expect(subject).toContain(awkwardTitle);
    expect(html.match(/<h1[\s>]/g)).toHaveLength(1);
    expect(html).toMatch(/<h2[^>]*>When<\/h2>/);
    expect(html).toMatch(/<h2[^>]*>Where<\/h2>/);
    expect(html).toMatch(/<main>[\s\S]*<\/main>/);
    expect(html).not.toMatch(/<(img|table|picture|svg|video)\b/i);
    expect(html).not.toMatch(/url\(|background-image/i);
    expect(html).toMatch(
      /<footer[^>]*>[\s\S]*<a href="https:\/\/convene.example\/u\/tok-123"[^>]*>Unsubscribe from these emails<\/a>/,
    );
    // Dark text on white; links underlined, so they don't rely on colour alone.
    expect(html).toContain("background-color:#ffffff;color:#1b1b1b");
    expect(html).toContain("color:#0645ad;text-decoration:underline");
  });

  it("tells a duty holder what they are down for, in both bodies", () => {
    const { html, text } = renderSessionReminderEmail(input({ duties: ["refreshments", "facilitation"] }));
    expect(text).toContain("You're down for: bringing refreshments and facilitating the session.");
    expect(html).toMatch(/<h2[^>]*>Your part<\/h2>/);
    expect(html).toContain("<li>bringing refreshments</li><li>facilitating the session</li>");
  });

  it("says nothing about duties to a member who holds none", () => {
    const { html, text } = renderSessionReminderEmail(input());
    expect(text).not.toContain("down for");
    expect(html).not.toContain("Your part");
  });

  it.each([
    ["a venue", session()],
    ["an online link", session({ venue: undefined, onlineUrl: "https://meet.example.org/abc?pwd=1&x=2" })],
    ["both", session({ onlineUrl: "https://meet.example.org/abc" })],
    ["no place yet", session({ venue: undefined })],
  ])("carries the same facts in text and HTML for %s", (_case, s) => {
    const email = renderSessionReminderEmail(
      input({ session: { ...s, title: awkwardTitle }, memberFirstName: hostileName, duties: ["welfare"] }),
    );
    const facts = [
      awkwardTitle,
      "Carers' Circle",
      `Hello ${hostileName},`,
      "Tuesday 14 July 2026, 19:00 (BST)",
      "1 hour 30 minutes",
      "looking after welfare",
      ...(s.venue ? [s.venue.name, s.venue.address!] : []),
      ...(!s.venue && !s.onlineUrl ? ["To be confirmed by the group"] : []),
    ];
    const shown = visibleText(email.html);
    for (const fact of facts) {
      expect(email.text).toContain(fact);
      expect(shown).toContain(fact);
    }
    const links = [...(s.onlineUrl ? [s.onlineUrl] : []), "https://convene.example/u/tok-123"];
    expect(hrefs(email.html)).toEqual(links);
    for (const link of links) expect(email.text).toContain(link);
  });

  it("keeps line breaks out of the subject", () => {
    const { subject } = renderSessionReminderEmail(input({ session: session({ title: "Two\r\nlines" }) }));
    expect(subject).toBe("Reminder: Two lines, Tuesday 14 July 2026, 19:00 (BST)");
  });

  it("refuses an unsubscribe link that is not http(s)", () => {
    expect(() => renderSessionReminderEmail(input({ unsubscribeUrl: "javascript:void(0)" }))).toThrow(
      RangeError,
    );
    expect(() => renderSessionReminderEmail(input({ unsubscribeUrl: "not a url" }))).toThrow(RangeError);
  });
});

describe("renderSessionCancelledEmail", () => {
  const cancelled = (overrides: Partial<SessionReminderEmailInput> = {}) => {
    const { duties: _duties, ...rest } = input(overrides);
    return renderSessionCancelledEmail(rest);
  };

  it("says which session is cancelled, in the subject and both bodies", () => {
    const email = cancelled({ session: session({ title: awkwardTitle }) });
    expect(email.subject).toBe(`Cancelled: ${awkwardTitle}, Tuesday 14 July 2026, 19:00 (BST)`);
    const shown = visibleText(email.html);
    for (const fact of [
      `${awkwardTitle}, a session of Carers' Circle, has been cancelled.`,
      "Tuesday 14 July 2026, 19:00 (BST)",
      "St Mary's Hall, 1 Church Street, Leeds",
      "the attached cancellation removes it",
    ]) {
      expect(email.text).toContain(fact);
      expect(shown).toContain(fact);
    }
  });

  it("is escaped and accessible like the reminder", () => {
    const { html } = cancelled({ memberFirstName: hostileName, session: session({ title: awkwardTitle }) });
    expect(html).not.toContain("<img");
    expect(html).toContain("Hello &lt;img src=x onerror=alert(1)&gt;,");
    expect(html).toContain('<html lang="en">');
    expect(html).toContain("<title>Cancelled: Tea &amp; &quot;talk&quot;");
    expect(html).toMatch(/<h1[^>]*>Cancelled: Tea &amp; &quot;talk&quot;/);
    expect(html).not.toMatch(/<(img|table)\b/i);
    expect(hrefs(html)).toEqual(["https://convene.example/u/tok-123"]);
    expect(html).toContain(">Unsubscribe from these emails</a>");
  });

  it("greets without a name when none is known", () => {
    expect(cancelled({ memberFirstName: "  " }).text.startsWith("Hello,\n")).toBe(true);
  });
});

describe("renderSessionMovedEmail", () => {
  it("gives the new time and place, says the invite updates the calendar, and keeps the duties", () => {
    const email = renderSessionMovedEmail(
      input({
        session: session({ title: awkwardTitle }),
        startsAtLocal: "Tuesday 21 July 2026, 18:00 (BST)",
        duties: ["venue-booking"],
      }),
    );
    expect(email.subject).toBe(`Changed: ${awkwardTitle}, now Tuesday 21 July 2026, 18:00 (BST)`);
    const shown = visibleText(email.html);
    for (const fact of [
      `The time or place of ${awkwardTitle}, a session of Carers' Circle, has changed.`,
      "the attached invite updates it",
      "Tuesday 21 July 2026, 18:00 (BST)",
      "St Mary's Hall, 1 Church Street, Leeds",
      "booking the venue",
    ]) {
      expect(email.text).toContain(fact);
      expect(shown).toContain(fact);
    }
    expect(email.html).toMatch(/<h1[^>]*>Changed: Tea &amp; &quot;talk&quot;/);
    expect(email.html).toContain('<html lang="en">');
    expect(hrefs(email.html)).toEqual(["https://convene.example/u/tok-123"]);
  });
});
