import type { LinkStatus, LiveFeed } from '../live-feed.js';
import { useStore } from '../store.js';

function describe(status: LinkStatus): string {
  switch (status.kind) {
    case 'connecting':
      return 'Connecting…';
    case 'live':
      return 'Live';
    case 'reconnecting':
      return 'Reconnecting…';
    case 'resumed':
      return `Resumed: ${status.missed} missed ${status.missed === 1 ? 'event' : 'events'} fetched`;
    case 'closed':
      return `Disconnected: ${status.message}`;
  }
}

/** The live connection's state, always visible and announced when it changes. */
export function ConnectionIndicator({ feed }: { feed: LiveFeed }) {
  const status = useStore(feed.status);
  return (
    <p class={`connection connection-${status.kind}`} role="status" aria-label="Live connection">
      <span class="dot" aria-hidden="true" />
      {describe(status)}
    </p>
  );
}
