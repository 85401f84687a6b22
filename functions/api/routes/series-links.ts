import { Hono, type Context } from "hono";
import { InvalidSeriesLink, verifySeriesLink, type SeriesAnswer } from "#links/series-link.ts";
import { esc } from "#messages/email-kit/html-safety.ts";
import type { Ports } from "#ports/ports.ts";
import {
  answerSeriesConfirmation,
  type SeriesAnswerOutcome,
} from "#use-cases/series/answer-series-confirmation.ts";
import { deadLinkPage, type DeadLink } from "./dead-link.ts";
import { memberPage } from "./member-page.ts";

const asks: Record<SeriesAnswer, (title: string) => string> = {
  yes: (title) => `Confirm that "${title}" still meets?`,
  no: (title) => `End "${title}"?`,
};

const explains: Record<SeriesAnswer, string> = {
  yes: "The group's sessions carry on as planned.",
  no: "No more sessions of the series will be made; its sessions still to come are cancelled and members are told.",
};

const answered: Record<SeriesAnswerOutcome, [status: 200 | 409, title: string, text: string]> = {
  confirmed: [200, "Thank you", "The series goes on. An email confirming it is on its way."],
  ending: [
    200,
    "The series is ending",
    "Its sessions still to come are being cancelled and members told. An email confirming it is on its way.",
  ],
  "already-ended": [409, "This series had already ended", "Nothing has changed."],
  "series-gone": [409, "This series no longer exists", "Nothing has changed."],
  "not-a-coordinator": [409, "You no longer coordinate this group", "Nothing has changed."],
};

const outcomePage = (c: Context, outcome: SeriesAnswerOutcome) => {
  const [status, title, text] = answered[outcome];
  return c.html(memberPage(title, `<p>${esc(text)}</p>`), status);
};

/**
 * The yes and no links of "still meeting?" emails. GET shows what the link will do and asks to
 * confirm (mail scanners follow links, so following one changes nothing); POST, from that
 * page's button, acts with the same use case as a reply.
 */
export const seriesLinkRoutes = (ports: Ports) => {
  const load = async (token: string) => {
    try {
      const link = await verifySeriesLink(token, ports.settings.linkSigningSecret);
      const ref = await ports.series.resolveSeriesReplyToken(link.seriesToken);
      if (!ref) return "gone";
      const series = await ports.series.getSeries(ref.organisationId, ref.groupId, ref.seriesId);
      return series ? { ref, series, answer: link.answer } : "gone";
    } catch (error) {
      if (error instanceof InvalidSeriesLink) return "invalid";
      throw error;
    }
  };
  const dead = (c: Context, why: DeadLink) =>
    deadLinkPage(c, ports.log, "series", why, "The series of sessions it was about no longer exists.");

  return new Hono()
    .get("/series-answer", async (c) => {
      const token = c.req.query("token") ?? "";
      const found = await load(token);
      if (typeof found === "string") return dead(c, found);
      const { series, answer } = found;
      if (series.status === "ended") return outcomePage(c, "already-ended");
      return c.html(
        memberPage(
          asks[answer](series.title),
          `<p>${esc(explains[answer])}</p>
<form method="post" action="?token=${encodeURIComponent(token)}"><button type="submit">Confirm</button></form>`,
        ),
      );
    })
    .post("/series-answer", async (c) => {
      const token = c.req.query("token") ?? "";
      const found = await load(token);
      if (typeof found === "string") return dead(c, found);
      const outcome = await answerSeriesConfirmation(ports, found.ref, found.answer);
      ports.log.info("series link confirmed", { outcome });
      return outcomePage(c, outcome);
    });
};
