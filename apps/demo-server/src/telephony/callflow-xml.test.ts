import { describe, expect, it } from 'vitest';
import { CallflowParseError, parseCallflowXml, stepDurationMs } from './callflow-xml.js';

describe('call-flow XML', () => {
  it('parses every verb of the subset', () => {
    const steps = parseCallflowXml(`<?xml version="1.0"?>
<Response>
  <Answer/>
  <Say loop="2">Hello there</Say>
  <Play>https://example.com/a.mp3</Play>
  <Pause length="3"/>
  <Gather numDigits="1" timeout="4"><Say>Press one</Say></Gather>
  <Record/>
  <Dial><To>+12015550123</To><To>+12015550124</To></Dial>
  <Hangup/>
</Response>`);
    expect(steps.map((s) => s.verb)).toEqual([
      'Answer',
      'Say',
      'Play',
      'Pause',
      'Gather',
      'Record',
      'Dial',
      'Hangup',
    ]);
    expect(steps[1]).toMatchObject({ text: 'Hello there', attributes: { loop: '2' } });
    expect(steps[4]!.children.map((c) => c.verb)).toEqual(['Say']);
    expect(steps[6]!.to).toEqual(['+12015550123', '+12015550124']);
    expect(stepDurationMs(steps[3]!)).toBe(3000);
    expect(stepDurationMs(steps[1]!)).toBe(2000);
  });

  it('reports malformed XML with line and column', () => {
    try {
      parseCallflowXml('<Response>\n  <Say>hi</Sya>\n</Response>');
      expect.fail('should throw');
    } catch (error) {
      expect(error).toBeInstanceOf(CallflowParseError);
      const e = error as CallflowParseError;
      expect(e.line).toBe(2);
      expect(e.column).toBeGreaterThan(0);
      expect(e.message).toMatch(/^line 2, column \d+: /);
    }
  });

  it('refuses unknown verbs, attributes and misplaced elements', () => {
    expect(() => parseCallflowXml('<Response>\n<Dance/>\n</Response>')).toThrow(
      /line 2, column \d+: unknown verb <Dance>/,
    );
    expect(() => parseCallflowXml('<Response><Pause length="x"/></Response>')).toThrow(/whole number/);
    expect(() => parseCallflowXml('<Response><Say foo="1">x</Say></Response>')).toThrow(
      /unknown attribute foo/,
    );
    expect(() => parseCallflowXml('<Say>x</Say>')).toThrow(/root element must be <Response>/);
    expect(() => parseCallflowXml('<Response><Dial></Dial></Response>')).toThrow(/at least one <To>/);
    expect(() => parseCallflowXml('<Response><Gather><Record/></Gather></Response>')).toThrow(
      /cannot be inside <Gather>/,
    );
    expect(() => parseCallflowXml('')).toThrow(CallflowParseError);
    expect(() => parseCallflowXml('<Response>')).toThrow(CallflowParseError);
  });
});
