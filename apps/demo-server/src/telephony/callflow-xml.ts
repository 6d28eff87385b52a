import { SaxesParser } from 'saxes';

/**
 * The call-flow XML subset, parsed into steps the simulator executes one by one:
 * `<Response>` holding `<Answer/>`, `<Say loop>`, `<Play>`, `<Pause length>`,
 * `<Gather numDigits timeout>` (may hold Say/Play/Pause prompts), `<Record/>`,
 * `<Dial><To>…</To></Dial>` and `<Hangup/>`. Malformed XML and unknown verbs or attributes are
 * refused with the line and column where they occur, so an author can find the mistake.
 */
export interface CallflowVerb {
  verb: 'Answer' | 'Say' | 'Play' | 'Pause' | 'Gather' | 'Record' | 'Dial' | 'Hangup';
  attributes: Record<string, string>;
  /** Text content (Say's words, Play's URL). */
  text: string | null;
  /** Dial's destinations. */
  to: string[];
  /** Gather's prompts. */
  children: CallflowVerb[];
  line: number;
  column: number;
}

export class CallflowParseError extends Error {
  readonly line: number;
  readonly column: number;

  constructor(message: string, line: number, column: number) {
    super(`line ${line}, column ${column}: ${message}`);
    this.name = 'CallflowParseError';
    this.line = line;
    this.column = column;
  }
}

const ATTRIBUTES: Record<CallflowVerb['verb'], readonly string[]> = {
  Answer: [],
  Say: ['loop', 'voice', 'language'],
  Play: ['loop'],
  Pause: ['length'],
  Gather: ['numDigits', 'timeout', 'finishOnKey', 'action', 'method'],
  Record: ['maxLength', 'timeout', 'playBeep', 'transcribe', 'action', 'method'],
  Dial: ['timeout', 'callerId', 'action', 'method'],
  Hangup: [],
};
const INTEGER_ATTRIBUTES = new Set(['loop', 'length', 'numDigits', 'timeout', 'maxLength']);
const PROMPTS = new Set(['Say', 'Play', 'Pause']);

function isVerb(name: string): name is CallflowVerb['verb'] {
  return Object.hasOwn(ATTRIBUTES, name);
}

export function parseCallflowXml(xml: string): CallflowVerb[] {
  const parser = new SaxesParser({ position: true });
  const steps: CallflowVerb[] = [];
  /** Open elements: 'Response', a verb, or 'To'. */
  const stack: { name: string; verb?: CallflowVerb; text: string }[] = [];
  let sawRoot = false;
  let failure: CallflowParseError | undefined;
  const fail = (message: string): void => {
    failure ??= new CallflowParseError(message, parser.line, parser.column);
  };

  parser.on('error', (err) => {
    // saxes prefixes its messages with "line:column: "; keep ours consistent.
    fail(err.message.replace(/^\d+:\d+:\s*/, ''));
  });
  parser.on('opentag', (tag) => {
    if (failure !== undefined) return;
    const name = tag.name;
    const parent = stack[stack.length - 1];
    if (parent === undefined) {
      if (name !== 'Response' || sawRoot) return fail(`the root element must be <Response>, not <${name}>`);
      sawRoot = true;
      stack.push({ name, text: '' });
      return;
    }
    if (name === 'To') {
      if (parent.name !== 'Dial') return fail('<To> belongs inside <Dial>');
      stack.push({ name, text: '' });
      return;
    }
    if (!isVerb(name)) return fail(`unknown verb <${name}>`);
    if (parent.name === 'Gather') {
      if (!PROMPTS.has(name)) return fail(`<${name}> cannot be inside <Gather> (only Say, Play, Pause)`);
    } else if (parent.name !== 'Response') {
      return fail(`<${name}> cannot be inside <${parent.name}>`);
    }
    const attributes: Record<string, string> = {};
    for (const [key, raw] of Object.entries(tag.attributes)) {
      const value = typeof raw === 'string' ? raw : raw.value;
      if (!ATTRIBUTES[name].includes(key)) return fail(`unknown attribute ${key} on <${name}>`);
      if (INTEGER_ATTRIBUTES.has(key) && !/^\d{1,6}$/.test(value)) {
        return fail(`attribute ${key} on <${name}> must be a whole number`);
      }
      attributes[key] = value;
    }
    const verb: CallflowVerb = {
      verb: name,
      attributes,
      text: null,
      to: [],
      children: [],
      line: parser.line,
      column: parser.column,
    };
    if (parent.name === 'Gather') parent.verb?.children.push(verb);
    else steps.push(verb);
    stack.push({ name, verb, text: '' });
  });
  parser.on('text', (text) => {
    const top = stack[stack.length - 1];
    if (top !== undefined) top.text += text;
    else if (text.trim() !== '' && failure === undefined) fail('text outside <Response>');
  });
  parser.on('closetag', () => {
    if (failure !== undefined) return;
    const top = stack.pop();
    if (top === undefined) return;
    const text = top.text.trim();
    if (top.name === 'To') {
      const dial = stack[stack.length - 1]?.verb;
      if (text === '') return fail('<To> needs a phone number');
      dial?.to.push(text);
      return;
    }
    const verb = top.verb;
    if (verb === undefined) return;
    if (verb.verb === 'Say' || verb.verb === 'Play') {
      if (text === '') return fail(`<${verb.verb}> needs text`);
      verb.text = text;
    } else if (verb.verb === 'Dial') {
      // `<Dial>+12015550123</Dial>` is accepted as a single destination.
      if (text !== '' && verb.to.length === 0) verb.to.push(text);
      if (verb.to.length === 0) return fail('<Dial> needs at least one <To>');
    } else if (text !== '' && verb.verb !== 'Gather') {
      return fail(`<${verb.verb}> takes no text`);
    }
  });

  try {
    parser.write(xml).close();
  } catch (error) {
    if (failure === undefined) {
      const message = error instanceof Error ? error.message.replace(/^\d+:\d+:\s*/, '') : 'malformed XML';
      failure = new CallflowParseError(message, parser.line, parser.column);
    }
  }
  if (failure !== undefined) throw failure;
  if (!sawRoot)
    throw new CallflowParseError('the document needs a <Response> root element', parser.line, parser.column);
  return steps;
}

/** How long a step takes in the simulation, in simulated milliseconds. */
export function stepDurationMs(step: CallflowVerb): number {
  const int = (name: string, fallback: number): number => {
    const v = step.attributes[name];
    return v === undefined ? fallback : Number(v);
  };
  switch (step.verb) {
    case 'Answer':
    case 'Hangup':
      return 0;
    case 'Say': {
      // About 150 words a minute, at least one second, repeated `loop` times (0 means once here).
      const words = (step.text ?? '').split(/\s+/).filter(Boolean).length;
      return Math.max(1, int('loop', 1)) * Math.max(1000, Math.round((words / 2.5) * 1000));
    }
    case 'Play':
      return Math.max(1, int('loop', 1)) * 3000;
    case 'Pause':
      return int('length', 1) * 1000;
    case 'Gather':
      return step.children.reduce((sum, c) => sum + stepDurationMs(c), 0) + int('timeout', 5) * 1000;
    case 'Record':
      return int('maxLength', 5) * 1000;
    case 'Dial':
      return 0;
  }
}
