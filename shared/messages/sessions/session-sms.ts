import type { Session } from "#domain/session.ts";
import { measureSms, smsSegments } from "#messages/sms-segments.ts";

/** Why the member gets the SMS: before the session, after it moved, or after it was cancelled. */
export type SessionSmsNotice = "reminder" | "moved" | "cancelled";

export interface SessionReminderSmsInput {
  session: Pick<Session, "venue" | "onlineUrl">;
  /**
   * What the text names: the group and the session's title (sessionSmsSubject), only when the
   * organisation chose to name groups in texts. Absent: the neutral wording ("your group
   * meets …"), since a group's name or a title often says what condition brings members
   * together, and a text is read on a lock screen by whoever holds the phone.
   */
  subject?: string;
  /** The start as the member should read it, short and in the group's zone, e.g. "Tue 14 Oct 19:00". */
  startsAtLocal: string;
  /** Default "reminder". */
  notice?: SessionSmsNotice;
  /** The session asks who is coming: the text ends with rsvpSmsAsk, answered by text. */
  asksRsvp?: boolean;
}

const leads: Record<SessionSmsNotice, { lead: string; when: string; neutral: string }> = {
  reminder: { lead: "Reminder", when: "", neutral: "your group meets" },
  moved: { lead: "Changed", when: "now ", neutral: "your group now meets" },
  cancelled: { lead: "Cancelled", when: "", neutral: "your group will not meet" },
};

/** What a text names when the organisation names groups in texts: "Group: title". */
export const sessionSmsSubject = (groupName: string, title: string): string =>
  `${groupName.trim()}: ${title.trim()}`;

export const optOutHint = "Reply STOP to opt out";
/** How a reminder asks who is coming; answer-sms reads what comes back. */
export const rsvpSmsAsk = "Reply YES, NO or MAYBE";

/** A title is never cut below this many characters (the "..." included) to save the opt-out hint. */
const minimumTitleLength = 16;

/**
 * The SMS reminder for a session (or the notice that it changed or was cancelled), in the
 * neutral wording unless given a subject: one segment wherever that is possible, because every further segment is billed and may arrive
 * out of order.
 *
 * In order of preference it keeps: the start and the place (never cut), the online link,
 * the opt-out hint, then as much of the title as still fits. Typographic punctuation is
 * replaced by its plain form first, and emoji are dropped from the title when that is what
 * stands in the way, since a single such character switches the whole message to UCS-2 and
 * cuts its room from 160 to 70 characters. When nothing fits one segment (a very long place
 * name, say) the full message is sent in several.
 */
export function renderSessionReminderSms(input: SessionReminderSmsInput): string {
  const title = input.subject === undefined ? undefined : plainPunctuation(input.subject.trim());
  const startsAt = plainPunctuation(input.startsAtLocal.trim());
  const venue = input.session.venue ? plainPunctuation(input.session.venue.name.trim()) : undefined;
  const { lead, when, neutral } = leads[input.notice ?? "reminder"];
  const onlineUrl = input.session.onlineUrl;

  const place = (withLink: boolean): string => {
    if (venue !== undefined) return ` at ${venue}`;
    if (onlineUrl === undefined) return "";
    return withLink ? ` online: ${onlineUrl}` : " online";
  };
  const compose = (shownTitle: string | undefined, withLink: boolean, withOptOut: boolean): string => {
    const body =
      shownTitle === undefined
        ? `${lead}: ${neutral} ${startsAt}${place(withLink)}`
        : `${lead}: ${shownTitle}, ${when}${startsAt}${place(withLink)}`;
    const ends = [...(withOptOut ? [optOutHint] : []), ...(input.asksRsvp ? [rsvpSmsAsk] : [])];
    return ends.length > 0 ? `${body}. ${ends.join(". ")}` : `${body}.`;
  };

  // A cancelled session has no link worth joining.
  const canLink = venue === undefined && onlineUrl !== undefined && input.notice !== "cancelled";
  const preferences: [withLink: boolean, withOptOut: boolean][] = canLink
    ? [
        [true, true],
        [true, false],
        [false, true],
        [false, false],
      ]
    : [
        [false, true],
        [false, false],
      ];

  if (title === undefined) {
    for (const [withLink, withOptOut] of preferences) {
      const text = compose(undefined, withLink, withOptOut);
      if (smsSegments(text) === 1) return text;
    }
    return compose(undefined, canLink, true);
  }

  // Emoji are decoration; dropping them is better than losing 90 characters of room.
  const plainTitle = withoutEmoji(title);
  const titles =
    plainTitle !== title && measureSms(plainTitle).encoding === "GSM-7" ? [title, plainTitle] : [title];

  for (const [withLink, withOptOut] of preferences) {
    for (const candidate of titles) {
      const fullLength = [...candidate].length;
      const shortest = Math.min(fullLength, minimumTitleLength);
      for (let length = fullLength; length >= shortest; length--) {
        const text = compose(shortenTo(candidate, length), withLink, withOptOut);
        if (smsSegments(text) === 1) return text;
      }
    }
  }
  return compose(title, canLink, true);
}

const withoutEmoji = (text: string): string =>
  text
    // Alternation, not a character class: the joiners and selectors combine with neighbours.
    .replace(
      /\p{Extended_Pictographic}|\p{Regional_Indicator}|[\u{1F3FB}-\u{1F3FF}]|\u{FE0F}|\u{200D}|\u{20E3}/gu,
      "",
    )
    .replace(/\s{2,}/g, " ")
    .trim();

/** Cuts to at most `length` characters (code points, so no emoji is split), marking the cut with "...". */
function shortenTo(text: string, length: number): string {
  const chars = [...text];
  if (chars.length <= length) return text;
  return `${chars
    .slice(0, Math.max(0, length - 3))
    .join("")
    .trimEnd()}...`;
}

const plainEquivalents: [RegExp, string][] = [
  [/[\u2018\u2019\u201A\u201B\u2032]/g, "'"],
  [/[\u201C\u201D\u201E\u2033]/g, '"'],
  [/[\u2010-\u2015\u2212]/g, "-"],
  [/\u2026/g, "..."],
  // No-break and thin spaces; Intl date formats emit U+202F before "PM".
  [/[\u00A0\u2007\u2009\u202F]/g, " "],
];

function plainPunctuation(text: string): string {
  return plainEquivalents.reduce((acc, [pattern, plain]) => acc.replace(pattern, plain), text);
}
