import { describe, expect, it } from 'vitest';
import { findInventoryNumber, inventory, searchInventory } from './inventory.js';
import { patternToRegExp } from './tn-pattern.js';

describe('inventory', () => {
  it('is the same on every call and holds unique E.164 numbers', () => {
    const a = inventory();
    expect(a.length).toBeGreaterThan(5000);
    expect(new Set(a.map((n) => n.tn)).size).toBe(a.length);
    for (const n of a.slice(0, 50)) expect(n.tn).toMatch(/^\+1[2-9]\d{2}[2-9]\d{6}$/);
    expect(findInventoryNumber(a[10]!.tn)).toEqual(a[10]);
  });

  it('filters by npa, state, city and features, and pages', () => {
    const r = searchInventory({ npa: '201', features: ['sms'] }, { page: 1, size: 5 });
    expect(r.data).toHaveLength(5);
    expect(r.total).toBeGreaterThan(5);
    for (const n of r.data) {
      expect(n.tn.startsWith('+1201')).toBe(true);
      expect(n.features).toContain('sms');
      expect(n.state).toBe('NJ');
      expect(n.setup_cost).toBe(1);
      expect(n.monthly_cost).toBe(1);
    }
    const page2 = searchInventory({ npa: '201', features: ['sms'] }, { page: 2, size: 5 });
    expect(page2.data[0]!.tn).not.toBe(r.data[0]!.tn);
    expect(
      searchInventory({ state: 'ca', city: 'san diego' }, { page: 1, size: 100 }).data.every(
        (n) => n.city === 'San Diego',
      ),
    ).toBe(true);
  });

  it('leaves out taken numbers', () => {
    const first = searchInventory({ npa: '212' }, { page: 1, size: 1 }).data[0]!;
    const again = searchInventory({ npa: '212' }, { page: 1, size: 1 }, new Set([first.tn]));
    expect(again.data[0]!.tn).not.toBe(first.tn);
  });

  it('matches * and % patterns', () => {
    expect(patternToRegExp('*233').test('2015550233')).toBe(true);
    expect(patternToRegExp('*233').test('2015552331')).toBe(false);
    expect(patternToRegExp('201%55').test('2013551234')).toBe(true);
    expect(patternToRegExp('201%55').test('2013651234')).toBe(false);
    expect(patternToRegExp('+1201*').test('2019999999')).toBe(true);
    const r = searchInventory({ pattern: '*5' }, { page: 1, size: 100 });
    expect(r.total).toBeGreaterThan(0);
    for (const n of r.data) expect(n.tn.endsWith('5')).toBe(true);
  });
});
