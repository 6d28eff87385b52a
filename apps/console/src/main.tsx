import { render } from 'preact';
import { config } from 'zod';
import { App } from './app.js';
import { apiFromPage } from './session.js';
import './styles.css';

// The server's Content-Security-Policy forbids eval, so the SDKs' schemas run zod's interpreter
// instead of code it would generate with `new Function`.
config({ jitless: true });

const root = document.getElementById('app');
if (root !== null) {
  root.textContent = '';
  render(<App api={apiFromPage(location)} />, root);
}
