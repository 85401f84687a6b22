import { Hono } from "hono";
import { newEvent } from "../../../shared/domain/new-event.ts";
import { verifyUnsubscribeToken, type UnsubscribeTarget } from "../../../shared/links/unsubscribe-link.ts";
import type { Ports } from "../../../shared/ports/ports.ts";
import { memberPage } from "./member-page.ts";

const what = (t: UnsubscribeTarget) => (t.channel === "email" ? "email reminders" : "text message reminders");

/**
 * RFC 8058 one-click unsubscribe. GET only shows a confirmation page (mail scanners follow
 * links, so a GET must change nothing); POST, from the page or from the mail client's
 * one-click button, stops the channel at once.
 */
export const unsubscribeRoutes = (ports: Ports) =>
  new Hono()
    .get("/unsubscribe", async (c) => {
      const token = c.req.query("token") ?? "";
      const target = await verifyUnsubscribeToken(token, ports.settings.linkSigningSecret);
      return c.html(
        memberPage(
          `Stop ${what(target)}?`,
          `<p>You will no longer get ${what(target)} from Convene for your groups. You can ask your group's coordinator to turn them back on at any time.</p>
<form method="post" action="?token=${encodeURIComponent(token)}"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Stop ${what(target)}</button></form>`,
        ),
      );
    })
    .post("/unsubscribe", async (c) => {
      const target = await verifyUnsubscribeToken(
        c.req.query("token") ?? "",
        ports.settings.linkSigningSecret,
      );
      const event = newEvent(
        "MemberUnsubscribed",
        { organisationId: target.organisationId, groupId: target.groupId },
        { memberId: target.memberId, channel: target.channel },
        ports.clock.now(),
      );
      await ports.store.unsubscribeMember(target.organisationId, target.memberId, target.channel, event);
      ports.log.info("member unsubscribed", {
        organisationId: target.organisationId,
        channel: target.channel,
      });
      return c.html(memberPage("You're unsubscribed", `<p>We won't send you any more ${what(target)}.</p>`));
    });
