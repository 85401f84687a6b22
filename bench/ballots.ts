// The votes part of `npm run bench`: DynamoDB requests per counted ballot, measured on the
// running platform. One vote among M members; every member replies once through the same
// handler the SMTP server calls; then the platform settles (confirmations, early close,
// tally, result emails). Requests are counted by SDK middleware, as for the reminders.

import { performance } from "node:perf_hooks";
import MailComposer from "nodemailer/lib/mail-composer";
import pMap from "p-map";
import { createReceiveReply } from "#functions/receive-reply/handler.ts";
import { ballotReplyAddress, newBallotToken } from "#domain/ballot-token.ts";
import type { RunningPlatform } from "#infra/local/platform.ts";
import {
  createGroup,
  createMember,
  createOrganisation,
  joinGroup,
} from "#use-cases/directory/manage-directory.ts";
import { openGroupVote } from "#use-cases/votes/vote-lifecycle.ts";
import { classifyDynamo, RequestLog } from "./probes.ts";

export interface BallotBenchResult {
  ballots: number;
  counted: number;
  seconds: number;
  /** Requests while the replies were handled (read, check, store the ballot). */
  perBallotOnReceipt: number;
  /** ...plus everything each ballot caused: confirmation, early close, tally, result. */
  perBallotInAll: number;
  byCommand: Record<string, number>;
}

const count = <T>(items: readonly T[], key: (item: T) => string) =>
  items.reduce<Record<string, number>>(
    (acc, item) => ((acc[key(item)] = (acc[key(item)] ?? 0) + 1), acc),
    {},
  );

export const benchBallots = async (
  platform: RunningPlatform,
  members: number,
): Promise<BallotBenchResult> => {
  const { runtime, engine } = platform;
  const ports = runtime.ports;
  const domain = "ballots.bench.example.org";
  const org = await createOrganisation(ports, { name: "Ballot bench" });
  const group = await createGroup(ports, org.id, {
    name: "Ballot bench group",
    timeZone: "Europe/London",
    leadershipModel: "collective",
  });
  const people = await pMap(
    Array.from({ length: members }, (_, i) => i),
    async (i) => {
      const m = await createMember(ports, org.id, {
        name: `Voter ${i}`,
        email: `voter${i}@${domain}`,
        reminders: [],
      });
      await joinGroup(ports, org.id, group.id, m.id);
      return m;
    },
    { concurrency: 16 },
  );
  const vote = await openGroupVote(ports, org.id, group.id, "bench", {
    question: "Shall we meet fortnightly?",
    kind: "proposal",
    closesAt: new Date(runtime.clock.now().getTime() + 7 * 86_400_000).toISOString(),
    quorum: 0.5,
    threshold: 0.5,
    secrecy: "secret",
    reminderMinutesBeforeClose: 0,
  });
  await engine.settle(); // ballots out, tokens created: not measured
  const mails = await pMap(people, async (m, i) => {
    const token = await ports.votes.ballotToken(
      { organisationId: org.id, groupId: group.id, voteId: vote.id, memberId: m.id },
      newBallotToken(),
    );
    const to = ballotReplyAddress(token, ports.settings.replyDomain);
    const raw = await new MailComposer({
      from: m.email,
      to,
      subject: "Re: Your vote: Shall we meet fortnightly?",
      text: `${i % 3 === 0 ? "No" : "Yes"}\n\nOn Monday, Convene wrote:\n> Reply Yes, No or Abstain`,
    })
      .compile()
      .build();
    return { raw, recipients: [to] };
  });

  const requests = new RequestLog();
  requests.attach(runtime.dynamo, "dynamo", classifyDynamo);
  const receive = createReceiveReply(ports);
  try {
    const t0 = performance.now();
    requests.phase = "receipt";
    const outcomes = await pMap(mails, (mail) => receive(mail), { concurrency: 8 });
    requests.phase = "consequences";
    await engine.settle();
    requests.phase = undefined;
    const seconds = (performance.now() - t0) / 1000;
    const counted = outcomes.filter((o) => o === "counted").length;
    if (counted !== members) throw new Error(`only ${counted} of ${members} ballots were counted`);
    const closed = await ports.votes.getVote(org.id, group.id, vote.id);
    if (closed?.status !== "closed") throw new Error("the vote did not close early once everyone had voted");
    const receipt = requests.of("receipt");
    const all = [...receipt, ...requests.of("consequences")];
    return {
      ballots: members,
      counted,
      seconds,
      perBallotOnReceipt: receipt.length / counted,
      perBallotInAll: all.length / counted,
      byCommand: count(all, (r) => r.command),
    };
  } finally {
    requests.detachAll();
  }
};

export const renderBallotReport = (r: BallotBenchResult): string =>
  [
    "",
    `Ballots by reply — ${r.ballots} members reply once each to one vote (secret proposal)`,
    `  counted              ${r.counted} in ${r.seconds.toFixed(2)} s, including confirmations, early close and result emails`,
    `  DynamoDB per ballot  ${r.perBallotOnReceipt.toFixed(2)} on receipt · ${r.perBallotInAll.toFixed(2)} in all`,
    `    by command         ${Object.entries(r.byCommand)
      .sort((a, b) => b[1] - a[1])
      .map(([c, n]) => `${c} ${n}`)
      .join(" · ")}`,
  ].join("\n");
