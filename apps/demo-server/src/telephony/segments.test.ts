import { describe, expect, it } from 'vitest';
import { countSegments, isGsm7 } from './segments.js';

describe('SMS segments', () => {
  it('fits 160 GSM-7 characters in one segment and splits at 153', () => {
    expect(countSegments('a'.repeat(160))).toEqual({ encoding: 'GSM-7', segments: 1, units: 160 });
    expect(countSegments('a'.repeat(161)).segments).toBe(2);
    expect(countSegments('a'.repeat(306)).segments).toBe(2);
    expect(countSegments('a'.repeat(307)).segments).toBe(3);
    expect(countSegments('a'.repeat(918)).segments).toBe(6);
  });

  it('counts extension characters as two septets and never splits an escape pair', () => {
    expect(countSegments('€'.repeat(80))).toEqual({ encoding: 'GSM-7', segments: 1, units: 160 });
    expect(countSegments('€'.repeat(81)).segments).toBe(2);
    // 152 plain + one escape pair: 154 septets, the pair goes to the second part.
    expect(countSegments(`${'a'.repeat(152)}€${'a'.repeat(10)}`).segments).toBe(2);
  });

  it('switches to UCS-2 for characters outside the GSM alphabet: 70 then 67', () => {
    expect(isGsm7('héllo [ok] €5')).toBe(true);
    expect(isGsm7('naïve')).toBe(false);
    expect(countSegments('ж'.repeat(70))).toEqual({ encoding: 'UCS-2', segments: 1, units: 70 });
    expect(countSegments('ж'.repeat(71)).segments).toBe(2);
    expect(countSegments('ж'.repeat(134)).segments).toBe(2);
    expect(countSegments('ж'.repeat(135)).segments).toBe(3);
  });

  it('counts an emoji as two code units and keeps surrogate pairs whole', () => {
    expect(countSegments('😀'.repeat(35))).toEqual({ encoding: 'UCS-2', segments: 1, units: 70 });
    expect(countSegments(`${'a'.repeat(66)}😀`).segments).toBe(1);
    expect(countSegments(`${'a'.repeat(66)}😀${'a'.repeat(3)}`).segments).toBe(2);
  });
});
