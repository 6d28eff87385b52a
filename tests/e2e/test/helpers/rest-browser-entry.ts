// What the browser test loads: the BUILT client and the auth strategy it needs, bundled for the web.
export { createBasicAuth } from '@callwire/auth-core';
export { createClient } from '@callwire/rest-client';
