/**
 * Sign-in, MFA, first set-up, invitation and TOTP enrolment: the flows of the accounts issue
 * (src/server/auth/http.ts) as pages. Set-up and invitation links carry their one-time token in
 * the fragment (`/setup#token=...`), which never reaches the server's logs.
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, post, type SessionStatus } from '../api';
import { ErrorBox, Field, Notice } from '../components';

type Done = (s: SessionStatus) => void;

function Card({ title, children, lead }: { title: string; lead?: string; children: preact.ComponentChildren }) {
  return (
    <main class="auth" id="main">
      <div class="card">
        <p class="brand" aria-hidden="true">
          leakscope
        </p>
        <h1>{title}</h1>
        {lead && <p class="lead">{lead}</p>}
        {children}
      </div>
    </main>
  );
}

function useSubmit<T>(f: () => Promise<T>, ok: (r: T) => void) {
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<Error | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setErr(null);
    try {
      ok(await f());
    } catch (x) {
      setErr(x as Error);
    } finally {
      setBusy(false);
    }
  };
  return { busy, err, submit };
}

/** Username + password. */
export function LoginPage({ done, notice }: { done: Done; notice?: string | undefined }) {
  const [username, setU] = useState('');
  const [password, setP] = useState('');
  const s = useSubmit(() => post<SessionStatus>('/api/v1/auth/login', { username, password }, true), done);
  return (
    <Card title="Sign in" lead="Profiles can contain secrets: every account signs in with a password and an authenticator code.">
      {notice && <Notice>{notice}</Notice>}
      <form onSubmit={s.submit}>
        <Field label="User name" name="username" value={username} onInput={setU} autocomplete="username" required />
        <Field label="Password" name="password" type="password" value={password} onInput={setP} autocomplete="current-password" required />
        {s.err && <ErrorBox error={s.err} title="Not signed in" />}
        <button type="submit" class="primary" disabled={s.busy}>
          {s.busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </Card>
  );
}

/** The second factor: a TOTP code, or a recovery code. */
export function MfaPage({ done, user }: { done: Done; user: string }) {
  const [code, setCode] = useState('');
  const [recovery, setRecovery] = useState(false);
  const s = useSubmit(() => post<SessionStatus>('/api/v1/auth/mfa', recovery ? { recoveryCode: code } : { code }, true), done);
  return (
    <Card title="Enter your code" lead={`Signed in as ${user}. Open your authenticator app and enter the 6-digit code for leakscope.`}>
      <form onSubmit={s.submit}>
        {recovery ? (
          <Field label="Recovery code" name="recovery" value={code} onInput={setCode} autocomplete="off" required hint="One of the ten codes you saved when you set up your authenticator. Each works once." />
        ) : (
          <Field label="Authenticator code" name="code" value={code} onInput={setCode} autocomplete="one-time-code" inputmode="numeric" pattern="[0-9 ]{6,7}" required />
        )}
        {s.err && <ErrorBox error={s.err} title="Code not accepted" />}
        <button type="submit" class="primary" disabled={s.busy}>
          Verify
        </button>
        <button type="button" class="link" onClick={() => (setRecovery(!recovery), setCode(''))}>
          {recovery ? 'Use the authenticator app instead' : 'Use a recovery code instead'}
        </button>
      </form>
    </Card>
  );
}

function tokenOfHash(): string {
  return new URLSearchParams(location.hash.slice(1)).get('token') ?? '';
}

/** First start: the console's one-time link creates the first admin. */
export function SetupPage({ done }: { done: Done }) {
  const [token] = useState(tokenOfHash);
  const [username, setU] = useState('');
  const [password, setP] = useState('');
  const [again, setA] = useState('');
  const s = useSubmit(async () => {
    if (password !== again) throw new ApiError(400, 'mismatch', 'The two passwords differ.');
    return post<SessionStatus>('/api/v1/auth/setup', { token, username, password }, true);
  }, done);
  if (!token) return <Card title="Set up leakscope"><Notice title="This page needs the set-up link">Open the one-time link that `leakscope monitor` printed to its console when it started (it is valid for 15 minutes; restart the monitor for a new one).</Notice></Card>;
  return (
    <Card title="Create the first admin" lead="This account administers users, tokens and silences. Next you will set up an authenticator app.">
      <form onSubmit={s.submit}>
        <Field label="User name" name="username" value={username} onInput={setU} autocomplete="username" required />
        <PasswordFields password={password} setP={setP} again={again} setA={setA} />
        {s.err && <ErrorBox error={s.err} title="Not created" />}
        <button type="submit" class="primary" disabled={s.busy}>
          Create admin
        </button>
      </form>
    </Card>
  );
}

function PasswordFields({ password, setP, again, setA }: { password: string; setP: (v: string) => void; again: string; setA: (v: string) => void }) {
  return (
    <>
      <Field label="Password" name="password" type="password" value={password} onInput={setP} autocomplete="new-password" required minLength={15} hint="15 to 128 characters; a few unrelated words work well. Common passwords are refused." />
      <Field label="Password again" name="password2" type="password" value={again} onInput={setA} autocomplete="new-password" required />
    </>
  );
}

/** An invited user sets a password. */
export function InvitePage({ done }: { done: Done }) {
  const [token] = useState(tokenOfHash);
  const [info, setInfo] = useState<{ name: string; role: string } | null>(null);
  const [infoErr, setInfoErr] = useState<Error | null>(null);
  const [password, setP] = useState('');
  const [again, setA] = useState('');
  useEffect(() => {
    if (token) post<{ name: string; role: string }>('/api/v1/auth/invite/info', { token }, true).then(setInfo, setInfoErr);
  }, [token]);
  const s = useSubmit(async () => {
    if (password !== again) throw new ApiError(400, 'mismatch', 'The two passwords differ.');
    return post<SessionStatus>('/api/v1/auth/invite/accept', { token, password }, true);
  }, done);
  if (!token) return <Card title="Accept an invitation"><Notice>Open the invitation link your admin sent you.</Notice></Card>;
  return (
    <Card title="Accept your invitation" lead={info ? `You are invited as ${info.name} (${info.role}). Choose a password, then set up an authenticator app.` : undefined}>
      {infoErr && <ErrorBox error={infoErr} title="This invitation cannot be used" />}
      <form onSubmit={s.submit}>
        <PasswordFields password={password} setP={setP} again={again} setA={setA} />
        {s.err && <ErrorBox error={s.err} title="Not accepted" />}
        <button type="submit" class="primary" disabled={s.busy || !!infoErr}>
          Set password
        </button>
      </form>
    </Card>
  );
}

/** Shows recovery codes once, with a download. */
export function RecoveryCodes({ codes }: { codes: string[] }) {
  const href = 'data:text/plain;charset=utf-8,' + encodeURIComponent(codes.join('\n') + '\n');
  return (
    <div class="recovery">
      <p>Save these recovery codes somewhere safe. Each signs you in once if you lose your authenticator; they are not shown again.</p>
      <ol class="codes" aria-label="Recovery codes">
        {codes.map((c) => (
          <li key={c}>
            <code>{c}</code>
          </li>
        ))}
      </ol>
      <a class="button" href={href} download="leakscope-recovery-codes.txt">
        Download codes
      </a>
    </div>
  );
}

/** TOTP enrolment: QR code and secret, confirmed by a code; then the recovery codes. */
export function EnrolPage({ done, user }: { done: Done; user: string }) {
  const [enrol, setEnrol] = useState<{ secret: string; qrDataUrl: string; uri: string } | null>(null);
  const [err, setErr] = useState<Error | null>(null);
  const [code, setCode] = useState('');
  const [result, setResult] = useState<(SessionStatus & { recoveryCodes: string[] }) | null>(null);
  useEffect(() => {
    post<{ secret: string; qrDataUrl: string; uri: string }>('/api/v1/auth/mfa/enrol', {}, true).then(setEnrol, setErr);
  }, []);
  const s = useSubmit(() => post<SessionStatus & { recoveryCodes: string[] }>('/api/v1/auth/mfa/enrol/confirm', { code }, true), setResult);
  if (result)
    return (
      <Card title="Authenticator set up">
        <RecoveryCodes codes={result.recoveryCodes} />
        <button type="button" class="primary" onClick={() => done(result)}>
          I saved them — continue
        </button>
      </Card>
    );
  return (
    <Card title="Set up your authenticator" lead={`Every account uses a second factor. Scan the code with an authenticator app (any TOTP app), then enter the 6-digit code it shows. Account: ${user}.`}>
      {err && <ErrorBox error={err} title="Could not start the set-up" />}
      {enrol && (
        <div class="enrol">
          <img src={enrol.qrDataUrl} width={200} height={200} alt={`QR code for the authenticator secret of ${user}`} />
          <p>
            Or type this secret: <code class="secret" data-testid="totp-secret">{enrol.secret}</code>
          </p>
        </div>
      )}
      <form onSubmit={s.submit}>
        <Field label="Code from the app" name="code" value={code} onInput={setCode} autocomplete="one-time-code" inputmode="numeric" required />
        {s.err && <ErrorBox error={s.err} title="Code not accepted" />}
        <button type="submit" class="primary" disabled={s.busy || !enrol}>
          Confirm
        </button>
      </form>
    </Card>
  );
}
