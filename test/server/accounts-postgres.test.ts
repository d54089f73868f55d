/**
 * The accounts suite (./suite.ts) on PostgreSQL: a real throw-away cluster
 * (test/support/postgres.ts), so sessions, tokens, locks and the audit log work the same in
 * fleet mode.
 */
import { afterAll, describe } from 'vitest';
import { requirePostgres, startPostgres, type PgCluster } from '../support/postgres.js';
import { accountsSuite } from './suite.js';
import { startServer } from './helpers.js';

const hasPg = requirePostgres('the accounts tests on PostgreSQL');

describe.skipIf(!hasPg)('PostgreSQL', () => {
  let pg: PgCluster | undefined;
  afterAll(() => pg?.stop());
  accountsSuite('PostgreSQL', async () => {
    pg = await startPostgres();
    return startServer({ pgUrl: pg.url });
  });
});
