import { useEffect, useState } from "react";
import {
  apiPaths,
  type Group,
  type Items,
  type Member,
  type Series,
  type Session,
} from "../api/resources.ts";
import { useResource } from "../api/use-resource.ts";
import { formatLocal } from "../ui/format.ts";
import { ProblemNotice } from "../ui/problem-notice.tsx";
import { PastSessions } from "./past-sessions.tsx";
import { RsvpPrivacyForm } from "./rsvp-privacy-form.tsx";
import { SeriesForm } from "./series-form.tsx";
import { SeriesOccurrenceActions } from "./series-occurrence-actions.tsx";
import { SeriesView } from "./series-view.tsx";
import { SessionActions } from "./session-actions.tsx";
import { SessionForm } from "./session-form.tsx";
import { SessionRsvps } from "./session-rsvps.tsx";

/** Times a list is read again while the bus makes (or cancels) a series' sessions. */
const maxRereads = 30;

/**
 * The group's upcoming sessions, soonest first (of a series, its next one), with scheduling,
 * rescheduling and cancelling; its series, each with its sessions, and a form for a new one;
 * then the recent sessions, with their attendance.
 */
export const SessionsTab = ({
  organisationId,
  group,
  members,
}: {
  organisationId: string;
  group: Group;
  members: readonly Member[];
}) => {
  const [sessions, reload] = useResource<Items<Session>>(
    `${apiPaths.sessions(organisationId, group.id)}?limit=50`,
  );
  const [series, reloadSeries] = useResource<Items<Series>>(apiPaths.seriesList(organisationId, group.id));
  // What the last action did: a cancelled session leaves the list, so this says so.
  const [done, setDone] = useState("");
  // A saved privacy changes whose names the counts come with: they are read again.
  const [privacySaved, setPrivacySaved] = useState(0);
  const changed = (what: string, shown?: (upcoming: Session[]) => boolean) => {
    setDone(what);
    reload();
    reloadSeries();
    if (shown) setAwaited({ shown, rereads: 0 });
  };
  // A series' sessions are made (or cancelled) once the bus has carried its event: the list is
  // read again each second until it shows them, for up to maxRereads seconds.
  const [awaited, setAwaited] = useState<{ shown: (items: Session[]) => boolean; rereads: number }>();
  useEffect(() => {
    if (!awaited || sessions.state !== "ready") return;
    if (awaited.shown(sessions.data.items) || awaited.rereads >= maxRereads) return setAwaited(undefined);
    const timer = setTimeout(() => {
      setAwaited({ ...awaited, rereads: awaited.rereads + 1 });
      reload();
    }, 1000);
    return () => clearTimeout(timer);
  }, [awaited, sessions, reload]);
  const seriesOf = (id: string) =>
    series.state === "ready"
      ? series.data.items.find((s) => s.id === id && s.status === "active")
      : undefined;
  const ofSeries = (id: string) => (s: Session) => s.series?.seriesId === id;
  const upcoming = sessions.state === "ready" ? sessions.data.items : [];
  // Of each series, its next session only: the others are listed under the series.
  const listed = upcoming.filter((s) => !s.series || upcoming.find(ofSeries(s.series.seriesId)) === s);
  const nameOf = (memberId?: string) => members.find((m) => m.id === memberId)?.name;
  return (
    <>
      <p role="status">{done}</p>
      <h3>Upcoming sessions</h3>
      {sessions.state === "loading" && <p>Loading sessions…</p>}
      {sessions.state === "failed" && <ProblemNotice problem={sessions.problem} />}
      {sessions.state === "ready" && sessions.data.items.length === 0 && <p>No sessions are scheduled.</p>}
      {listed.length < upcoming.length && (
        <p className="hint">
          Of a series, only the next session is listed here; the others are under the series.
        </p>
      )}
      {sessions.state === "ready" && sessions.data.items.length > 0 && (
        <div className="scroll">
          <table>
            <caption className="visually-hidden">Upcoming sessions, soonest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Session</th>
                <th scope="col">Where</th>
                <th scope="col">Facilitator</th>
                <th scope="col">Status</th>
                <th scope="col">Coming</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {listed.map((s) => (
                <tr key={s.id}>
                  <td>
                    {formatLocal(s.startLocal, s.timeZone)}
                    {s.series && <div className="hint">Next of its series</div>}
                  </td>
                  <th scope="row">{s.title}</th>
                  <td>
                    {[s.venue?.name, s.venue?.address].filter(Boolean).join(", ")}
                    {s.onlineUrl && <div>Online</div>}
                  </td>
                  <td>{nameOf(s.facilitatorMemberId) ?? <span className="warn">Nobody yet</span>}</td>
                  <td>{s.status === "cancelled" ? "Cancelled" : "Scheduled"}</td>
                  <td>
                    <SessionRsvps
                      key={privacySaved}
                      organisationId={organisationId}
                      groupId={group.id}
                      sessionId={s.id}
                    />
                  </td>
                  <td>
                    {s.status === "scheduled" && !s.series && (
                      <SessionActions organisationId={organisationId} session={s} onChanged={changed} />
                    )}
                    {s.status === "scheduled" && s.series && seriesOf(s.series.seriesId) && (
                      <SeriesOccurrenceActions
                        organisationId={organisationId}
                        session={{ ...s, series: s.series }}
                        series={seriesOf(s.series.seriesId)!}
                        onChanged={changed}
                      />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h3>Series</h3>
      {series.state === "loading" && <p>Loading series…</p>}
      {series.state === "failed" && <ProblemNotice problem={series.problem} />}
      {series.state === "ready" && series.data.items.length === 0 && <p>The group has no series yet.</p>}
      {series.state === "ready" &&
        series.data.items.map((s) => (
          <SeriesView
            key={s.id}
            organisationId={organisationId}
            series={s}
            sessions={upcoming.filter(ofSeries(s.id))}
            members={members}
            onChanged={changed}
          />
        ))}
      <SeriesForm
        organisationId={organisationId}
        group={group}
        members={members}
        onSaved={(s) =>
          changed(
            `Made the series “${s.title}”: ${s.ruleInWords}. Its sessions follow, with their reminders.`,
            (upcoming) => upcoming.some(ofSeries(s.id)),
          )
        }
      />
      <SessionForm
        organisationId={organisationId}
        group={group}
        members={members}
        onScheduled={(s) =>
          changed(`Scheduled “${s.title}” for ${formatLocal(s.startLocal, s.timeZone)}; reminders follow.`)
        }
      />
      <PastSessions organisationId={organisationId} groupId={group.id} onRecorded={setDone} />
      <h3>Who is coming: privacy</h3>
      <RsvpPrivacyForm
        organisationId={organisationId}
        groupId={group.id}
        onSaved={(what) => {
          setPrivacySaved((n) => n + 1);
          setDone(what);
        }}
      />
    </>
  );
};
