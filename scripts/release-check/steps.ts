/**
 * Runs the checks one after the other, printing each with its duration, and keeps going after a
 * failure so one run shows every problem. A step whose input failed is skipped, not failed twice.
 */
export class Steps {
  readonly failures: string[] = [];
  private readonly started = performance.now();

  /** Runs `fn`; returns its result, or undefined when it threw (the failure is recorded). */
  async run<T>(
    name: string,
    fn: () => Promise<T>,
    describe: (result: T) => string[] = () => [],
  ): Promise<T | undefined> {
    const start = performance.now();
    try {
      const result = await fn();
      console.log(`✓ ${name} (${seconds(start)})`);
      for (const line of describe(result)) console.log(`    ${line}`);
      return result;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      console.log(`✗ ${name} (${seconds(start)})\n${indent(message)}`);
      this.failures.push(name);
      return undefined;
    }
  }

  skip(name: string, because: string): void {
    console.log(`- ${name}: skipped, ${because}`);
    this.failures.push(`${name} (skipped)`);
  }

  elapsed(): string {
    return seconds(this.started);
  }
}

function seconds(since: number): string {
  return `${((performance.now() - since) / 1000).toFixed(1)} s`;
}

function indent(text: string): string {
  return text
    .trim()
    .split('\n')
    .slice(0, 60)
    .map((line) => `    ${line}`)
    .join('\n');
}
