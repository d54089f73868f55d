/**
 * @fileoverview The ten documented hunting queries (docs/monitor.md "Hunting with SQL").
 * They use only the documented views and SQL that SQLite and PostgreSQL read alike
 * (integer epoch-millisecond times, `clock.now_ms` for "now"), and a test runs every one of
 * them on both stores. The dashboard (issue 17) offers them as saved queries.
 */

/** A documented query. */
export interface DocumentedQuery {
  title: string;
  sql: string;
}

const NOW = '(SELECT now_ms FROM clock)';

export const DOCUMENTED_QUERIES: readonly DocumentedQuery[] = [
  {
    title: 'Top growing goroutine groups this week',
    sql: `SELECT s.job, s.instance, g.function, g.file, g.line, g.state, MIN(s.count) AS min_count, MAX(s.count) AS max_count, MAX(s.count) - MIN(s.count) AS growth
FROM group_samples s JOIN goroutine_groups g ON g.id = s.group_id
WHERE s.ts > ${NOW} - 7 * 86400000
GROUP BY s.job, s.instance, g.function, g.file, g.line, g.state
ORDER BY growth DESC LIMIT 20`,
  },
  {
    title: 'Every target that ever matched a known-leak signature',
    sql: `SELECT signature, job, instance, first_seen, last_seen_time, max_count FROM signature_matches ORDER BY signature, job, instance`,
  },
  {
    title: 'Firing alerts, oldest first, with what they are about',
    sql: `SELECT id, rule, job, instance, summary, started FROM alerts WHERE state = 'firing' ORDER BY started_at`,
  },
  {
    title: 'Targets whose last goroutine scrape failed, with the reason',
    sql: `SELECT t.job, t.instance, s.time, s.error FROM targets t JOIN scrapes s ON s.target_id = t.id
WHERE s.profile = 'goroutine' AND s.ok = 0 AND s.ts = (SELECT MAX(x.ts) FROM scrapes x WHERE x.target_id = t.id AND x.profile = 'goroutine')
ORDER BY t.job, t.instance`,
  },
  {
    title: 'Scrape failures by target and reason in the last 24 hours',
    sql: `SELECT job, instance, profile, error, COUNT(*) AS failures FROM scrapes
WHERE ok = 0 AND ts > ${NOW} - 86400000
GROUP BY job, instance, profile, error ORDER BY failures DESC`,
  },
  {
    title: 'Hourly peak goroutines per target over the last day',
    sql: `SELECT job, instance, (ts / 3600000) * 3600000 AS hour, MAX(total) AS max_goroutines FROM scrapes
WHERE profile = 'goroutine' AND ok = 1 AND ts > ${NOW} - 86400000
GROUP BY job, instance, (ts / 3600000) * 3600000 ORDER BY job, instance, hour`,
  },
  {
    title: 'Lines where goroutines pile up across the fleet in the last hour (LeakProf view)',
    sql: `SELECT g.function, g.file, g.line, g.state, COUNT(DISTINCT s.instance) AS instances, MAX(s.count) AS max_per_instance
FROM group_samples s JOIN goroutine_groups g ON g.id = s.group_id
WHERE s.ts > ${NOW} - 3600000 AND g.state IN ('chan send', 'chan receive', 'select', 'sync.Mutex.Lock', 'sync.WaitGroup.Wait', 'semacquire')
GROUP BY g.function, g.file, g.line, g.state ORDER BY max_per_instance DESC LIMIT 20`,
  },
  {
    title: 'Heap allocation sites that grew most this week',
    sql: `SELECT job, instance, function, file, line, MIN(inuse_bytes) AS min_bytes, MAX(inuse_bytes) AS max_bytes, MAX(inuse_bytes) - MIN(inuse_bytes) AS growth
FROM heap_sites WHERE ts > ${NOW} - 7 * 86400000
GROUP BY job, instance, function, file, line ORDER BY growth DESC LIMIT 20`,
  },
  {
    title: 'Goroutine stacks that pass through a function (here: database/sql rows never closed)',
    sql: `SELECT id, state, function, file, line, created_by FROM goroutine_groups WHERE stack LIKE '%database/sql.(*Rows).awaitDone%'`,
  },
  {
    title: 'Alerts that ended by a restart rather than a fix',
    sql: `SELECT job, instance, rule, summary, COUNT(*) AS times FROM alerts WHERE state = 'resolved' AND reason LIKE 'restarted%'
GROUP BY job, instance, rule, summary ORDER BY times DESC`,
  },
];
