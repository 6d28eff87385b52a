import { useEffect, useState } from 'preact/hooks';

export const SCREENS = [
  { id: 'overview', label: 'Overview' },
  { id: 'events', label: 'Live events' },
  { id: 'sms', label: 'SMS' },
  { id: 'calls', label: 'Calls' },
  { id: 'reports', label: 'Reports' },
  { id: 'webhooks', label: 'Webhooks' },
  { id: 'tokens', label: 'API tokens' },
] as const;

export type ScreenId = (typeof SCREENS)[number]['id'];

function fromHash(hash: string): ScreenId {
  const id = hash.replace(/^#\/?/, '');
  return SCREENS.find((s) => s.id === id)?.id ?? 'overview';
}

/** The screen named in the URL's hash (`#/calls`), so reloads, links and Back work. */
export function useScreen(): ScreenId {
  const [screen, setScreen] = useState(() => fromHash(location.hash));
  useEffect(() => {
    const onChange = () => setScreen(fromHash(location.hash));
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  return screen;
}
