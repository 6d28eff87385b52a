import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { matchAccount } from './account-selection.js';
import { CliError, UsageError } from './errors.js';
import {
  parseDate,
  parseEventTypes,
  parseFeatures,
  parseHttpUrl,
  parsePhone,
  parsePositiveInt,
} from './parse-args.js';

describe('argument parsers', () => {
  it('accepts real calendar dates only', () => {
    expect(parseDate('2026-02-28')).toBe('2026-02-28');
    expect(() => parseDate('2026-02-30')).toThrow(InvalidArgumentError);
    expect(() => parseDate('26-1-1')).toThrow(/YYYY-MM-DD/);
  });

  it('splits event patterns and refuses malformed ones', () => {
    expect(parseEventTypes('call.*, sms.delivered,*')).toEqual(['call.*', 'sms.delivered', '*']);
    expect(() => parseEventTypes('call.**')).toThrow(/not an event type/);
    expect(() => parseEventTypes(',')).toThrow(InvalidArgumentError);
  });

  it('parses positive integers, features, URLs and phone numbers', () => {
    expect(parsePositiveInt('20')).toBe(20);
    expect(() => parsePositiveInt('0')).toThrow();
    expect(() => parsePositiveInt('2x')).toThrow();
    expect(parseFeatures('SMS,voice,sms')).toEqual(['sms', 'voice']);
    expect(() => parseFeatures('fax')).toThrow();
    expect(parseHttpUrl('http://localhost:3000/webhook')).toBe('http://localhost:3000/webhook');
    expect(() => parseHttpUrl('localhost:3000')).toThrow();
    expect(parsePhone(' +1 (201) 555-0123 ')).toBe('+1 (201) 555-0123');
    expect(() => parsePhone('call me')).toThrow();
  });
});

describe('matchAccount', () => {
  const accounts = [
    { uuid: 'aaaa1111-0000-4000-8000-000000000001', name: 'Acme Dental' },
    { uuid: 'bbbb2222-0000-4000-8000-000000000002', name: 'Bayside Realty' },
    { uuid: 'bbbb3333-0000-4000-8000-000000000003', name: 'Bayside Storage' },
  ];
  it('matches by id, id prefix, name and unique name prefix, case-insensitively', () => {
    expect(matchAccount('AAAA1111-0000-4000-8000-000000000001', accounts).name).toBe('Acme Dental');
    expect(matchAccount('aaaa1', accounts).name).toBe('Acme Dental');
    expect(matchAccount('acme dental', accounts).name).toBe('Acme Dental');
    expect(matchAccount('bayside r', accounts).name).toBe('Bayside Realty');
  });
  it('refuses ambiguous and unknown inputs with the choices', () => {
    expect(() => matchAccount('bayside', accounts)).toThrow(UsageError);
    expect(() => matchAccount('bbbb', accounts)).toThrow(/matches 2 accounts/);
    expect(() => matchAccount('Zeta', accounts)).toThrow(CliError);
    expect(() => matchAccount('Zeta', accounts)).toThrow(/Acme Dental/);
  });
});
