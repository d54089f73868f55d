import { describe, expect, it } from 'vitest';
import { classifyGroups, groupGoroutines, parseGoroutineDump } from '../../src/profiles/index.js';

const dump = `goroutine 1 [select (no cases) (leaked)]:
main.main()
\t/srv/app/main.go:20 +0x25

goroutine 7 [chan receive (leaked)]:
main.worker()
\t/srv/app/main.go:12 +0x30
created by main.main in goroutine 1
\t/srv/app/main.go:18 +0x40
`;

describe('main parked in select {}', () => {
  it('is not a suspect even when the runtime leak profile marks it leaked; other leaked goroutines are', () => {
    const groups = groupGoroutines(parseGoroutineDump(dump, 'leak.txt'));
    const verdicts = classifyGroups(groups);
    const byFn = new Map(groups.map((g, i) => [g.location.function, verdicts[i]]));
    expect(byFn.get('main.main')?.suspect).toBe(false);
    expect(byFn.get('main.main')?.rule).toBe('idler:main-select');
    expect(byFn.get('main.worker')?.suspect).toBe(true);
    expect(byFn.get('main.worker')?.rule).toBe('runtime-leaked');
  });
});
