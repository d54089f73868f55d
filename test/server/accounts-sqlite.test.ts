/** The accounts suite (./suite.ts) on the embedded SQLite store. */
import { accountsSuite } from './suite.js';
import { startServer } from './helpers.js';

accountsSuite('SQLite', () => startServer());
