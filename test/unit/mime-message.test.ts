import { describe, expect, it } from "vitest";
import {
  decodeEncodedWords,
  fieldValue,
  readMimeMessage,
  structuredValue,
  type MimeMessage,
} from "#inbound/mime-message.ts";

const read = (...lines: (string | Buffer)[]): MimeMessage => {
  const raw = Buffer.concat(
    lines.map((line) => (typeof line === "string" ? Buffer.from(`${line}\r\n`, "latin1") : line)),
  );
  const message = readMimeMessage(raw);
  if (message === null) throw new Error("expected a message");
  return message;
};

describe("header fields", () => {
  it("are unfolded, named in lower case, in order, duplicates kept", () => {
    const { fields } = read("Subject: a long", "\tsubject", "To: a@x.org", "TO: b@x.org", "", "body");
    expect(fields).toEqual([
      { name: "subject", value: "a long\tsubject" },
      { name: "to", value: "a@x.org" },
      { name: "to", value: "b@x.org" },
    ]);
    expect(fieldValue(fields, "to")).toBe("a@x.org");
  });

  it("read 8-bit bytes as UTF-8 (RFC 6532), a final à (C3 A0) included", () => {
    const { fields } = read(Buffer.from("Subject: Réponse automatique: voilà\r\n\r\n", "utf8"));
    expect(fieldValue(fields, "subject")).toBe("Réponse automatique: voilà");
  });

  it("are none in text without a header section, which is no message", () => {
    expect(readMimeMessage(Buffer.from("Yes, I vote yes\r\n"))).toBeNull();
    expect(readMimeMessage(Buffer.from("\r\nYes\r\n"))).toBeNull();
    expect(readMimeMessage(Buffer.alloc(0))).toBeNull();
  });
});

describe("the text of the body", () => {
  it("is the whole body of a mail without a Content-Type, with LF line ends too", () => {
    expect(readMimeMessage(Buffer.from("From: a@x.org\n\nYes\n"))).toMatchObject({
      text: "Yes\n",
      html: null,
    });
  });

  it("undoes quoted-printable: soft line breaks, =XX bytes, trailing transport whitespace", () => {
    const message = read(
      "Content-Type: text/plain; charset=utf-8",
      "Content-Transfer-Encoding: Quoted-Printable",
      "",
      "Caf=C3=A9 Nero, the one=",
      " on the corner   ",
      "=3D done",
    );
    expect(message.text).toBe("Café Nero, the one on the corner\r\n= done\r\n");
  });

  it("undoes base64 whose every line is padded", () => {
    const message = read("Content-Type: text/plain", "Content-Transfer-Encoding: base64", "", "WWU=", "cw==");
    expect(message.text).toBe("Yes");
  });

  it("undoes base64, across line breaks", () => {
    const message = read(
      "Content-Type: text/plain; charset=utf-8",
      "Content-Transfer-Encoding: base64",
      "",
      "Q2Fm",
      "w6k=",
    );
    expect(message.text).toBe("Café");
  });

  it("unwraps format=flowed, honouring DelSp", () => {
    const message = read('Content-Type: text/plain; format="flowed"; delsp=yes', "", "Abst ", "ain");
    expect(message.text).toBe("Abstain\n");
  });

  it("walks nested multiparts: text parts joined, HTML kept apart, attachments and embedded mail left out", () => {
    const message = read(
      'Content-Type: multipart/mixed; boundary="outer"',
      "",
      "preamble",
      "--outer",
      "Content-Type: multipart/alternative; boundary=inner",
      "",
      "--inner",
      "Content-Type: text/plain",
      "",
      "Yes",
      "--inner",
      "Content-Type: text/html",
      "",
      "<p>Yes</p>",
      "--inner--",
      "--outer",
      "Content-Type: text/plain; name=notes.txt",
      "Content-Disposition: attachment; filename=notes.txt",
      "",
      "an attached file",
      "--outer",
      "Content-Type: message/rfc822",
      "",
      "From: someone@else.org",
      "",
      "a forwarded mail",
      "--outer",
      "Content-Type: text/plain",
      "",
      "Sam",
      "--outer--",
      "epilogue",
    );
    expect(message).toMatchObject({ text: "Yes\nSam", html: "<p>Yes</p>" });
  });

  it("reads the last part of a multipart whose closing delimiter is missing", () => {
    const message = read("Content-Type: multipart/alternative; boundary=b", "", "--b  ", "", "Yes");
    expect(message.text).toBe("Yes\r\n");
  });

  it("does not take a longer boundary that starts with the same characters for a delimiter", () => {
    const message = read(
      "Content-Type: multipart/mixed; boundary=b",
      "",
      "--b",
      "",
      "Yes",
      "--b2",
      "still Yes",
      "--b--",
    );
    expect(message.text).toBe("Yes\r\n--b2\r\nstill Yes");
  });

  it("decodes each part in its own charset", () => {
    const message = read(
      "Content-Type: multipart/mixed; boundary=b",
      "",
      "--b",
      "Content-Type: text/plain; charset=windows-1252",
      "",
      Buffer.from([0x93, 0x59, 0x65, 0x73, 0x94, 0x0d, 0x0a]),
      "--b",
      "Content-Type: text/plain; charset=koi8-r",
      "",
      Buffer.from([0xe4, 0xc1, 0x0d, 0x0a]),
      "--b--",
    );
    expect(message.text).toBe("\u201cYes\u201d\nДа");
  });
});

describe("structured field values", () => {
  it("give the value in lower case and the parameters by name, quoted or not", () => {
    const { value, params } = structuredValue(
      'Text/Plain; Charset="us-ascii" (Plain text); format=flowed; x="a \\"q\\";b"',
    );
    expect(value).toBe("text/plain");
    expect(Object.fromEntries(params)).toEqual({ charset: "us-ascii", format: "flowed", x: 'a "q";b' });
  });

  it("join RFC 2231 continuations and decode extended values", () => {
    const { params } = structuredValue(
      "multipart/mixed; boundary*0=\"ab\"; boundary*1=cd; charset*=utf-8'en'%77indows-1252",
    );
    expect(Object.fromEntries(params)).toEqual({ boundary: "abcd", charset: "windows-1252" });
  });
});

describe("encoded words (RFC 2047)", () => {
  it("decode Q and B words, dropping the whitespace between adjacent words", () => {
    expect(decodeEncodedWords("=?ISO-8859-1?Q?Re:_Caf=E9?= =?UTF-8?B?IG9yIGxpYnJhcnk/?= now")).toBe(
      "Re: Café or library? now",
    );
  });

  it("decode a multibyte character split across two words", () => {
    expect(decodeEncodedWords("=?UTF-8?Q?=C3?=\r\n =?UTF-8?Q?=A9t=C3=A9?=")).toBe("été");
  });

  it("decode windows-1252 the same on every runtime", () => {
    expect(decodeEncodedWords("=?windows-1252?Q?=93Yes=94_=96_of_course?=")).toBe(
      "\u201cYes\u201d \u2013 of course",
    );
  });

  it("leave text that is not an encoded word as it is", () => {
    expect(decodeEncodedWords("Re: =?bad Vote? =?UTF-8?Q?ok?=")).toBe("Re: =?bad Vote? ok");
  });
});
