import { Hono, type Context } from "hono";
import { DomainError } from "#domain/errors.ts";
import { newEvent } from "#domain/new-event.ts";
import {
  InvalidUnsubscribeToken,
  verifyUnsubscribeToken,
  type UnsubscribeTarget,
} from "#links/unsubscribe-link.ts";
import type { Ports } from "#ports/ports.ts";
import { deadLinkPage, type DeadLink } from "./dead-link.ts";
import { memberPage } from "./member-page.ts";

const what = (t: UnsubscribeTarget) => (t.channel === "email" ? "email reminders" : "text message reminders");

/** What the link names, or "invalid" when it does not verify. */
const targetOf = async (ports: Ports, token: string): Promise<UnsubscribeTarget | "invalid"> => {
  try {
    return await verifyUnsubscribeToken(token, ports.settings.linkSigningSecret);
  } catch (error) {
    if (error instanceof InvalidUnsubscribeToken) return "invalid";
    throw error;
  }
};

/**
 * RFC 8058 one-click unsubscribe. GET only shows a confirmation page (mail scanners follow
 * links, so a GET must change nothing); POST, from the page or from the mail client's
 * one-click button, stops the channel at once.
 */
export const unsubscribeRoutes = (ports: Ports) => {
  const dead = (c: Context, why: DeadLink) =>
    deadLinkPage(c, ports.log, "unsubscribe", why, "The member it was for is no longer on our list.");
  return new Hono()
    .get("/unsubscribe", async (c) => {
      const token = c.req.query("token") ?? "";
      const target = await targetOf(ports, token);
      if (target === "invalid") return dead(c, target);
      if (!(await ports.store.getMember(target.organisationId, target.memberId))) return dead(c, "gone");
      return c.html(
        memberPage(
          `Stop ${what(target)}?`,
          `<p>You will no longer get ${what(target)} from Convene for your groups. You can ask your group's coordinator to turn them back on at any time.</p>
<form method="post" action="?token=${encodeURIComponent(token)}"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Stop ${what(target)}</button></form>`,
        ),
      );
    })
    .post("/unsubscribe", async (c) => {
      const target = await targetOf(ports, c.req.query("token") ?? "");
      if (target === "invalid") return dead(c, target);
      const event = newEvent(
        "MemberUnsubscribed",
        { organisationId: target.organisationId, groupId: target.groupId },
        { memberId: target.memberId, channel: target.channel },
        ports.clock.now(),
      );
      try {
        await ports.store.unsubscribeMember(target.organisationId, target.memberId, target.channel, event);
      } catch (error) {
        // The member has been erased since the link was sent.
        if (error instanceof DomainError && error.kind === "not-found") return dead(c, "gone");
        throw error;
      }
      ports.log.info("member unsubscribed", {
        organisationId: target.organisationId,
        channel: target.channel,
      });
      return c.html(memberPage("You're unsubscribed", `<p>We won't send you any more ${what(target)}.</p>`));
    });
};
