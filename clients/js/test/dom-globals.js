// Installs a jsdom window as the global one; import it before react-dom so React sees a DOM.
import { JSDOM } from 'jsdom';

export const dom = new JSDOM('<!doctype html><html><body></body></html>', { url: 'http://relay.test/' });
globalThis.window = dom.window;
globalThis.document = dom.window.document;
globalThis.navigator ??= dom.window.navigator; // Node 20 has no global navigator; react-dom reads it
globalThis.IS_REACT_ACT_ENVIRONMENT = true;
