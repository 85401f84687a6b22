import { describe, expect, it } from "vitest";
import { decodeText, encodingOf } from "#inbound/charset.ts";

const bytes = (hex: string) => Buffer.from(hex.replace(/\s+/g, ""), "hex");

describe("windows-1252, as WHATWG defines it (Node 24; Node 20 got 0x80-0x9F wrong)", () => {
  // WHATWG's index-windows-1252 for 0x80-0x9F (https://encoding.spec.whatwg.org/index-windows-1252.txt).
  const c1 = [
    0x20ac, 0x0081, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152,
    0x008d, 0x017d, 0x008f, 0x0090, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122,
    0x0161, 0x203a, 0x0153, 0x009d, 0x017e, 0x0178,
  ];

  it("maps bytes 0x80-0x9F as WHATWG does (Node 20's TextDecoder reads them as C1 controls)", () => {
    const decoded = decodeText(
      Uint8Array.from(c1.keys(), (i) => 0x80 + i),
      "windows-1252",
    );
    expect([...decoded].map((c) => c.codePointAt(0))).toEqual(c1);
  });

  it("maps every other byte to the code point of the same number", () => {
    const others = Array.from({ length: 256 }, (_, b) => b).filter((b) => b < 0x80 || b > 0x9f);
    const decoded = decodeText(Uint8Array.from(others), "windows-1252");
    expect([...decoded].map((c) => c.codePointAt(0))).toEqual(others);
  });

  it.each(["windows-1252", "WINDOWS-1252", "cp1252", "iso-8859-1", "ISO_8859-1", "latin1", '"iso-8859-1"'])(
    "reads smart quotes, a dash and the euro sign under the label %s",
    (label) => {
      expect(decodeText(bytes("93 59 65 73 94 20 96 20 80 35"), label)).toBe(
        "\u201cYes\u201d \u2013 \u20ac5",
      );
    },
  );
});

describe("labels", () => {
  it.each([
    ["shift-jis", "shift_jis"],
    ["x-sjis", "shift_jis"],
    ["cp932", "shift_jis"],
    ["ks_c_5601-1987", "euc-kr"],
    ["ISO-2022-JP-2", "iso-2022-jp"],
    ["win-1251", "windows-1251"],
    ["windows1250", "windows-1250"],
    ["iso8859_2", "iso-8859-2"],
    ["utf8", "utf-8"],
    ["UTF_8", "utf-8"],
    ["gb2312", "gbk"],
  ])("%s names %s", (label, encoding) => {
    expect(encodingOf(label)).toBe(encoding);
  });

  // Node 20's TextDecoder lacked iso-8859-16; Node 24 (every runtime now, Lambda's too) has it.
  it("iso-8859-16 names iso-8859-16", () => {
    expect(encodingOf("iso-8859-16")).toBe("iso-8859-16");
  });

  it.each(["x-unheard-of", "", "utf-7"])("%j names no encoding this runtime decodes", (label) => {
    expect(encodingOf(label)).toBeNull();
  });
});

describe("decoding a part's text", () => {
  it.each([
    ["Shift_JIS", "91e58de3", "大阪"],
    ["ISO-2022-JP", "1b2442467c4b5c1b2842", "日本"],
    ["koi8-r", "e4c1", "Да"],
    ["windows-1251", "c4e0", "Да"],
    ["iso-8859-2", "a1b1", "Ąą"],
    ["gb18030", "c4e3bac3", "你好"],
    ["big5", "a741a66e", "你好"],
    ["euc-kr", "bec8b3e7", "안녕"],
    ["utf-8", "636166c3a9", "café"],
  ])("%s", (charset, hex, text) => {
    expect(decodeText(bytes(hex), charset)).toBe(text);
  });

  it("lets a byte-order mark override the label", () => {
    expect(decodeText(bytes("feff 0059 0065 0073"), "utf-16le")).toBe("Yes");
    expect(decodeText(bytes("fffe 5900 6500 7300"), "iso-8859-1")).toBe("Yes");
    expect(decodeText(bytes("efbbbf 596573"), "windows-1252")).toBe("Yes");
  });

  it("reads text under an ASCII label, an unknown label or none as UTF-8 when it is valid UTF-8", () => {
    for (const label of ["us-ascii", "x-unheard-of", undefined])
      expect(decodeText(bytes("436166c3a9"), label)).toBe("Café");
  });

  it("reads it as windows-1252 when it is not valid UTF-8", () => {
    for (const label of ["us-ascii", "x-unheard-of", undefined])
      expect(decodeText(bytes("93596573 94 20 e9"), label)).toBe("\u201cYes\u201d é");
  });
});
