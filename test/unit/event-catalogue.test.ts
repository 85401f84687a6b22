import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { eventCatalogue } from "#events/catalogue.ts";
import { renderJsonSchemas } from "#events/generate-json-schemas.ts";
import { MalformedEventError, parseEvent } from "#events/parse-event.ts";

const dir = (name: string) => new URL(`../../events/${name}/`, import.meta.url);
const samples = readdirSync(dir("samples")).filter((f) => f.endsWith(".json"));

describe("the event catalogue", () => {
  it("has a committed JSON Schema for every event, equal to what the zod schemas generate", () => {
    const generated = renderJsonSchemas();
    const committed = readdirSync(dir("json-schema")).sort();
    expect(committed).toEqual([...generated.keys()].sort());
    for (const [file, text] of generated) {
      expect(
        readFileSync(new URL(file, dir("json-schema")), "utf8"),
        `${file} is stale: run npm run schemas`,
      ).toBe(text);
    }
  });

  it("keeps a published sample of every event type", () => {
    expect(samples.map((f) => f.split(".")[0]).sort()).toEqual(Object.keys(eventCatalogue).sort());
  });

  it.each(samples)("still accepts the published sample %s (backward compatible)", (file) => {
    const sample: unknown = JSON.parse(readFileSync(new URL(file, dir("samples")), "utf8"));
    expect(parseEvent(sample)).toEqual(sample);
  });

  it("rejects an unknown event type", () => {
    expect(() => parseEvent({ type: "SessionExploded" })).toThrow(MalformedEventError);
  });

  it("rejects a known event with a missing field, naming it", () => {
    const sample = JSON.parse(
      readFileSync(new URL("SessionReminderDue.v1.json", dir("samples")), "utf8"),
    ) as {
      data: Record<string, unknown>;
    };
    delete sample.data.sessionVersion;
    try {
      parseEvent(sample);
      expect.unreachable("a malformed event must not parse");
    } catch (error) {
      expect(error).toBeInstanceOf(MalformedEventError);
      expect((error as MalformedEventError).issues.map((i) => i.path)).toEqual(["data.sessionVersion"]);
    }
  });

  it("rejects fields it does not know, so a typo never passes silently", () => {
    const sample = JSON.parse(
      readFileSync(new URL("MemberUnsubscribed.v1.json", dir("samples")), "utf8"),
    ) as Record<string, unknown>;
    expect(() => parseEvent({ ...sample, extra: true })).toThrow(MalformedEventError);
  });
});
