import type { Context } from "hono";
import { esc } from "#messages/email-kit/html-safety.ts";
import type { Log } from "#ports/logger.ts";
import { memberPage } from "./member-page.ts";

/**
 * Why a link from an email leads nowhere: it does not verify (missing, cut short by a mail
 * client, changed, expired, or made for another page), or what it names has gone.
 */
export type DeadLink = "invalid" | "gone";

const status = { invalid: 400, gone: 404 } as const;

/**
 * The page a member sees for a link that no longer works: a person followed it, so it is a
 * page, not problem+json; and it is the member's doing or the data's, never a server error.
 * Logged by kind only, without the token.
 */
export const deadLinkPage = (
  c: Context,
  log: Log,
  link: "ballot" | "role" | "rsvp" | "series" | "unsubscribe",
  why: DeadLink,
  gone: string,
): Response => {
  log.info("signed link refused", { link, why });
  const detail =
    why === "invalid"
      ? "It may have been cut short or changed on its way to you. Open it again from the email itself."
      : gone;
  return c.html(memberPage("This link no longer works", `<p>${esc(detail)}</p>`), status[why]);
};
