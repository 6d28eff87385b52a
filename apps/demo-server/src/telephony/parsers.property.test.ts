import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CallflowParseError, parseCallflowXml } from './callflow-xml.js';
import { searchInventory } from './inventory.js';
import { countSegments } from './segments.js';
import { patternToRegExp } from './tn-pattern.js';

describe('telephony parsers under arbitrary input', () => {
  it('call-flow XML: any text either parses or fails with a line and column, never anything else', () => {
    const xmlish = fc.stringMatching(/^[<>/a-zA-Z="' \n&;!?-]{0,80}$/);
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 200 }),
          xmlish,
          xmlish.map((s) => `<Response>${s}</Response>`),
        ),
        (text) => {
          try {
            const steps = parseCallflowXml(text);
            expect(Array.isArray(steps)).toBe(true);
          } catch (error) {
            expect(error).toBeInstanceOf(CallflowParseError);
            const e = error as CallflowParseError;
            expect(e.line).toBeGreaterThanOrEqual(1);
            expect(e.column).toBeGreaterThanOrEqual(0);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('segments: at least one, GSM-7 ≤ 160 septets or UCS-2 ≤ 70 units is one, parts never exceed their size', () => {
    fc.assert(
      fc.property(
        fc.string({
          maxLength: 918,
          unit: fc.oneof(fc.constantFrom('a', '€', '[', ' '), fc.constantFrom('ж', '😀')),
        }),
        (text) => {
          const r = countSegments(text);
          expect(r.segments).toBeGreaterThanOrEqual(1);
          const single = r.encoding === 'GSM-7' ? 160 : 70;
          const part = r.encoding === 'GSM-7' ? 153 : 67;
          if (r.units <= single) expect(r.segments).toBe(1);
          else {
            expect(r.segments).toBeGreaterThanOrEqual(Math.ceil(r.units / part));
            // A kept-whole pair can waste at most one unit per part.
            expect(r.segments).toBeLessThanOrEqual(Math.ceil(r.units / (part - 1)));
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('inventory patterns: every number found matches the pattern', () => {
    const pattern = fc.stringMatching(/^[\d*%]{1,6}$/);
    fc.assert(
      fc.property(pattern, (p) => {
        const re = patternToRegExp(p);
        const found = searchInventory({ pattern: p }, { page: 1, size: 50 });
        for (const n of found.data) expect(re.test(n.tn.slice(2))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
