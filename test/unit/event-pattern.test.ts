/**
 * Specification of the local EventBridge event-pattern matcher.
 *
 * Patterns and events quoted from the Amazon EventBridge User Guide are marked "Guide:" with the page they
 * come from: "Creating Amazon EventBridge event patterns" (eb-event-patterns), "Matching null values and
 * empty strings", "Arrays in Amazon EventBridge event patterns", "Content filtering in Amazon EventBridge
 * event patterns" (content filtering) and its "Comparison operators" table (operators table). Events the
 * guide does not spell out are built around the quoted pattern and say so.
 */
import { describe, expect, it } from "vitest";
import {
  compileEventPattern,
  matchesEventPattern,
  UnsupportedEventPatternError,
  type EventPattern,
} from "#bus/event-pattern.ts";

/** Guide (eb-event-patterns): "a simple AWS event from Amazon EC2". */
const ec2TerminatedEvent = {
  version: "0",
  id: "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
  "detail-type": "EC2 Instance State-change Notification",
  source: "aws.ec2",
  account: "111122223333",
  time: "2017-12-22T18:43:48Z",
  region: "us-west-1",
  resources: ["arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0"],
  detail: {
    "instance-id": "i-1234567890abcdef0",
    state: "terminated",
  },
};

/** Amazon EC2 User Guide, "State change events for Amazon EC2 instances": the instance entered `pending`. */
const ec2PendingEvent = {
  id: "7bf73129-1428-4cd3-a780-95db273d1602",
  "detail-type": "EC2 Instance State-change Notification",
  source: "aws.ec2",
  account: "123456789012",
  time: "2021-11-11T21:29:54Z",
  region: "us-east-1",
  resources: ["arn:aws:ec2:us-east-1:123456789012:instance/i-1234567890abcdef0"],
  detail: {
    "instance-id": "i-1234567890abcdef0",
    state: "pending",
  },
};

/** Guide ("Matching null values and empty strings"): an Auto Scaling event. */
const autoScalingEvent = {
  version: "0",
  id: "3e3c153a-8339-4e30-8c35-687ebef853fe",
  "detail-type": "EC2 Instance Launch Successful",
  source: "aws.autoscaling",
  account: "123456789012",
  time: "2015-11-11T21:31:47Z",
  region: "us-east-1",
  resources: [],
  detail: {
    eventVersion: "",
    responseElements: null,
  },
};

/** Replaces `detail` of an event, for the negative twin of a documented example. */
function withDetail<E extends { detail: object }>(event: E, detail: Record<string, unknown>): E {
  return { ...event, detail: { ...event.detail, ...detail } };
}

/** Runs the compiler and returns the error it must throw. */
function compileError(pattern: EventPattern): UnsupportedEventPatternError {
  try {
    compileEventPattern(pattern);
  } catch (error) {
    if (error instanceof UnsupportedEventPatternError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(pattern)} to be rejected`);
}

describe("event patterns (Guide: eb-event-patterns)", () => {
  it("selects the EC2 instance-termination event with the documented pattern", () => {
    // Guide: "The following event pattern selects all Amazon EC2 instance-termination events."
    const terminations = compileEventPattern({
      source: ["aws.ec2"],
      "detail-type": ["EC2 Instance State-change Notification"],
      detail: {
        state: ["terminated"],
      },
    });

    expect(terminations(ec2TerminatedEvent)).toBe(true);
    expect(terminations(ec2PendingEvent)).toBe(false);
    expect(terminations({ ...ec2TerminatedEvent, source: "aws.autoscaling" })).toBe(false);
  });

  it("ignores event fields the pattern does not name", () => {
    const pattern = { detail: { state: ["terminated"] } };

    expect(matchesEventPattern(pattern, ec2TerminatedEvent)).toBe(true);
    expect(matchesEventPattern(pattern, { detail: { state: "terminated" } })).toBe(true);
  });

  it("requires every field the pattern names, with the same nesting", () => {
    const pattern = { source: ["aws.ec2"], detail: { state: ["terminated"] } };

    expect(matchesEventPattern(pattern, { source: "aws.ec2" })).toBe(false);
    expect(matchesEventPattern(pattern, { source: "aws.ec2", state: "terminated" })).toBe(false);
    expect(matchesEventPattern(pattern, { source: "aws.ec2", detail: "terminated" })).toBe(false);
  });

  it("matches any of the values listed for a field", () => {
    // Guide: matches events where "source" is either "aws.ec2" or "aws.fargate".
    const pattern = { source: ["aws.ec2", "aws.fargate"] };

    expect(matchesEventPattern(pattern, { source: "aws.ec2" })).toBe(true);
    expect(matchesEventPattern(pattern, { source: "aws.fargate" })).toBe(true);
    expect(matchesEventPattern(pattern, { source: "aws.s3" })).toBe(false);
  });

  it("compares strings exactly, without case-folding", () => {
    const pattern = { source: ["aws.ec2"] };

    expect(matchesEventPattern(pattern, { source: "AWS.EC2" })).toBe(false);
    expect(matchesEventPattern(pattern, { source: "aws.ec2 " })).toBe(false);
  });

  it("matches numbers by value and never a string spelling of them (Guide: Value matching)", () => {
    // Guide: matches "any event that has a risk score of 80 and a trigger risk of 8". The documented
    // Macie event is truncated; this is its risk-score and trigger part.
    const pattern = {
      source: ["aws.macie"],
      "detail-type": ["Macie Alert"],
      detail: {
        "risk-score": [80],
        trigger: {
          risk: [8],
        },
      },
    };
    const macieAlert = {
      source: "aws.macie",
      "detail-type": "Macie Alert",
      detail: { "risk-score": 80, trigger: { "alert-type": "basic", risk: 8 } },
    };

    expect(matchesEventPattern(pattern, macieAlert)).toBe(true);
    expect(matchesEventPattern(pattern, withDetail(macieAlert, { "risk-score": 79 }))).toBe(false);
    expect(matchesEventPattern(pattern, withDetail(macieAlert, { "risk-score": "80" }))).toBe(false);
    expect(matchesEventPattern({ "x-limit": [300] }, JSON.parse('{"x-limit": 3.0e2}'))).toBe(true);
  });

  it("matches booleans only against the same boolean", () => {
    const pattern = { detail: { enabled: [true] } };

    expect(matchesEventPattern(pattern, { detail: { enabled: true } })).toBe(true);
    expect(matchesEventPattern(pattern, { detail: { enabled: false } })).toBe(false);
    expect(matchesEventPattern(pattern, { detail: { enabled: "true" } })).toBe(false);
  });

  it("only sees an event's own properties, never inherited ones", () => {
    const inherited: unknown = Object.create({ source: "aws.ec2" });

    expect(matchesEventPattern({ source: ["aws.ec2"] }, inherited)).toBe(false);
    expect(matchesEventPattern({ source: [{ exists: false }] }, inherited)).toBe(true);
  });

  it("matches nothing but absence against an event that is not an object", () => {
    const pattern = { source: ["aws.ec2"] };

    expect(matchesEventPattern(pattern, null)).toBe(false);
    expect(matchesEventPattern(pattern, "aws.ec2")).toBe(false);
    expect(matchesEventPattern({ source: [{ exists: false }] }, null)).toBe(true);
  });
});

describe("null values and empty strings (Guide: Matching null values and empty strings)", () => {
  it('matches an empty string with [""]', () => {
    expect(matchesEventPattern({ detail: { eventVersion: [""] } }, autoScalingEvent)).toBe(true);
  });

  it("matches null with [null]", () => {
    expect(matchesEventPattern({ detail: { responseElements: [null] } }, autoScalingEvent)).toBe(true);
  });

  it("does not treat null and the empty string as interchangeable", () => {
    // Guide: "Null values and empty strings are not interchangeable in pattern matching."
    expect(matchesEventPattern({ detail: { responseElements: [""] } }, autoScalingEvent)).toBe(false);
    expect(matchesEventPattern({ detail: { eventVersion: [null] } }, autoScalingEvent)).toBe(false);
  });

  it('does not match null against a missing field or the string "null" (operators table: UserID is null)', () => {
    const pattern = { UserID: [null] };

    expect(matchesEventPattern(pattern, { UserID: null })).toBe(true);
    expect(matchesEventPattern(pattern, {})).toBe(false);
    expect(matchesEventPattern(pattern, { UserID: "null" })).toBe(false);
  });
});

describe("arrays in events (Guide: Arrays in Amazon EventBridge event patterns)", () => {
  // Guide: "If the value in the event is an array, then the event pattern matches if the intersection of
  // the event pattern array and the event array is non-empty."
  const pattern = {
    resources: [
      "arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f",
      "arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f",
      "arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f",
    ],
  };

  it("matches when the first pattern value is the second event value", () => {
    const event = {
      resources: [
        "arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b-bbf0-401d-b893-d5978ed4a025:autoScalingGroupName/ASGTerminate",
        "arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f",
      ],
    };

    expect(matchesEventPattern(pattern, event)).toBe(true);
  });

  it("does not match when the intersection is empty, or the array is", () => {
    const event = {
      resources: [
        "arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b-bbf0-401d-b893-d5978ed4a025:autoScalingGroupName/ASGTerminate",
      ],
    };

    expect(matchesEventPattern(pattern, event)).toBe(false);
    expect(matchesEventPattern(pattern, { resources: [] })).toBe(false);
  });

  it("applies operators to each element too", () => {
    const pattern = { detail: { sizes: [{ numeric: [">", 10] }] } };

    expect(matchesEventPattern(pattern, { detail: { sizes: [1, 2, 30] } })).toBe(true);
    expect(matchesEventPattern(pattern, { detail: { sizes: [1, 2, 3] } })).toBe(false);
  });

  it("matches a nested pattern against one array element as a whole (aws/event-ruler, JSON Array Matching)", () => {
    // EventBridge's engine refuses matches that combine fields from different elements of one array.
    const event = {
      employees: [
        { firstName: "John", lastName: "Doe" },
        { firstName: "Anna", lastName: "Smith" },
        { firstName: "Peter", lastName: "Jones" },
      ],
    };

    expect(matchesEventPattern({ employees: { firstName: ["Anna"] } }, event)).toBe(true);
    expect(matchesEventPattern({ employees: { firstName: ["Anna"], lastName: ["Smith"] } }, event)).toBe(
      true,
    );
    expect(matchesEventPattern({ employees: { firstName: ["Anna"], lastName: ["Jones"] } }, event)).toBe(
      false,
    );
  });
});

describe("prefix (Guide: content filtering, Prefix matching)", () => {
  // Guide: matches any event where "time" started with "2017-10-02" such as "time": "2017-10-02T18:43:48Z".
  const pattern = { time: [{ prefix: "2017-10-02" }] };

  it("matches a string that starts with the prefix", () => {
    expect(matchesEventPattern(pattern, { time: "2017-10-02T18:43:48Z" })).toBe(true);
  });

  it("does not match another start, a different case, or a non-string", () => {
    expect(matchesEventPattern(pattern, ec2TerminatedEvent)).toBe(false);
    expect(matchesEventPattern({ Region: [{ prefix: "us-" }] }, { Region: "US-east-1" })).toBe(false);
    expect(matchesEventPattern({ code: [{ prefix: "20" }] }, { code: 2017 })).toBe(false);
  });

  it("matches regardless of case with equals-ignore-case", () => {
    // Guide: matches any event where "service" starts with "EventB", "EVENTB", "eventb" or any other casing.
    const ignoringCase = compileEventPattern({
      detail: { service: [{ prefix: { "equals-ignore-case": "EventB" } }] },
    });

    expect(ignoringCase({ detail: { service: "EventBridge" } })).toBe(true);
    expect(ignoringCase({ detail: { service: "EVENTBRIDGE" } })).toBe(true);
    expect(ignoringCase({ detail: { service: "eventbridge" } })).toBe(true);
    expect(ignoringCase({ detail: { service: "Amazon EventBridge" } })).toBe(false);
  });
});

describe("suffix (Guide: content filtering, Suffix matching)", () => {
  // Guide: matches any event where "FileName" ends with the .png file extension.
  const pattern = { FileName: [{ suffix: ".png" }] };

  it("matches a string that ends with the suffix", () => {
    expect(matchesEventPattern(pattern, { FileName: "photo.png" })).toBe(true);
  });

  it("does not match another ending or a different case", () => {
    expect(matchesEventPattern(pattern, { FileName: "photo.png.txt" })).toBe(false);
    expect(matchesEventPattern(pattern, { FileName: "photo.PNG" })).toBe(false);
  });

  it("matches regardless of case with equals-ignore-case", () => {
    // Guide: matches ".png" and also ".PNG" or any other capitalisation of those characters.
    const ignoringCase = compileEventPattern({
      detail: { FileName: [{ suffix: { "equals-ignore-case": ".png" } }] },
    });

    expect(ignoringCase({ detail: { FileName: "photo.PNG" } })).toBe(true);
    expect(ignoringCase({ detail: { FileName: "photo.Png" } })).toBe(true);
    expect(ignoringCase({ detail: { FileName: "photo.jpg" } })).toBe(false);
  });
});

describe("equals-ignore-case (Guide: operators table, Equals (ignore case))", () => {
  const pattern = { Name: [{ "equals-ignore-case": "alice" }] };

  it("matches the same string in any casing", () => {
    expect(matchesEventPattern(pattern, { Name: "Alice" })).toBe(true);
    expect(matchesEventPattern(pattern, { Name: "ALICE" })).toBe(true);
  });

  it("does not match a different string", () => {
    expect(matchesEventPattern(pattern, { Name: "Alicia" })).toBe(false);
    expect(matchesEventPattern(pattern, { Name: "alice " })).toBe(false);
  });
});

describe("anything-but (Guide: content filtering, Anything-but matching)", () => {
  it("excludes a single string", () => {
    const pattern = { detail: { state: [{ "anything-but": "initializing" }] } };

    expect(matchesEventPattern(pattern, ec2PendingEvent)).toBe(true);
    expect(matchesEventPattern(pattern, { detail: { state: "initializing" } })).toBe(false);
  });

  it("excludes a single number", () => {
    const pattern = { detail: { "x-limit": [{ "anything-but": 123 }] } };

    expect(matchesEventPattern(pattern, { detail: { "x-limit": 124 } })).toBe(true);
    expect(matchesEventPattern(pattern, { detail: { "x-limit": 123 } })).toBe(false);
  });

  it("excludes a list of strings", () => {
    const pattern = { detail: { state: [{ "anything-but": ["stopped", "overloaded"] }] } };

    expect(matchesEventPattern(pattern, ec2PendingEvent)).toBe(true);
    expect(matchesEventPattern(pattern, withDetail(ec2PendingEvent, { state: "stopped" }))).toBe(false);
    expect(matchesEventPattern(pattern, withDetail(ec2PendingEvent, { state: "overloaded" }))).toBe(false);
  });

  it("excludes a list of numbers", () => {
    const pattern = { detail: { "x-limit": [{ "anything-but": [100, 200, 300] }] } };

    expect(matchesEventPattern(pattern, { detail: { "x-limit": 301.8 } })).toBe(true);
    expect(matchesEventPattern(pattern, { detail: { "x-limit": 200 } })).toBe(false);
  });

  it("excludes a prefix", () => {
    // Guide: matches any event that doesn't have the prefix "init" in the "state" field.
    const pattern = { detail: { state: [{ "anything-but": { prefix: "init" } }] } };

    expect(matchesEventPattern(pattern, ec2PendingEvent)).toBe(true);
    expect(matchesEventPattern(pattern, withDetail(ec2PendingEvent, { state: "initializing" }))).toBe(false);
  });

  it("excludes a suffix (operators table: FileName does not end with a .png extension)", () => {
    const pattern = { FileName: [{ "anything-but": { suffix: ".png" } }] };

    expect(matchesEventPattern(pattern, { FileName: "notes.txt" })).toBe(true);
    expect(matchesEventPattern(pattern, { FileName: "photo.png" })).toBe(false);
  });

  it('excludes any casing with equals-ignore-case (operators table: State is any value besides "initializing")', () => {
    // The table's rule syntax has a stray ": :"; this is the pattern it describes.
    const pattern = { state: [{ "anything-but": { "equals-ignore-case": "initializing" } }] };

    expect(matchesEventPattern(pattern, { state: "running" })).toBe(true);
    expect(matchesEventPattern(pattern, { state: "INITIALIZING" })).toBe(false);
    expect(matchesEventPattern(pattern, { state: "Initializing" })).toBe(false);
  });

  it("excludes any of a list with equals-ignore-case", () => {
    const pattern = { state: [{ "anything-but": { "equals-ignore-case": ["initializing", "stopped"] } }] };

    expect(matchesEventPattern(pattern, { state: "running" })).toBe(true);
    expect(matchesEventPattern(pattern, { state: "STOPPED" })).toBe(false);
  });

  it("excludes a wildcard (operators table: FileName is not a file path that includes /lib/)", () => {
    const pattern = { FilePath: [{ "anything-but": { wildcard: "*/lib/*" } }] };

    expect(matchesEventPattern(pattern, { FilePath: "/usr/bin/tool" })).toBe(true);
    expect(matchesEventPattern(pattern, { FilePath: "/usr/lib/tool" })).toBe(false);
  });

  it("like the string operators it negates, a nested form only matches strings", () => {
    const pattern = { FileName: [{ "anything-but": { suffix: ".png" } }] };

    expect(matchesEventPattern(pattern, { FileName: 42 })).toBe(false);
    expect(matchesEventPattern(pattern, { FileName: null })).toBe(false);
  });

  it("a plain value or list excludes only those values: other types still match", () => {
    expect(matchesEventPattern({ code: [{ "anything-but": ["404"] }] }, { code: 404 })).toBe(true);
    expect(matchesEventPattern({ code: [{ "anything-but": [404] }] }, { code: 404 })).toBe(false);
  });

  it("does not match a missing field", () => {
    const pattern = { detail: { state: [{ "anything-but": "initializing" }] } };

    expect(matchesEventPattern(pattern, { detail: {} })).toBe(false);
    expect(matchesEventPattern(pattern, {})).toBe(false);
  });

  it("matches an event array if any element is not excluded", () => {
    const pattern = { detail: { state: [{ "anything-but": "initializing" }] } };

    expect(matchesEventPattern(pattern, { detail: { state: ["initializing", "running"] } })).toBe(true);
    expect(matchesEventPattern(pattern, { detail: { state: ["initializing"] } })).toBe(false);
  });

  it("excludes an exact AWS source (Guide: Anything-but Matching Example)", () => {
    const pattern = { "detail-type": [{ "anything-but": "AWS API Call via CloudTrail" }] };

    expect(matchesEventPattern(pattern, ec2TerminatedEvent)).toBe(true);
    expect(matchesEventPattern(pattern, { "detail-type": "AWS API Call via CloudTrail" })).toBe(false);
  });
});

describe("numeric (Guide: content filtering, Numeric matching)", () => {
  // Guide: "an event pattern that only matches events that are true for all fields".
  const pattern = {
    detail: {
      "c-count": [{ numeric: [">", 0, "<=", 5] }],
      "d-count": [{ numeric: ["<", 10] }],
      "x-limit": [{ numeric: ["=", 3.018e2] }],
    },
  };
  // Built for the pattern: the guide gives no event for it.
  const event = { detail: { "c-count": 5, "d-count": 3, "x-limit": 301.8 } };

  it("matches when every comparison holds", () => {
    expect(matchesEventPattern(pattern, event)).toBe(true);
  });

  it("does not match when any comparison fails", () => {
    expect(matchesEventPattern(pattern, withDetail(event, { "c-count": 0 }))).toBe(false);
    expect(matchesEventPattern(pattern, withDetail(event, { "c-count": 5.000001 }))).toBe(false);
    expect(matchesEventPattern(pattern, withDetail(event, { "d-count": 10 }))).toBe(false);
    expect(matchesEventPattern(pattern, withDetail(event, { "x-limit": 301.9 }))).toBe(false);
  });

  it("includes and excludes range ends as the operators say", () => {
    const range = compileEventPattern({ Price: [{ numeric: [">", 10, "<=", 20] }] });

    expect(range({ Price: 10 })).toBe(false);
    expect(range({ Price: 10.5 })).toBe(true);
    expect(range({ Price: 20 })).toBe(true);
    expect(range({ Price: 20.5 })).toBe(false);
    expect(matchesEventPattern({ Price: [{ numeric: [">=", 10, "<", 20] }] }, { Price: 10 })).toBe(true);
    expect(matchesEventPattern({ Price: [{ numeric: [">=", 10, "<", 20] }] }, { Price: 20 })).toBe(false);
  });

  it("matches numeric equality (operators table: Price is 100)", () => {
    const equals = compileEventPattern({ Price: [{ numeric: ["=", 100] }] });

    expect(equals({ Price: 100 })).toBe(true);
    expect(equals({ Price: 100.5 })).toBe(false);
  });

  it("only matches JSON numbers, never numeric strings or missing fields", () => {
    expect(matchesEventPattern(pattern, withDetail(event, { "c-count": "5" }))).toBe(false);
    expect(matchesEventPattern({ Price: [{ numeric: [">", 0] }] }, { Price: true })).toBe(false);
    expect(matchesEventPattern({ Price: [{ numeric: [">", 0] }] }, {})).toBe(false);
  });
});

describe("exists (Guide: content filtering, Exists matching)", () => {
  const hasState = { detail: { state: [{ exists: true }] } };
  const noCCount = { detail: { "c-count": [{ exists: false }] } };

  it("exists: true matches the documented event that has detail.state", () => {
    // Guide: "The preceding event pattern matches the following event."
    const event = {
      version: "0",
      id: "7bf73129-1428-4cd3-a780-95db273d1602",
      "detail-type": "EC2 Instance State-change Notification",
      source: "aws.ec2",
      account: "123456789012",
      time: "2015-11-11T21:29:54Z",
      region: "us-east-1",
      resources: ["arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111"],
      detail: {
        "instance-id": "i-abcd1111",
        state: "pending",
      },
    };

    expect(matchesEventPattern(hasState, event)).toBe(true);
  });

  it("exists: true does not match the documented event without detail.state", () => {
    // Guide: "does NOT match the following event because it doesn't have a detail.state field".
    const event = {
      "detail-type": ["EC2 Instance State-change Notification"],
      resources: ["arn:aws:ec2:us-east-1:123456789012:instance/i-02ebd4584a2ebd341"],
      detail: {
        "c-count": {
          c1: 100,
        },
      },
    };

    expect(matchesEventPattern(hasState, event)).toBe(false);
  });

  it("exists: true matches any present leaf, null included", () => {
    expect(matchesEventPattern(hasState, { detail: { state: null } })).toBe(true);
    expect(matchesEventPattern(hasState, { detail: { state: ["a"] } })).toBe(true);
    expect(matchesEventPattern(hasState, { detail: { state: [] } })).toBe(false);
  });

  it("exists: false matches the documented event without detail.c-count", () => {
    const event = {
      "detail-type": ["EC2 Instance State-change Notification"],
      resources: ["arn:aws:ec2:us-east-1:123456789012:instance/i-02ebd4584a2ebd341"],
      detail: {
        state: ["initializing", "running"],
      },
    };

    expect(matchesEventPattern(noCCount, event)).toBe(true);
  });

  it("exists: false also matches when c-count is an object, because it is not a leaf", () => {
    // Guide: "also matches the following event because c-count isn't a leaf node" (the guide's JSON
    // misses the comma after "running" ]; added here).
    const event = {
      "detail-type": ["EC2 Instance State-change Notification"],
      resources: ["arn:aws:ec2:us-east-1:123456789012:instance/i-02ebd4584a2ebd341"],
      detail: {
        state: ["initializing", "running"],
        "c-count": {
          c1: 100,
        },
      },
    };

    expect(matchesEventPattern(noCCount, event)).toBe(true);
  });

  it("exists: false does not match a present leaf", () => {
    expect(matchesEventPattern(noCCount, { detail: { "c-count": 5 } })).toBe(false);
    expect(matchesEventPattern(noCCount, { detail: { "c-count": null } })).toBe(false);
  });

  it("exists: false matches when the parent object is missing altogether", () => {
    expect(matchesEventPattern(noCCount, { source: "aws.ec2" })).toBe(true);
  });

  it("combines with values: present and listed, or missing", () => {
    const pattern = { detail: { priority: ["high", { exists: false }] } };

    expect(matchesEventPattern(pattern, { detail: { priority: "high" } })).toBe(true);
    expect(matchesEventPattern(pattern, { detail: {} })).toBe(true);
    expect(matchesEventPattern(pattern, { detail: { priority: "low" } })).toBe(false);
  });
});

describe("wildcard (Guide: operators table, Wildcard)", () => {
  // Operators table: "Any file with a .png extension, located within the folder "dir"".
  const pattern = { FileName: [{ wildcard: "dir/*.png" }] };

  it("matches any run of characters, including none and including /", () => {
    expect(matchesEventPattern(pattern, { FileName: "dir/tree.png" })).toBe(true);
    expect(matchesEventPattern(pattern, { FileName: "dir/.png" })).toBe(true);
    expect(matchesEventPattern(pattern, { FileName: "dir/sub/tree.png" })).toBe(true);
  });

  it("is anchored at both ends and case-sensitive", () => {
    expect(matchesEventPattern(pattern, { FileName: "other/dir/tree.png" })).toBe(false);
    expect(matchesEventPattern(pattern, { FileName: "dir/tree.png.bak" })).toBe(false);
    expect(matchesEventPattern(pattern, { FileName: "dir/tree.PNG" })).toBe(false);
  });

  it("supports several stars, matched in order without overlapping", () => {
    const several = compileEventPattern({ path: [{ wildcard: "*/lib/*.so*" }] });

    expect(several({ path: "/usr/lib/libc.so.6" })).toBe(true);
    expect(several({ path: "/usr/lib/" })).toBe(false);
    expect(matchesEventPattern({ word: [{ wildcard: "ab*ba" }] }, { word: "aba" })).toBe(false);
    expect(matchesEventPattern({ word: [{ wildcard: "ab*ba" }] }, { word: "abba" })).toBe(true);
    expect(matchesEventPattern({ word: [{ wildcard: "a*b*b" }] }, { word: "axb" })).toBe(false);
    expect(matchesEventPattern({ word: [{ wildcard: "a*b*b" }] }, { word: "axbb" })).toBe(true);
  });

  it("treats \\* as a literal star and \\\\ as a literal backslash", () => {
    expect(matchesEventPattern({ note: [{ wildcard: "a\\*b" }] }, { note: "a*b" })).toBe(true);
    expect(matchesEventPattern({ note: [{ wildcard: "a\\*b" }] }, { note: "aXb" })).toBe(false);
    expect(matchesEventPattern({ note: [{ wildcard: "C:\\\\*" }] }, { note: "C:\\temp" })).toBe(true);
  });

  it("only matches strings", () => {
    expect(matchesEventPattern({ n: [{ wildcard: "1*" }] }, { n: 12 })).toBe(false);
  });
});

describe("$or (Guide: operators table, Or (multiple fields))", () => {
  it('matches when either alternative matches (Location is "New York", or Day is "Monday")', () => {
    const pattern = { $or: [{ Location: ["New York"] }, { Day: ["Monday"] }] };

    expect(matchesEventPattern(pattern, { Location: "New York", Day: "Friday" })).toBe(true);
    expect(matchesEventPattern(pattern, { Location: "Leeds", Day: "Monday" })).toBe(true);
    expect(matchesEventPattern(pattern, { Location: "Leeds", Day: "Friday" })).toBe(false);
  });

  it("is ANDed with the other fields at its level", () => {
    // And (operators table): Location is "New York" and Day is "Monday".
    const and = { Location: ["New York"], Day: ["Monday"] };
    const andOr = { source: ["aws.cloudwatch"], $or: [{ Location: ["New York"] }, { Day: ["Monday"] }] };

    expect(matchesEventPattern(and, { Location: "New York", Day: "Monday" })).toBe(true);
    expect(matchesEventPattern(and, { Location: "New York", Day: "Friday" })).toBe(false);
    expect(matchesEventPattern(andOr, { source: "aws.cloudwatch", Day: "Monday" })).toBe(true);
    expect(matchesEventPattern(andOr, { source: "aws.ec2", Day: "Monday" })).toBe(false);
  });

  it("works inside a nested object: EC2 state running or terminated", () => {
    // After the AWS User Notifications sample "Amazon EC2 instance state change notification using $or
    // matching", which matches running or terminated state changes.
    const pattern = { detail: { $or: [{ state: ["running"] }, { state: ["terminated"] }] } };

    expect(matchesEventPattern(pattern, ec2TerminatedEvent)).toBe(true);
    expect(matchesEventPattern(pattern, withDetail(ec2PendingEvent, { state: "running" }))).toBe(true);
    expect(matchesEventPattern(pattern, ec2PendingEvent)).toBe(false);
  });

  it('nests $or inside an alternative (aws/event-ruler README, Nested "Or" and "And")', () => {
    // Effect: source && (metricName || (metricType && namespace && (metricId || spaceId)) || scope).
    const pattern = {
      source: ["aws.cloudwatch"],
      $or: [
        { metricName: ["CPUUtilization", "ReadLatency"] },
        {
          metricType: ["MetricType"],
          namespace: ["AWS/EC2", "AWS/ES"],
          $or: [{ metricId: [1234] }, { spaceId: [1000] }],
        },
        { scope: ["Service"] },
      ],
    };
    const nestedBranch = { source: "aws.cloudwatch", metricType: "MetricType", namespace: "AWS/ES" };

    expect(matchesEventPattern(pattern, { ...nestedBranch, spaceId: 1000 })).toBe(true);
    expect(matchesEventPattern(pattern, { ...nestedBranch, spaceId: 999 })).toBe(false);
    expect(matchesEventPattern(pattern, { source: "aws.cloudwatch", scope: "Service" })).toBe(true);
    expect(matchesEventPattern(pattern, { source: "aws.ec2", scope: "Service" })).toBe(false);
  });
});

describe("a complex pattern (Guide: content filtering, Complex example with multiple matching)", () => {
  const pattern = {
    time: [{ prefix: "2017-10-02" }],
    detail: {
      state: [{ "anything-but": "initializing" }],
      "c-count": [{ numeric: [">", 0, "<=", 5] }],
      "d-count": [{ numeric: ["<", 10] }],
      "x-limit": [{ "anything-but": [100, 200, 300] }],
    },
  };
  // Built for the pattern: the guide gives no event for it.
  const event = {
    "detail-type": "EC2 Instance State-change Notification",
    source: "aws.ec2",
    time: "2017-10-02T16:24:49Z",
    detail: { "c-count": 5, "d-count": 3, "x-limit": 301.8, state: "running" },
  };

  it("matches when every condition holds", () => {
    expect(matchesEventPattern(pattern, event)).toBe(true);
  });

  it("fails on any one condition", () => {
    expect(matchesEventPattern(pattern, { ...event, time: "2017-10-03T16:24:49Z" })).toBe(false);
    expect(matchesEventPattern(pattern, withDetail(event, { state: "initializing" }))).toBe(false);
    expect(matchesEventPattern(pattern, withDetail(event, { "x-limit": 300 }))).toBe(false);
    expect(matchesEventPattern(pattern, withDetail(event, { "d-count": 11 }))).toBe(false);
  });
});

describe("compilation", () => {
  it("compiles once: later changes to the pattern object do not change the matcher", () => {
    const pattern = { detail: { state: ["terminated"] } };
    const terminations = compileEventPattern(pattern);

    pattern.detail.state = ["pending"];

    expect(terminations(ec2TerminatedEvent)).toBe(true);
    expect(terminations(ec2PendingEvent)).toBe(false);
  });

  it("reports errors as UnsupportedEventPatternError naming the operator and its JSON path", () => {
    const error = compileError({ detail: { sourceIPAddress: [{ cidr: "10.0.0.0/24" }] } });

    expect(error).toBeInstanceOf(UnsupportedEventPatternError);
    expect(error.name).toBe("UnsupportedEventPatternError");
    expect(error.operator).toBe("cidr");
    expect(error.path).toBe("$.detail.sourceIPAddress[0].cidr");
    expect(error.message).toContain('"cidr" at $.detail.sourceIPAddress[0].cidr');
  });

  it("validates every branch up front, even one an event would never reach", () => {
    const error = compileError({
      $or: [{ source: ["aws.ec2"] }, { detail: { ip: [{ cidr: "10.0.0.0/8" }] } }],
    });

    expect(error.path).toBe("$.$or[1].detail.ip[0].cidr");
  });

  // [what is wrong, pattern, operator named, JSON path]
  const rejected: readonly (readonly [string, unknown, string, string])[] = [
    ["a pattern that is not an object", [], "pattern", "$"],
    ["an empty pattern", {}, "field", "$"],
    ["an empty nested object", { detail: {} }, "field", "$.detail"],
    ["a field value that is not an array", { source: "aws.ec2" }, "field", "$.source"],
    ["a null field value", { detail: { state: null } }, "field", "$.detail.state"],
    ["an empty list of values", { source: [] }, "field", "$.source"],
    ["an array inside the list of values", { source: [["aws.ec2"]] }, "field", "$.source[0]"],
    ["an unknown operator", { type: [{ contains: "Normal" }] }, "contains", "$.type[0].contains"],
    ["cidr (not implemented)", { ip: [{ cidr: "10.0.0.0/24" }] }, "cidr", "$.ip[0].cidr"],
    ["an operator object with two keys", { f: [{ prefix: "a", suffix: "b" }] }, "prefix, suffix", "$.f[0]"],
    ["an empty operator object", { f: [{}] }, "{}", "$.f[0]"],
    ["a non-string prefix", { time: [{ prefix: 2017 }] }, "prefix", "$.time[0].prefix"],
    [
      "prefix qualified by other than equals-ignore-case",
      { s: [{ prefix: { wildcard: "e*" } }] },
      "prefix",
      "$.s[0].prefix.wildcard",
    ],
    [
      "a non-string equals-ignore-case inside suffix",
      { s: [{ suffix: { "equals-ignore-case": 1 } }] },
      "suffix.equals-ignore-case",
      '$.s[0].suffix["equals-ignore-case"]',
    ],
    [
      "a list for equals-ignore-case",
      { Name: [{ "equals-ignore-case": ["alice"] }] },
      "equals-ignore-case",
      '$.Name[0]["equals-ignore-case"]',
    ],
    ["numeric that is not an array", { n: [{ numeric: 5 }] }, "numeric", "$.n[0].numeric"],
    ["numeric with a missing operand", { n: [{ numeric: [">", 0, "<="] }] }, "numeric", "$.n[0].numeric"],
    ["numeric with an unknown comparison", { n: [{ numeric: ["=>", 5] }] }, "numeric", "$.n[0].numeric[0]"],
    ["numeric with a string operand", { n: [{ numeric: [">", "0"] }] }, "numeric", "$.n[0].numeric[1]"],
    [
      "numeric range not starting with > or >=",
      { n: [{ numeric: ["=", 0, "<", 5] }] },
      "numeric",
      "$.n[0].numeric[0]",
    ],
    [
      "numeric range with two lower bounds",
      { n: [{ numeric: [">", 0, ">", 5] }] },
      "numeric",
      "$.n[0].numeric[2]",
    ],
    [
      "numeric range with bounds reversed",
      { n: [{ numeric: [">", 5, "<=", 0] }] },
      "numeric",
      "$.n[0].numeric",
    ],
    ["exists that is not a boolean", { f: [{ exists: "true" }] }, "exists", "$.f[0].exists"],
    [
      "anything-but with an empty list",
      { f: [{ "anything-but": [] }] },
      "anything-but",
      '$.f[0]["anything-but"]',
    ],
    [
      "anything-but with a mixed list",
      { f: [{ "anything-but": ["a", 1] }] },
      "anything-but",
      '$.f[0]["anything-but"]',
    ],
    [
      "anything-but with a boolean",
      { f: [{ "anything-but": true }] },
      "anything-but",
      '$.f[0]["anything-but"]',
    ],
    ["anything-but with null", { f: [{ "anything-but": null }] }, "anything-but", '$.f[0]["anything-but"]'],
    [
      "anything-but nesting numeric",
      { f: [{ "anything-but": { numeric: [">", 0] } }] },
      "anything-but.numeric",
      '$.f[0]["anything-but"].numeric',
    ],
    [
      "anything-but with a list of prefixes",
      { f: [{ "anything-but": { prefix: ["us-", "eu-"] } }] },
      "anything-but.prefix",
      '$.f[0]["anything-but"].prefix',
    ],
    ["a non-string wildcard", { f: [{ wildcard: ["dir/*"] }] }, "wildcard", "$.f[0].wildcard"],
    ["consecutive wildcard characters", { f: [{ wildcard: "dir/**.png" }] }, "wildcard", "$.f[0].wildcard"],
    [
      "a backslash escaping an ordinary character",
      { f: [{ wildcard: "dir\\.png" }] },
      "wildcard",
      "$.f[0].wildcard",
    ],
    ["a trailing backslash in a wildcard", { f: [{ wildcard: "dir\\" }] }, "wildcard", "$.f[0].wildcard"],
    ["$or that is not an array", { $or: { a: ["b"] } }, "$or", "$.$or"],
    ["$or with one alternative", { $or: [{ a: ["b"] }] }, "$or", "$.$or"],
    ["$or with a non-object alternative", { $or: [{ a: ["b"] }, "c"] }, "$or", "$.$or[1]"],
    ["$or with an empty alternative", { $or: [{ a: ["b"] }, {}] }, "field", "$.$or[1]"],
  ];

  it.each(rejected)("rejects %s", (_, pattern, operator, path) => {
    const error = compileError(pattern as EventPattern);

    expect({ operator: error.operator, path: error.path }).toEqual({ operator, path });
    expect(error.message).toContain(`"${operator}" at ${path}`);
  });
});
