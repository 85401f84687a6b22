// GSM 03.38: the basic table (ESC excluded, it introduces the extension table) and the
// extension characters, each sent as ESC plus one septet.
const gsm7Basic = new Set(
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà",
);
const gsm7Extension = new Set("\f^{}\\[~]|€");

export type SmsEncoding = "GSM-7" | "UCS-2";

export interface SmsMeasure {
  encoding: SmsEncoding;
  /** Septets for GSM-7, UTF-16 code units for UCS-2. */
  units: number;
  segments: number;
}

/**
 * How a text travels as SMS. GSM-7 when every character is in the GSM 03.38 tables
 * (extension characters take two septets), UCS-2 otherwise. One segment holds 160 septets
 * or 70 code units; a concatenated message gives up room to its header and holds 153 or 67
 * per segment, and a character is never split across two segments (neither an escaped
 * extension character nor a surrogate pair such as an emoji).
 */
export function measureSms(text: string): SmsMeasure {
  const chars = [...text];
  const gsm7 = chars.every((c) => gsm7Basic.has(c) || gsm7Extension.has(c));
  const costs = gsm7 ? chars.map((c) => (gsm7Extension.has(c) ? 2 : 1)) : chars.map((c) => c.length);
  const units = costs.reduce((sum, cost) => sum + cost, 0);
  const [single, perPart]: [number, number] = gsm7 ? [160, 153] : [70, 67];
  const encoding: SmsEncoding = gsm7 ? "GSM-7" : "UCS-2";
  if (units === 0) return { encoding, units, segments: 0 };
  if (units <= single) return { encoding, units, segments: 1 };

  let segments = 1;
  let used = 0;
  for (const cost of costs) {
    if (used + cost > perPart) {
      segments++;
      used = 0;
    }
    used += cost;
  }
  return { encoding, units, segments };
}

/** The number of SMS segments a text is sent in (0 for the empty text). */
export const smsSegments = (text: string): number => measureSms(text).segments;
