// The pdf.js thread's entry point (pdf-reader.ts starts it with no inherited Node options): it
// registers tsx, as `npm start` does for the server's own thread, then loads pdf-thread.ts.
import { register } from 'tsx/esm/api';

register();
await import('./pdf-thread.ts');
