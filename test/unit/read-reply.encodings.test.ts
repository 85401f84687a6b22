import { describe, expect, it } from "vitest";
import { readChoice } from "#inbound/read-choice.ts";
import { readReply, type Reply } from "#inbound/read-reply.ts";

// Replies as mail clients encode them, read through the whole reader: the charset and
// transfer encoding of each part, format=flowed, and HTML-only replies. The same code runs on
// Lambda (Node 24) and locally (Node 20), whose TextDecoder reads windows-1252 as Latin-1.

const headers = [
  "From: Member <member@example.org>",
  "To: ballot+tok@reply.convene.test",
  "Message-ID: <reply@example.org>",
  "MIME-Version: 1.0",
];

/** A raw mail: header lines, a blank line, then the body (strings are CRLF lines, Buffers raw bytes). */
const mail = (extraHeaders: string[], ...body: (string | Buffer)[]) =>
  Buffer.concat([
    Buffer.from(`${[...headers, ...extraHeaders].join("\r\n")}\r\n\r\n`, "latin1"),
    ...body.map((line) => (typeof line === "string" ? Buffer.from(`${line}\r\n`, "latin1") : line)),
  ]);

async function readOk(raw: Buffer): Promise<Reply> {
  const reading = await readReply(raw);
  if (reading.kind !== "reply") throw new Error(`expected a reply, got ${reading.kind}`);
  return reading;
}

const proposal = { kind: "proposal" } as const;

describe("windows-1252 and its Latin-1 labels", () => {
  it("reads Outlook's smart quotes in quoted-printable", async () => {
    const reply = await readOk(
      mail(
        ["Content-Type: text/plain; charset=windows-1252", "Content-Transfer-Encoding: quoted-printable"],
        "=93Yes=94 =96 count me in",
      ),
    );
    expect(reply.typedText).toBe("\u201cYes\u201d \u2013 count me in");
    expect(readChoice(reply.typedText, proposal)).toEqual({ kind: "choice", value: "yes" });
  });

  it("reads windows-1252 bytes under an ISO-8859-1 label as WHATWG and mail clients do", async () => {
    const reply = await readOk(
      mail(["Content-Type: text/plain; charset=iso-8859-1"], Buffer.from("I\x92ll abstain\r\n", "latin1")),
    );
    expect(reply.typedText).toBe("I\u2019ll abstain");
    expect(readChoice(reply.typedText, proposal)).toEqual({ kind: "choice", value: "abstain" });
  });

  it("decodes a windows-1252 encoded-word subject", async () => {
    const reply = await readOk(
      mail(["Subject: =?windows-1252?Q?Re:_=93Caf=E9=94_=96_vote?=", "Content-Type: text/plain"], "Yes"),
    );
    expect(reply.subject).toBe("Re: \u201cCafé\u201d \u2013 vote");
  });
});

describe("other charsets and transfer encodings", () => {
  it("reads an ISO-2022-JP reply, the usual Japanese mail charset", async () => {
    // 大阪 in ISO-2022-JP: ESC $ B, then the JIS X 0208 bytes, then ESC ( B.
    const reply = await readOk(
      mail(
        ["Content-Type: text/plain; charset=ISO-2022-JP", "Content-Transfer-Encoding: 7bit"],
        Buffer.from("1b244242673a651b28420d0a", "hex"),
      ),
    );
    expect(readChoice(reply.typedText, { kind: "choice", options: ["東京", "大阪"] })).toEqual({
      kind: "choice",
      value: "大阪",
    });
  });

  it("joins an option name that quoted-printable broke with a soft line break", async () => {
    const reply = await readOk(
      mail(
        ["Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: quoted-printable"],
        "The library on the high str=",
        "eet, please",
      ),
    );
    expect(reply.typedText).toBe("The library on the high street, please");
  });
});

describe("format=flowed", () => {
  it("keeps the member's flowed line apart from the flowed quote below it (Apple Mail)", async () => {
    const reply = await readOk(
      mail(
        ['Content-Type: multipart/alternative; boundary="apple"'],
        "--apple",
        "Content-Type: text/plain; charset=utf-8; format=flowed; delsp=yes",
        "Content-Transfer-Encoding: quoted-printable",
        "",
        // Flowed lines end in a space, which quoted-printable must write as =20.
        "Yes=20",
        "> Reply YES or NO to this email before Friday to=20",
        "> vote",
        "--apple",
        "Content-Type: text/html; charset=utf-8",
        "",
        "<div>No</div>",
        "--apple--",
      ),
    );
    expect(reply.typedText).toBe("Yes");
    expect(readChoice(reply.typedText, proposal)).toEqual({ kind: "choice", value: "yes" });
  });

  it("unwraps the member's own long line", async () => {
    const reply = await readOk(
      mail(
        ["Content-Type: text/plain; charset=us-ascii; format=flowed"],
        "Option 2, the one that ",
        "meets on Tuesdays",
      ),
    );
    expect(reply.typedText).toBe("Option 2, the one that meets on Tuesdays");
  });
});

describe("HTML-only replies", () => {
  it("reads a base64 windows-1252 HTML part with entities and a quoted ballot", async () => {
    const html = Buffer.from(
      "<html><head><style>p{}</style></head><body><p>\x93Caf&eacute; Nero\x94&nbsp;please</p>" +
        "<div>On Mon, Convene &lt;vote@convene.test&gt; wrote:</div><blockquote>Reply 1 or 2</blockquote></body></html>",
      "latin1",
    );
    const reply = await readOk(
      mail(
        ["Content-Type: text/html; charset=windows-1252", "Content-Transfer-Encoding: base64"],
        html.toString("base64"),
      ),
    );
    expect(reply.typedText).toBe("\u201cCafé Nero\u201d please");
  });
});
