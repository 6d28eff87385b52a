// `pnpm bench`: every benchmark section of the demo server in one run. Each section is a file
// exporting `run(report)` and measures its own baseline in the same run; add yours to SECTIONS.
// BENCH_SECTIONS=auth,telephony picks some; BENCH_SECONDS sets the length of each load run.
import './ts-hooks.ts';

const SECTIONS: Record<string, string> = {
  auth: './auth.ts',
  telephony: './telephony.ts',
  realtime: './realtime.ts',
  sim: './sim.ts',
  write: './write.ts',
};

const { printRow } = await import('./report.ts');
const wanted = process.env.BENCH_SECTIONS?.split(',').map((s) => s.trim()) ?? Object.keys(SECTIONS);
for (const name of wanted) {
  const file = SECTIONS[name];
  if (file === undefined) {
    process.stderr.write(`unknown bench section "${name}" (have: ${Object.keys(SECTIONS).join(', ')})\n`);
    process.exitCode = 2;
    continue;
  }
  process.stdout.write(`\n== ${name} ==\n`);
  const section = (await import(file)) as { run(report: typeof printRow): Promise<void> };
  await section.run(printRow);
}
