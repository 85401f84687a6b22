import type { Member } from "../api/resources.ts";
import { SelectField, TextField } from "../ui/field.tsx";
import { groupClockHint } from "../ui/format.ts";
import { optionalText, textOf } from "../ui/form-values.ts";

/** The API's message for a field, if it named it. */
type ErrorOf = (field: string) => string | undefined;

// The fields a session and a series share, with the API's limits (functions/api/schemas.ts).

/** The fields of a session's form, as problem+json names them: their errors are shown beside them. */
export const sessionFieldNames = [
  "title",
  "startLocal",
  "durationMinutes",
  "venue.name",
  "venue.address",
  "onlineUrl",
  "facilitatorMemberId",
];

/** A start on the group's clock and a length: when a session (or a series' sessions) meet. */
export const WhenFields = ({
  startLabel,
  startHint = "",
  timeZone,
  start,
  durationMinutes,
  error,
}: {
  startLabel: string;
  /** Said after the zone, e.g. "; every session starts at this time". */
  startHint?: string;
  timeZone: string;
  start?: string;
  durationMinutes: number;
  error: ErrorOf;
}) => (
  <>
    <TextField
      label={startLabel}
      name="startLocal"
      type="datetime-local"
      required
      defaultValue={start}
      hint={`${groupClockHint(timeZone)}${startHint}`}
      error={error("startLocal")}
    />
    <TextField
      label="Length in minutes"
      name="durationMinutes"
      type="number"
      min={15}
      max={720}
      defaultValue={durationMinutes}
      error={error("durationMinutes")}
    />
  </>
);

/** What the fields below hold, as the API takes it: the length, venue, link and facilitator. */
export const logisticsOf = (data: FormData) => {
  const venueName = textOf(data, "venueName");
  const venueAddress = optionalText(data, "venueAddress");
  const duration = optionalText(data, "durationMinutes");
  return {
    ...(duration ? { durationMinutes: Number(duration) } : {}),
    ...(venueName || venueAddress ? { venue: { name: venueName, address: venueAddress } } : {}),
    onlineUrl: optionalText(data, "onlineUrl"),
    facilitatorMemberId: optionalText(data, "facilitatorMemberId"),
  };
};

/** Where and who: venue, its address, an online link, and the facilitator among the members. */
export const PlaceAndFacilitatorFields = ({
  members,
  nobody,
  error,
}: {
  members: readonly Member[];
  /** The facilitator choice that names nobody, e.g. "Nobody yet". */
  nobody: string;
  error: ErrorOf;
}) => (
  <>
    <TextField label="Venue" name="venueName" error={error("venue.name")} />
    <TextField label="Venue address" name="venueAddress" error={error("venue.address")} />
    <TextField label="Online link" name="onlineUrl" type="url" error={error("onlineUrl")} />
    <SelectField label="Facilitator" name="facilitatorMemberId" error={error("facilitatorMemberId")}>
      <option value="">{nobody}</option>
      {members.map((m) => (
        <option key={m.id} value={m.id}>
          {m.name}
        </option>
      ))}
    </SelectField>
  </>
);
