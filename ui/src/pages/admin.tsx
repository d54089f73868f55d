/** Admin: users (invite, role, disable, end sessions), every token, the audit log (filter, export). */
import { useState } from 'preact/hooks';
import { del, get, post, put } from '../api';
import { ErrorBox, Grid, Loaded, PageHead, useData } from '../components';
import { replaceQuery, useRoute } from '../router';
import { fmtTime } from '../util';
import { SessionsTable, TokensSection } from './account';

interface User {
  id: number;
  name: string;
  role: string;
  status: string;
  disabled: boolean;
  createdAt: number;
  createdBy: string | null;
}

function AdminNav({ cur }: { cur: string }) {
  const l = (href: string, label: string) => (
    <li>
      <a href={href} aria-current={cur === href ? 'page' : undefined}>
        {label}
      </a>
    </li>
  );
  return (
    <nav aria-label="Admin" class="subnav">
      <ul>
        {l('/admin/users', 'Users')}
        {l('/admin/tokens', 'Tokens')}
        {l('/admin/audit', 'Audit log')}
      </ul>
    </nav>
  );
}

/** Users. */
export function UsersPage() {
  const d = useData(() => get<{ users: User[] }>('/api/v1/users'), []);
  const [name, setName] = useState('');
  const [role, setRole] = useState('viewer');
  const [invite, setInvite] = useState<{ url: string; expiresAt: number } | null>(null);
  const [err, setErr] = useState<Error | null>(null);
  const act = (p: Promise<unknown>) => p.then(d.reload, setErr);
  return (
    <main id="main">
      <PageHead title="Users" />
      <AdminNav cur="/admin/users" />
      <Loaded d={d} what="users">
        {({ users }) => (
          <Grid cols={['Name', 'Role', 'Status', 'Created', 'Actions']}>
            {users.map((u) => (
              <tr key={u.id}>
                <td>{u.name}</td>
                <td>
                  <label class="sr" for={`role-${u.id}`}>
                    Role of {u.name}
                  </label>
                  <select id={`role-${u.id}`} value={u.role} onChange={(e) => act(put(`/api/v1/users/${u.id}`, { role: (e.target as HTMLSelectElement).value }))}>
                    <option value="viewer">viewer</option>
                    <option value="admin">admin</option>
                  </select>
                </td>
                <td>{u.status}</td>
                <td class="ts">
                  {fmtTime(u.createdAt)} {u.createdBy && `by ${u.createdBy}`}
                </td>
                <td>
                  <button type="button" onClick={() => act(put(`/api/v1/users/${u.id}`, { disabled: !u.disabled }))}>
                    {u.disabled ? 'Enable' : 'Disable'}
                  </button>{' '}
                  <button type="button" onClick={() => act(del(`/api/v1/users/${u.id}/sessions`))}>
                    End sessions
                  </button>{' '}
                  {u.status === 'invited' && (
                    <button type="button" onClick={() => post<{ invite: { url: string; expiresAt: number } }>(`/api/v1/users/${u.id}/invite`).then((r) => setInvite(r.invite), setErr)}>
                      New invitation link
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </Grid>
        )}
      </Loaded>
      <h2>Invite a user</h2>
      <form
        class="inline"
        onSubmit={(e) => {
          e.preventDefault();
          post<{ invite: { url: string; expiresAt: number } }>('/api/v1/users', { name, role }).then((r) => (setInvite(r.invite), setName(''), d.reload()), setErr);
        }}
      >
        <label for="inv-name">Name</label>
        <input id="inv-name" value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} required />
        <label for="inv-role">Role</label>
        <select id="inv-role" value={role} onChange={(e) => setRole((e.target as HTMLSelectElement).value)}>
          <option value="viewer">viewer</option>
          <option value="admin">admin</option>
        </select>
        <button type="submit">Invite</button>
      </form>
      {invite && (
        <div class="msg info" role="status">
          <strong>Send this one-time link to the user (valid until {fmtTime(invite.expiresAt)}):</strong>
          <p>
            <code class="secret">{invite.url}</code>
          </p>
        </div>
      )}
      {err && <ErrorBox error={err} title="Not changed" />}
      <h2>All sessions</h2>
      <SessionsTable all />
    </main>
  );
}

/** Every token. */
export function TokensPage() {
  return (
    <main id="main">
      <PageHead title="API tokens" />
      <AdminNav cur="/admin/tokens" />
      <TokensSection all />
    </main>
  );
}

interface Ev {
  id: number;
  ts: number;
  type: string;
  outcome: string;
  actor: string;
  ip: string | null;
  subject: string | null;
  details: Record<string, unknown>;
}

/** The audit log with filters by type and actor. */
export function AuditPage() {
  const r = useRoute();
  const type = r.q.get('type') ?? '';
  const actor = r.q.get('actor') ?? '';
  const qs = new URLSearchParams({ limit: '500', ...(type ? { type } : {}), ...(actor ? { actor } : {}) });
  const d = useData(() => get<{ events: Ev[] }>(`/api/v1/audit?${qs}`), [type, actor]);
  return (
    <main id="main">
      <PageHead title="Audit log">
        <a class="button" href={`/api/v1/audit?${qs}&format=jsonl`} download>
          Export (JSON lines)
        </a>
      </PageHead>
      <AdminNav cur="/admin/audit" />
      <form class="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <label for="au-type">Type</label>
        <input id="au-type" type="search" value={type} onChange={(e) => replaceQuery({ type: (e.target as HTMLInputElement).value })} placeholder="auth.login" />
        <label for="au-actor">Actor</label>
        <input id="au-actor" type="search" value={actor} onChange={(e) => replaceQuery({ actor: (e.target as HTMLInputElement).value })} />
      </form>
      <Loaded d={d} what="the audit log">
        {({ events }) => (
          <Grid cols={['Time', 'Event', 'Outcome', 'Actor', 'Address', 'Subject', 'Details']}>
            {events.map((e) => (
              <tr key={e.id}>
                <td class="ts">{fmtTime(e.ts)}</td>
                <td>
                  <code>{e.type}</code>
                </td>
                <td class={`outcome ${e.outcome}`}>{e.outcome}</td>
                <td>{e.actor}</td>
                <td>{e.ip}</td>
                <td>{e.subject}</td>
                <td class="details">
                  <code>{JSON.stringify(e.details)}</code>
                </td>
              </tr>
            ))}
          </Grid>
        )}
      </Loaded>
    </main>
  );
}
