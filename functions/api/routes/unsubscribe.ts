import { Hono } from "hono";
import { newEvent } from "../../../shared/domain/new-event.ts";
import { verifyUnsubscribeToken, type UnsubscribeTarget } from "../../../shared/links/unsubscribe-link.ts";
import type { Ports } from "../../../shared/ports/ports.ts";
import { esc } from "../../../shared/messages/session-reminder-email.ts";

const page = (title: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)} · Convene</title>
<style>body{font:1.1rem/1.5 system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;color:#1a1a1a;background:#fff}
button{font:inherit;padding:.6rem 1.2rem;background:#14532d;color:#fff;border:0;border-radius:.3rem;cursor:pointer}
button:focus{outline:3px solid #1d4ed8;outline-offset:2px}</style></head>
<body><main><h1>${esc(title)}</h1>${body}</main></body></html>`;

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
        page(
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
      return c.html(page("You're unsubscribed", `<p>We won't send you any more ${what(target)}.</p>`));
    });
