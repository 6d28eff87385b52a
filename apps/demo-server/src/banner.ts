import type { ServerConfig } from './config.js';
import { DEMO_ACCOUNTS, DEMO_INTEGRATOR, DEMO_USERS } from './seed/demo-identity.js';

export interface BannerOptions {
  /**
   * The server runs from a checkout of the Callwire repository, where the CLI is `pnpm callwire`;
   * otherwise it is the `callwire` of `npm install --global @callwire/cli`.
   * @default false
   */
  inRepository?: boolean;
}

/** What the bin prints once it listens: where, who, and commands to paste. */
export function banner(
  url: string,
  config: ServerConfig,
  location: string,
  options: BannerOptions = {},
): string {
  const cli = options.inRepository === true ? 'pnpm callwire' : 'callwire';
  const lines = [
    `Listening on ${url}`,
    '',
    `Database: ${location}`,
    `Docs:     ${url}/docs  (OpenAPI: ${url}/openapi.json)`,
    `Console:  ${url}/`,
  ];
  if (config.seed) {
    lines.push('', 'Demo users (password):');
    for (const u of Object.values(DEMO_USERS)) {
      const accounts = Object.entries(u.memberships)
        .map(([k, access]) => `${DEMO_ACCOUNTS[k as keyof typeof DEMO_ACCOUNTS].name} (${access})`)
        .join(', ');
      lines.push(
        `  ${u.email.padEnd(18)} ${u.password.padEnd(13)} ${accounts}${u.api_access ? '' : '  [api_access off]'}`,
      );
    }
    lines.push(
      '',
      `Integrator: app key ${DEMO_INTEGRATOR.appKey}, secret ${DEMO_INTEGRATOR.secret} (both accounts)`,
      `Accounts:   Acme Dental ${DEMO_ACCOUNTS.acme.uuid}, Bayside Realty ${DEMO_ACCOUNTS.bayside.uuid}`,
      '',
      'Try it:',
      `  curl -u 'alice@example.com:alice-pass-1' '${url}/rest/reports/call-data?start_date=2026-01-01&end_date=2026-01-02'`,
      `  curl -u 'bob@example.com:bob-pass-1' '${url}/rest/reports/call-data?start_date=2026-01-01&end_date=2026-01-02&account_id=${DEMO_ACCOUNTS.bayside.uuid}'`,
      `  curl -u 'alice@example.com:alice-pass-1' ${url}/rest/account`,
      '',
      options.inRepository === true
        ? 'The CLI (built by pnpm start):'
        : 'The CLI (npm install --global @callwire/cli):',
      `  ${cli} login --base-url ${url} --username bob@example.com`,
      `  ${cli} accounts && ${cli} use "Bayside Realty"`,
      `  ${cli} numbers list`,
      `  ${cli} sms send --from <a number from that list> --to +12015550123 --message hello`,
      `  ${cli} events tail`,
    );
  }
  lines.push('', 'Stop with Ctrl-C.');
  return lines.join('\n');
}
