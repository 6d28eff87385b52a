import { type CallwireEvent, EVENT_TYPES, matchesEventPattern } from '@callwire/types';
import { useId, useState } from 'preact/hooks';
import { formatTime } from '../format.js';
import type { AccountScope } from '../scope.js';
import { useStore } from '../store.js';

const FAMILIES = ['call.*', 'sms.*', 'tn.*', 'account.*', 'batch.*'];

/**
 * The timeline: every event of the account as it arrives, newest on top. Pausing freezes what is
 * shown (events keep arriving and are counted) so a row does not move while someone reads it.
 */
export function Events({ scope }: { scope: AccountScope }) {
  const events = useStore(scope.feed.events);
  const [pattern, setPattern] = useState('*');
  const [frozen, setFrozen] = useState<readonly CallwireEvent[] | undefined>();
  const filterId = useId();

  const shown = (frozen ?? events).filter((e) => matchesEventPattern(e.type, pattern));
  const waiting = frozen === undefined ? 0 : events.length - frozen.length;

  return (
    <section aria-labelledby="events-title">
      <h2 id="events-title">Live events</h2>
      <div class="toolbar">
        <div class="field inline">
          <label for={filterId}>Event type</label>
          <select id={filterId} value={pattern} onChange={(e) => setPattern(e.currentTarget.value)}>
            <option value="*">All events</option>
            <optgroup label="Families">
              {FAMILIES.map((f) => (
                <option key={f} value={f}>
                  {f}
                </option>
              ))}
            </optgroup>
            <optgroup label="Types">
              {EVENT_TYPES.map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
            </optgroup>
          </select>
        </div>
        <button
          type="button"
          aria-pressed={frozen !== undefined}
          onClick={() => setFrozen(frozen === undefined ? events : undefined)}
        >
          {frozen === undefined ? 'Pause' : 'Resume'}
        </button>
        {frozen === undefined ? null : (
          <p class="muted" role="status">
            Paused: {waiting} new {waiting === 1 ? 'event' : 'events'} waiting
          </p>
        )}
      </div>
      {shown.length === 0 ? (
        <p class="muted">No events{pattern === '*' ? '' : ` of type ${pattern}`} yet.</p>
      ) : (
        <table class="timeline">
          <caption class="visually-hidden">Event timeline, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Seq</th>
              <th scope="col">Time</th>
              <th scope="col">Type</th>
              <th scope="col">What happened</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((event) => (
              <tr key={event.uuid}>
                <td>{event.seq}</td>
                <td>
                  <time dateTime={event.created_on}>{formatTime(event.created_on)}</time>
                </td>
                <td>
                  <code>{event.type}</code>
                </td>
                <td>{event.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
