import { Hono, type Context } from "hono";
import { formatLocal, sessionStartInstant } from "#domain/local-time.ts";
import type { RsvpAnswer } from "#domain/rsvp.ts";
import { InvalidRsvpLink, verifyRsvpLink } from "#links/rsvp-link.ts";
import { esc } from "#messages/email-kit/html-safety.ts";
import type { Ports } from "#ports/ports.ts";
import { recordRsvp, type RsvpOutcome } from "#use-cases/rsvp/record-rsvp.ts";
import { chooseNameShown, nameChoiceOf, type NameOptInOutcome } from "#use-cases/rsvp/set-name-opt-in.ts";
import { deadLinkPage, type DeadLink } from "./dead-link.ts";
import { memberPage } from "./member-page.ts";

const asks: Record<RsvpAnswer, string> = {
  yes: "Coming?",
  no: "Not coming?",
  maybe: "Might come?",
};

const answered: Partial<Record<RsvpOutcome["kind"], string>> = {
  recorded: "Thank you for letting us know. A confirmation is on its way.",
  superseded: "You had already answered since. Your latest answer stands.",
  unchanged: "We already had that answer from you. Nothing has changed.",
};

const closed: Partial<Record<RsvpOutcome["kind"], string>> = {
  "session-cancelled": "This session has been cancelled.",
  "session-past": "This session has already started, so answers are closed.",
  "not-asked": "This session isn't asking who is coming.",
  "not-a-member": "You are no longer in this group. Nothing has changed.",
};

const nameChoice = "Let this group's facilitators and coordinators see my name when I say I'm coming";

/** The member's own choice of showing their name, where the group leaves it to each member. */
const nameChoiceForm = (action: string, shown: boolean) => `<h2>Your name</h2>
<form method="post" action="${action}">
<input type="hidden" name="choice" value="name-shown">
<p><label><input type="checkbox" name="show-name" value="yes"${shown ? " checked" : ""}> ${esc(nameChoice)}</label></p>
<p>Now: ${shown ? "your name is shown to them" : "your name is not shown to them"}. Other members never see it.</p>
<button type="submit">Save my choice</button></form>`;

const nameChoiceSaved = (outcome: NameOptInOutcome) => {
  if (outcome.kind === "set")
    return outcome.shown
      ? "Saved: the group's facilitators and coordinators will see your name when you say you're coming."
      : "Saved: your name will not be shown beside your answers.";
  return outcome.kind === "not-offered"
    ? "This group doesn't ask members whether to show their names."
    : closed["not-a-member"]!;
};

/**
 * The links in RSVP emails ("yes", "no", "maybe"). GET shows what the link will record and
 * asks to confirm (mail scanners follow links, so following one changes nothing); POST, from
 * that page's button, records with the same use case as a reply. Where the group leaves names
 * to each member, the page also offers the member's own choice of showing theirs (a POST with
 * `choice=name-shown` saves it).
 */
export const rsvpLinkRoutes = (ports: Ports) => {
  const load = async (token: string) => {
    try {
      const link = await verifyRsvpLink(token, ports.settings.linkSigningSecret);
      const ref = await ports.rsvps.resolveRsvpToken(link.rsvpToken);
      if (!ref) return "gone";
      const session = await ports.store.getSession(ref.organisationId, ref.groupId, ref.sessionId);
      return session ? { ref, session, answer: link.answer } : "gone";
    } catch (error) {
      if (error instanceof InvalidRsvpLink) return "invalid";
      throw error;
    }
  };
  const dead = (c: Context, why: DeadLink) =>
    deadLinkPage(c, ports.log, "rsvp", why, "The session it was about no longer exists.");

  return new Hono()
    .get("/rsvp-answer", async (c) => {
      const token = c.req.query("token") ?? "";
      const found = await load(token);
      if (typeof found === "string") return dead(c, found);
      const { ref, session, answer } = found;
      const when = formatLocal(sessionStartInstant(session.startLocal, session.timeZone), session.timeZone);
      const action = `?token=${encodeURIComponent(token)}`;
      const shown = await nameChoiceOf(ports, ref);
      return c.html(
        memberPage(
          asks[answer],
          `<p>${esc(session.title)}, ${esc(when)}: your answer will be “${answer}”.</p>
<form method="post" action="${action}"><button type="submit">Confirm</button></form>${
            shown === undefined ? "" : `\n${nameChoiceForm(action, shown)}`
          }`,
        ),
      );
    })
    .post("/rsvp-answer", async (c) => {
      const token = c.req.query("token") ?? "";
      const found = await load(token);
      if (typeof found === "string") return dead(c, found);
      const { ref, answer } = found;
      const form = await c.req.parseBody();
      if (form.choice === "name-shown") {
        const chosen = await chooseNameShown(ports, ref, form["show-name"] === "yes");
        ports.log.info("rsvp name choice", { outcome: chosen.kind });
        const page = memberPage(
          chosen.kind === "set" ? "Thank you" : "Nothing has changed",
          `<p>${esc(nameChoiceSaved(chosen))}</p>`,
        );
        return c.html(page, chosen.kind === "set" ? 200 : 409);
      }
      const outcome = await recordRsvp(ports, {
        ...ref,
        answer,
        source: "link",
        answeredAt: ports.clock.now(),
      });
      ports.log.info("rsvp link confirmed", { outcome: outcome.kind });
      const thanks = answered[outcome.kind];
      if (thanks) return c.html(memberPage("Thank you", `<p>${esc(thanks)}</p>`));
      const why = closed[outcome.kind] ?? "Your answer could not be recorded.";
      return c.html(memberPage("Nothing has changed", `<p>${esc(why)}</p>`), 409);
    });
};
