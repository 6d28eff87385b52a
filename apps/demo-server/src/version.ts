/**
 * The version of the platform API this server implements; outbound requests say it in their
 * `User-Agent` (`Callwire/1.0.0`), so a receiver can tell the platform and its version apart.
 */
export const API_VERSION = '1.0.0';
export const USER_AGENT = `Callwire/${API_VERSION}`;
