/** Signatures: the known-leak catalog and where each matched (targets, first/last seen, counts). */
import { get } from '../api';
import { Grid, Loaded, Notice, PageHead, useData } from '../components';
import { fmtNum, fmtTime } from '../util';

interface Sig {
  id: string;
  title: string;
  description: string;
  profile: string;
  affected: unknown;
  fix: string;
  references: string[];
  catalogVersion: number | string;
}
interface Match {
  targetId: number;
  job: string;
  instance: string;
  signature: string;
  firstSeen: number;
  lastSeen: number;
  maxCount: number;
  lastCount: number;
}

/** The signatures page. */
export function SignaturesPage() {
  const d = useData(async () => {
    const [{ signatures }, { matches }] = await Promise.all([get<{ signatures: Sig[] }>('/api/v1/signatures'), get<{ matches: Match[] }>('/api/v1/signatures/matches')]);
    return { signatures, matches };
  }, []);
  return (
    <main id="main">
      <PageHead title="Known-leak signatures" />
      <Loaded d={d} what="the signature catalog">
        {({ signatures, matches }) =>
          signatures.length === 0 ? (
            <Notice>No signature catalog is loaded.</Notice>
          ) : (
            <>
              <p class="sub">
                {signatures.length} signatures · {matches.length} matches on {new Set(matches.map((m) => m.targetId)).size} targets
              </p>
              {signatures.map((s) => {
                const ms = matches.filter((m) => m.signature === s.id);
                return (
                  <section class="sig" key={s.id} aria-labelledby={`sig-${s.id}`}>
                    <h2 id={`sig-${s.id}`}>
                      {s.title} <code>{s.id}</code> {ms.length > 0 && <span class="badge leak">matched on {ms.length}</span>}
                    </h2>
                    <p>{s.description}</p>
                    <p>
                      <strong>Fix:</strong> {s.fix}
                    </p>
                    {s.references.length > 0 && (
                      <p class="refs">
                        References:{' '}
                        {s.references.map((r, i) => (
                          <span key={r}>
                            {i > 0 && ', '}
                            {r}
                          </span>
                        ))}
                      </p>
                    )}
                    {ms.length > 0 && (
                      <Grid cols={['Target', 'First seen', 'Last seen', 'Goroutines (last / max)']}>
                        {ms.map((m) => (
                          <tr key={m.targetId}>
                            <td>
                              <a href={`/targets/${m.targetId}`}>
                                {m.job}/{m.instance}
                              </a>
                            </td>
                            <td class="ts">{fmtTime(m.firstSeen)}</td>
                            <td class="ts">{fmtTime(m.lastSeen)}</td>
                            <td class="num">
                              {fmtNum(m.lastCount)} / {fmtNum(m.maxCount)}
                            </td>
                          </tr>
                        ))}
                      </Grid>
                    )}
                  </section>
                );
              })}
            </>
          )
        }
      </Loaded>
    </main>
  );
}
