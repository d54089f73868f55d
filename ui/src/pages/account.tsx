/**
 * Account: password change, authenticator reset, recovery codes, sessions (own, with end),
 * API tokens (after re-authentication). Re-authentication (password + code) is asked for when
 * the server answers `reauth_required`.
 */
import { useState } from 'preact/hooks';
import { ApiError, del, get, post, session, type SessionStatus } from '../api';
import { ErrorBox, Field, Grid, Loaded, Notice, PageHead, useData } from '../components';
import { fmtTime } from '../util';
import { RecoveryCodes } from './auth';

interface Sess {
  id: number;
  state: string;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
  ip: string | null;
  userAgent: string | null;
  current: boolean;
  userId: number;
}
/** A token as listed. */
export interface Tok {
  id: number;
  name: string;
  prefix: string;
  userId: number;
  role: string;
  createdAt: number;
  expiresAt: number | null;
  lastUsedAt: number | null;
  lastUsedIp: string | null;
  revokedAt: number | null;
}

/** Asks for password + code when an action needs recent authentication, then retries it. */
export function useReauth() {
  const [pending, setPending] = useState<(() => Promise<void>) | null>(null);
  const [err, setErr] = useState<Error | null>(null);
  const run = async (f: () => Promise<void>) => {
    setErr(null);
    try {
      await f();
    } catch (e) {
      if (e instanceof ApiError && e.code === 'reauth_required') setPending(() => f);
      else setErr(e as Error);
    }
  };
  const dialog = pending ? <Reauth onDone={() => (pending().catch((e: Error) => setErr(e)), setPending(null))} onCancel={() => setPending(null)} /> : null;
  return { run, err, dialog };
}

function Reauth({ onDone, onCancel }: { onDone: () => void; onCancel: () => void }) {
  const [password, setP] = useState('');
  const [code, setC] = useState('');
  const [err, setErr] = useState<Error | null>(null);
  return (
    <form
      class="reauth card"
      aria-label="Confirm it is you"
      onSubmit={(e) => {
        e.preventDefault();
        post('/api/v1/auth/reauth', { password, code }, true).then(onDone, setErr);
      }}
    >
      <h2>Confirm it is you</h2>
      <p>This change needs your password and a fresh authenticator code.</p>
      <Field label="Password" name="re-password" type="password" value={password} onInput={setP} autocomplete="current-password" required />
      <Field label="Authenticator code" name="re-code" value={code} onInput={setC} autocomplete="one-time-code" inputmode="numeric" required />
      {err && <ErrorBox error={err} title="Not confirmed" />}
      <button type="submit" class="primary">
        Confirm
      </button>
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
    </form>
  );
}

/** Sessions table (own, or everyone's for admins with `all`). */
export function SessionsTable({ all }: { all?: boolean }) {
  const d = useData(() => get<{ sessions: Sess[] }>(`/api/v1/sessions${all ? '?all=true' : ''}`), [all]);
  const [err, setErr] = useState<Error | null>(null);
  return (
    <Loaded d={d} what="sessions">
      {({ sessions }) => (
        <>
          <Grid cols={[all && 'User', 'Signed in', 'Last seen', 'Address', 'Browser', 'Action']}>
            {sessions.map((s) => (
              <tr key={s.id}>
                {all && <td>{s.userId}</td>}
                <td class="ts">{fmtTime(s.createdAt)}</td>
                <td class="ts">{fmtTime(s.lastSeenAt)}</td>
                <td>{s.ip}</td>
                <td class="ua">{s.userAgent}</td>
                <td>
                  {s.current ? (
                    'this session'
                  ) : (
                    <button type="button" onClick={() => del(`/api/v1/sessions/${s.id}`).then(d.reload, setErr)}>
                      End
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </Grid>
          {!all && sessions.length > 1 && (
            <button type="button" onClick={() => post('/api/v1/sessions/end-others').then(d.reload, setErr)}>
              End all other sessions
            </button>
          )}
          {err && <ErrorBox error={err} title="Session not ended" />}
        </>
      )}
    </Loaded>
  );
}

/** Token list and creation form (own tokens, or all for admins). */
export function TokensSection({ all }: { all?: boolean }) {
  const d = useData(() => get<{ tokens: Tok[] }>(`/api/v1/tokens${all ? '?all=true' : ''}`), [all]);
  const [name, setName] = useState('');
  const [role, setRole] = useState('viewer');
  const [days, setDays] = useState('30');
  const [created, setCreated] = useState<string | null>(null);
  const re = useReauth();
  return (
    <>
      {created && (
        <div class="msg info" role="status">
          <strong>Token created — copy it now, it is not shown again:</strong>
          <p>
            <code class="secret">{created}</code>
          </p>
        </div>
      )}
      <Loaded d={d} what="tokens">
        {({ tokens }) =>
          tokens.length === 0 ? (
            <p class="muted">No API tokens.</p>
          ) : (
            <Grid cols={['Name', 'Prefix', 'Role', 'Expires', 'Last used', 'Action']}>
              {tokens.map((t) => (
                <tr key={t.id}>
                  <td>{t.name}</td>
                  <td>
                    <code>{t.prefix}…</code>
                  </td>
                  <td>{t.role}</td>
                  <td class="ts">{fmtTime(t.expiresAt)}</td>
                  <td class="ts">
                    {fmtTime(t.lastUsedAt)} {t.lastUsedIp}
                  </td>
                  <td>{t.revokedAt ? <span class="ts">revoked {fmtTime(t.revokedAt)}</span> : <button type="button" onClick={() => void re.run(() => del(`/api/v1/tokens/${t.id}`).then(d.reload))}>Revoke</button>}</td>
                </tr>
              ))}
            </Grid>
          )
        }
      </Loaded>
      <form
        class="inline"
        onSubmit={(e) => {
          e.preventDefault();
          void re.run(async () => {
            const r = await post<{ token: string }>('/api/v1/tokens', { name, role, expiresInDays: Number(days) });
            setCreated(r.token);
            setName('');
            d.reload();
          });
        }}
      >
        <label for="tok-name">Name</label>
        <input id="tok-name" value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} required placeholder="ci" />
        <label for="tok-role">Role</label>
        <select id="tok-role" value={role} onChange={(e) => setRole((e.target as HTMLSelectElement).value)}>
          <option value="viewer">viewer</option>
          <option value="admin">admin</option>
        </select>
        <label for="tok-days">Days</label>
        <input id="tok-days" type="number" min={1} max={365} value={days} onInput={(e) => setDays((e.target as HTMLInputElement).value)} />
        <button type="submit">Create token</button>
      </form>
      {re.dialog}
      {re.err && <ErrorBox error={re.err} title="Token not changed" />}
    </>
  );
}

/** The account page. */
export function AccountPage() {
  const d = useData(() => session(), []);
  const [cur, setCur] = useState('');
  const [next, setNext] = useState('');
  const [endOthers, setEndOthers] = useState(true);
  const [pwMsg, setPwMsg] = useState<string | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const re = useReauth();
  return (
    <main id="main">
      <PageHead title="Your account" />
      <Loaded d={d} what="your account">
        {(s: SessionStatus) => (
          <>
            <p>
              Signed in as <strong>{s.user?.name}</strong> ({s.user?.role}) · session ends by <span class="ts">{fmtTime(s.session?.expiresAt)}</span> · {s.user?.recoveryCodesLeft ?? 0} recovery codes left
            </p>
            <section aria-labelledby="h-pw">
              <h2 id="h-pw">Password</h2>
              <form
                onSubmit={(e) => {
                  e.preventDefault();
                  setPwMsg(null);
                  void re.run(async () => {
                    const r = await post<{ endedSessions: number }>('/api/v1/auth/password', { currentPassword: cur, newPassword: next, endOtherSessions: endOthers });
                    setPwMsg(`Password changed${r.endedSessions ? `; ${r.endedSessions} other sessions ended` : ''}.`);
                    setCur('');
                    setNext('');
                  });
                }}
              >
                <Field label="Current password" name="cur" type="password" value={cur} onInput={setCur} autocomplete="current-password" required />
                <Field label="New password" name="new" type="password" value={next} onInput={setNext} autocomplete="new-password" required minLength={15} hint="15 to 128 characters." />
                <label class="check">
                  <input type="checkbox" checked={endOthers} onChange={(e) => setEndOthers((e.target as HTMLInputElement).checked)} /> End my other sessions
                </label>
                <button type="submit">Change password</button>
              </form>
              {pwMsg && <Notice>{pwMsg}</Notice>}
            </section>
            <section aria-labelledby="h-rc">
              <h2 id="h-rc">Recovery codes</h2>
              {codes ? (
                <RecoveryCodes codes={codes} />
              ) : (
                <button type="button" onClick={() => void re.run(async () => setCodes((await post<{ recoveryCodes: string[] }>('/api/v1/auth/recovery-codes')).recoveryCodes))}>
                  Make new recovery codes (voids the old ones)
                </button>
              )}
            </section>
            <section aria-labelledby="h-sess">
              <h2 id="h-sess">Sessions</h2>
              <SessionsTable />
            </section>
            <section aria-labelledby="h-tok">
              <h2 id="h-tok">API tokens</h2>
              <p class="muted">For scripts and CI: send as <code>Authorization: Bearer lks_…</code>. Creating one asks for your password and code.</p>
              <TokensSection />
            </section>
            {re.dialog}
            {re.err && <ErrorBox error={re.err} title="Not changed" />}
          </>
        )}
      </Loaded>
    </main>
  );
}
