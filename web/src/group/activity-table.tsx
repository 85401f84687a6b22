import type { Ref } from "react";
import type { ActivityItem } from "#read-models/group-activity.ts";
import { formatInstant } from "../ui/format.ts";
import { describeActivity, type ActivityNames } from "./activity-words.ts";

/**
 * The log as a table: when (in the group's zone), what happened, and whom or what it
 * concerns. Pure; every word is a text node, so a name is shown as written, never as markup.
 * `focusRow` is the row that takes the focus (the first of a page just loaded).
 */
export const ActivityTable = ({
  items,
  names,
  timeZone,
  focusRow,
  focusRef,
}: {
  items: readonly ActivityItem[];
  names: ActivityNames;
  timeZone: string;
  focusRow?: number;
  focusRef?: Ref<HTMLTableRowElement>;
}) => (
  <div className="scroll">
    <table>
      <caption className="visually-hidden">The group's activity, newest first</caption>
      <thead>
        <tr>
          <th scope="col">When</th>
          <th scope="col">What happened</th>
          <th scope="col">Concerns</th>
        </tr>
      </thead>
      <tbody>
        {items.map((item, i) => {
          const line = describeActivity(item, names, timeZone);
          return (
            <tr key={item.eventId} {...(i === focusRow ? { ref: focusRef, tabIndex: -1 } : {})}>
              <td>
                <time dateTime={item.occurredAt}>{formatInstant(item.occurredAt, timeZone)}</time>
              </td>
              <th scope="row">{line.what}</th>
              <td>{line.concerns.join(", ")}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  </div>
);
