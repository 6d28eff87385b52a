/**
 * SMS segment counting (3GPP TS 23.038). A message whose every character is in the GSM 03.38
 * default alphabet (or its extension table, which costs two septets: escape + char) is sent as
 * GSM-7: 160 septets in one segment, 153 per segment when concatenated (the UDH takes 7). Anything
 * else is UCS-2: 70 UTF-16 code units in one segment, 67 per part. An escape pair or a surrogate
 * pair is never split across two parts, so parts are filled greedily instead of dividing.
 */
const GSM7_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM7_EXTENSION = '\f^{}\\[~]|€';

const basic = new Set(GSM7_BASIC);
const extension = new Set(GSM7_EXTENSION);

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export interface SegmentCount {
  encoding: SmsEncoding;
  segments: number;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2). */
  units: number;
}

export function isGsm7(text: string): boolean {
  for (const ch of text) if (!basic.has(ch) && !extension.has(ch)) return false;
  return true;
}

/** Splits units into parts of at most `size`, keeping each character's units in one part. */
function countParts(widths: number[], single: number, size: number): { segments: number; units: number } {
  const units = widths.reduce((a, b) => a + b, 0);
  if (units === 0) return { segments: 1, units: 0 };
  if (units <= single) return { segments: 1, units };
  let segments = 1;
  let used = 0;
  for (const w of widths) {
    if (used + w > size) {
      segments += 1;
      used = 0;
    }
    used += w;
  }
  return { segments, units };
}

export function countSegments(text: string): SegmentCount {
  const chars = Array.from(text);
  if (isGsm7(text)) {
    const widths = chars.map((ch) => (extension.has(ch) ? 2 : 1));
    return { encoding: 'GSM-7', ...countParts(widths, 160, 153) };
  }
  const widths = chars.map((ch) => ch.length);
  return { encoding: 'UCS-2', ...countParts(widths, 70, 67) };
}
