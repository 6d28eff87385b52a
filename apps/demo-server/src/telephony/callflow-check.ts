import { CallflowParseError, parseCallflowXml } from './callflow-xml.js';
import { invalidField } from './errors.js';

/** Parses call-flow XML or throws 400 naming the field and the line and column of the mistake. */
export function checkCallflow(xml: string, field: string): void {
  try {
    parseCallflowXml(xml);
  } catch (error) {
    if (error instanceof CallflowParseError) throw invalidField(field, error.message);
    throw error;
  }
}
