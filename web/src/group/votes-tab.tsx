import { useState } from "react";
import { apiPaths, type Group, type Items, type Member, type Vote } from "../api/resources.ts";
import { useResource } from "../api/use-resource.ts";
import { formatInstant, formatShare } from "../ui/format.ts";
import { ProblemNotice } from "../ui/problem-notice.tsx";
import { describeOutcome } from "./vote-outcome.ts";
import { VoteForm } from "./vote-form.tsx";

const VoteCard = ({ vote, timeZone }: { vote: Vote; timeZone: string }) => {
  const { ballots, share } = vote.turnout;
  return (
    <article className="vote" aria-labelledby={`vote-${vote.id}`}>
      <h4 id={`vote-${vote.id}`}>{vote.question}</h4>
      <p>
        {vote.status === "open" ? "Open" : vote.status === "closed" ? "Closed" : "Cancelled"}, {vote.secrecy}{" "}
        ballot; {vote.status === "open" ? "closes" : "closing time"} {formatInstant(vote.closesAt, timeZone)}.
      </p>
      <p>
        Turnout: {ballots} of {vote.eligible} members have voted ({formatShare(share)}).{" "}
        <meter min={0} max={1} value={share} aria-label={`Turnout of “${vote.question}”`}>
          {formatShare(share)}
        </meter>
      </p>
      {vote.result && (
        <>
          <p>
            <strong>Result: {describeOutcome(vote)}</strong>; quorum{" "}
            {vote.result.quorumMet ? "met" : "not met"}.
          </p>
          <table>
            <caption className="visually-hidden">Votes for each option of “{vote.question}”</caption>
            <thead>
              <tr>
                <th scope="col">Option</th>
                <th scope="col">Votes</th>
              </tr>
            </thead>
            <tbody>
              {vote.options.map((o) => (
                <tr key={o.id}>
                  <th scope="row">{o.label}</th>
                  <td>{vote.result?.counts[o.id] ?? 0}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </article>
  );
};

/** The group's votes: open one, follow turnout while it runs, read the result once it closes. */
export const VotesTab = ({
  organisationId,
  group,
  members,
}: {
  organisationId: string;
  group: Group;
  members: readonly Member[];
}) => {
  const [votes, reload] = useResource<Items<Vote>>(apiPaths.votes(organisationId, group.id));
  const [opened, setOpened] = useState<Vote>();
  return (
    <>
      <p role="status">{opened && `Opened “${opened.question}”; ballots are on their way.`}</p>
      <button type="button" onClick={reload}>
        Refresh turnout
      </button>
      {votes.state === "loading" && <p>Loading votes…</p>}
      {votes.state === "failed" && <ProblemNotice problem={votes.problem} />}
      {votes.state === "ready" && votes.data.items.length === 0 && <p>The group has held no votes yet.</p>}
      {votes.state === "ready" &&
        votes.data.items.map((vote) => <VoteCard key={vote.id} vote={vote} timeZone={group.timeZone} />)}
      <VoteForm
        organisationId={organisationId}
        group={group}
        members={members}
        onOpened={(vote) => {
          setOpened(vote);
          reload();
        }}
      />
    </>
  );
};
