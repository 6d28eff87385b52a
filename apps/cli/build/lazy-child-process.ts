import type { Rolldown } from 'tsdown';

const VIRTUAL_ID = '\0callwire:lazy-child-process';

/**
 * commander imports `node:child_process` at the top of its command module, for the one feature the
 * CLI never uses (subcommands that are separate executables). Loading it costs every start a few
 * milliseconds (child_process pulls in net, dgram and streams). This hands commander a stand-in
 * whose `spawn` loads the real module on first use, so the behaviour is unchanged and the cost is
 * paid only if that feature ever runs. Other importers get the real module.
 */
export function lazyChildProcess(): Rolldown.Plugin {
  return {
    name: 'callwire:lazy-child-process',
    resolveId(source, importer) {
      if (source === 'node:child_process' && importer && /[\\/]commander[\\/]/.test(importer)) {
        return VIRTUAL_ID;
      }
      return null;
    },
    load(id) {
      if (id !== VIRTUAL_ID) return null;
      return [
        "const load = () => process.getBuiltinModule('node:child_process');",
        'export default { spawn: (...args) => load().spawn(...args) };',
      ].join('\n');
    },
  };
}
