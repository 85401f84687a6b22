import { Hono, type Context } from "hono";
import { canCast } from "#domain/vote.ts";
import { InvalidBallotLink, verifyBallotLink, type BallotChoice } from "#links/ballot-link.ts";
import { esc } from "#messages/email-kit/html-safety.ts";
import type { Ports } from "#ports/ports.ts";
import { castBallot } from "#use-cases/votes/cast-ballot.ts";
import { deadLinkPage, type DeadLink } from "./dead-link.ts";
import { memberPage } from "./member-page.ts";

/**
 * The voting links in ballot emails. GET shows the choice and asks to confirm it (mail
 * scanners follow links, so following one casts nothing); POST, from that page's button,
 * casts it with the same rules as a reply.
 */
export const ballotLinkRoutes = (ports: Ports) => {
  const load = async (token: string) => {
    let choice: BallotChoice;
    try {
      choice = await verifyBallotLink(token, ports.settings.linkSigningSecret);
    } catch (error) {
      if (error instanceof InvalidBallotLink) return "invalid";
      throw error;
    }
    const ref = await ports.votes.resolveBallotToken(choice.ballotToken);
    const vote = ref ? await ports.votes.getVote(ref.organisationId, ref.groupId, ref.voteId) : undefined;
    const member = ref ? await ports.store.getMember(ref.organisationId, ref.memberId) : undefined;
    const option = vote?.options.find((o) => o.id === choice.optionId);
    if (!ref || !vote || !member || !option) return "gone";
    return { ref, vote, member, option, choice };
  };
  const dead = (c: Context, why: DeadLink) =>
    deadLinkPage(c, ports.log, "ballot", why, "The vote it belongs to no longer exists.");
  const closed = () => memberPage("This vote has closed", "<p>Votes are no longer counted for it.</p>");

  return new Hono()
    .get("/ballot", async (c) => {
      const token = c.req.query("token") ?? "";
      const found = await load(token);
      if (typeof found === "string") return dead(c, found);
      const { vote, option } = found;
      if (canCast(vote, ports.clock.now()) !== "open") return c.html(closed(), 409);
      return c.html(
        memberPage(
          `Vote “${option.label}”?`,
          `<p>${esc(vote.question)}</p>
<p>You are about to vote <strong>${esc(option.label)}</strong>. You can change your vote until the vote closes.</p>
<form method="post" action="?token=${encodeURIComponent(token)}"><button type="submit">Confirm: ${esc(option.label)}</button></form>`,
        ),
      );
    })
    .post("/ballot", async (c) => {
      const token = c.req.query("token") ?? "";
      const found = await load(token);
      if (typeof found === "string") return dead(c, found);
      const { vote, member, ref, option } = found;
      // Each confirmation is its own "message": a second click is a new, identical ballot.
      const outcome = await castBallot(ports, vote, member, ref, option.id, `link#${crypto.randomUUID()}`);
      ports.log.info("ballot link confirmed", { outcome });
      if (outcome === "vote-closed") return c.html(closed(), 409);
      return c.html(memberPage("Your vote is counted", `<p>Thank you. We'll email you a confirmation.</p>`));
    });
};
