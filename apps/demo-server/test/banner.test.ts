import { describe, expect, it } from 'vitest';
import { banner } from '../src/banner.js';
import { parseConfig } from '../src/config.js';

const { config } = parseConfig([], {});

describe('the start banner', () => {
  it('shows the installed callwire command to someone who ran the server from npm', () => {
    const text = banner('http://127.0.0.1:8787', config, '/home/u/.local/share/callwire/callwire.sqlite');
    expect(text).toContain('Database: /home/u/.local/share/callwire/callwire.sqlite');
    expect(text).toContain('npm install --global @callwire/cli');
    expect(text).toContain('  callwire login --base-url http://127.0.0.1:8787 --username bob@example.com');
    expect(text).not.toContain('pnpm');
  });

  it('shows pnpm callwire inside a checkout of the repository', () => {
    const text = banner('http://127.0.0.1:8787', config, '.callwire-data/callwire.sqlite', {
      inRepository: true,
    });
    expect(text).toContain(
      '  pnpm callwire login --base-url http://127.0.0.1:8787 --username bob@example.com',
    );
  });
});
