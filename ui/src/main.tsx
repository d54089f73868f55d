/**
 * The leakscope dashboard: a single-page app over the monitor's JSON API. The session decides
 * what is shown (sign-in, MFA, enrolment, or the pages); every page's state is in the URL.
 */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { onSessionEnded, post, rememberCsrf, session, type SessionStatus } from './api';
import { ErrorBox, Loading } from './components';
import { linkClick, navigate, useRoute } from './router';
import { EnrolPage, InvitePage, LoginPage, MfaPage, SetupPage } from './pages/auth';
import { FleetPage } from './pages/fleet';
import { TargetPage } from './pages/target';
import { GoroutinesPage } from './pages/goroutines';
import { DiffPage, FlamePage } from './pages/flame';
import { AlertPage, AlertsPage } from './pages/alerts';
import { SignaturesPage } from './pages/signatures';
import { QueryPage } from './pages/query';
import { AccountPage } from './pages/account';
import { AuditPage, TokensPage, UsersPage } from './pages/admin';
import './styles.css';

function Nav({ s }: { s: SessionStatus }) {
  const r = useRoute();
  const item = (href: string, label: string) => {
    const cur = href === '/' ? r.path === '/' || r.path.startsWith('/targets') : r.path.startsWith(href);
    return (
      <li>
        <a href={href} aria-current={cur ? 'page' : undefined}>
          {label}
        </a>
      </li>
    );
  };
  return (
    <header class="top">
      <a class="skip" href="#main">
        Skip to content
      </a>
      <a class="brand" href="/">
        leakscope
      </a>
      <nav aria-label="Main">
        <ul>
          {item('/', 'Fleet')}
          {item('/alerts', 'Alerts')}
          {item('/signatures', 'Signatures')}
          {item('/query', 'Query')}
          {s.user?.role === 'admin' && item('/admin', 'Admin')}
        </ul>
      </nav>
      <div class="who">
        <a href="/account">{s.user?.name}</a> ({s.user?.role})
        <button
          type="button"
          class="link"
          onClick={async () => {
            await post('/api/v1/auth/logout', {}, true).catch(() => undefined);
            location.assign('/login');
          }}
        >
          Sign out
        </button>
      </div>
    </header>
  );
}

function Pages() {
  const r = useRoute();
  const p = r.parts;
  if (p.length === 0) return <FleetPage />;
  if (p[0] === 'targets' && p[1]) {
    if (!p[2]) return <TargetPage id={p[1]} />;
    if (p[2] === 'goroutines') return <GoroutinesPage id={p[1]} />;
    if (p[2] === 'flame') return <FlamePage id={p[1]} />;
    if (p[2] === 'diff') return <DiffPage id={p[1]} />;
  }
  if (p[0] === 'alerts') return p[1] ? <AlertPage id={p[1]} /> : <AlertsPage />;
  if (p[0] === 'signatures') return <SignaturesPage />;
  if (p[0] === 'query') return <QueryPage />;
  if (p[0] === 'account') return <AccountPage />;
  if (p[0] === 'admin') return p[1] === 'tokens' ? <TokensPage /> : p[1] === 'audit' ? <AuditPage /> : <UsersPage />;
  return (
    <main id="main">
      <h1>Page not found</h1>
      <p>
        There is no page at <code>{r.path}</code>. <a href="/">Go to the fleet</a>.
      </p>
    </main>
  );
}

function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, true), [to]);
  return null;
}

const AUTH_PATHS = new Set(['/login', '/setup', '/invite']);

function App() {
  const [s, setS] = useState<SessionStatus | null>(null);
  const [err, setErr] = useState<Error | null>(null);
  const [notice, setNotice] = useState<string | undefined>();
  const r = useRoute();
  const load = () => session().then((x) => (rememberCsrf(x), setS(x)), setErr);
  useEffect(() => {
    void load();
    onSessionEnded(() => {
      // The session ended mid-page: sign in again, then come back to the same URL.
      const here = location.pathname + location.search;
      setNotice('Your session has ended (signed out, timed out or revoked). Sign in again to continue where you were.');
      // Signed out at once, so the pages stop asking and the sign-in page shows.
      setS((prev) => (prev ? { ...prev, authenticated: false, state: null, user: null, session: null } : prev));
      if (!AUTH_PATHS.has(location.pathname)) navigate('/login?next=' + encodeURIComponent(here), true);
      void load();
    });
  }, []);
  if (err) return <main id="main"><ErrorBox error={err} title="The leakscope server does not answer" /></main>;
  if (!s) return <Loading what="leakscope" />;
  const done = (x: SessionStatus) => {
    rememberCsrf(x);
    setS(x);
    if (x.authenticated) {
      setNotice(undefined);
      const next = new URLSearchParams(location.search).get('next');
      navigate(AUTH_PATHS.has(location.pathname) ? (next && next.startsWith('/') && !next.startsWith('//') ? next : '/') : location.pathname + location.search, true);
    }
  };
  if (!s.authenticated) {
    if (s.state === 'mfa') return <MfaPage done={done} user={s.user?.name ?? ''} />;
    if (s.state === 'enrol') return <EnrolPage done={done} user={s.user?.name ?? ''} />;
    if (r.path === '/setup') return <SetupPage done={done} />;
    if (r.path === '/invite') return <InvitePage done={done} />;
    if (s.setupRequired) return <SetupPage done={done} />;
    if (r.path !== '/login') return <Redirect to={'/login?next=' + encodeURIComponent(r.path + location.search)} />;
    return <LoginPage done={done} notice={notice} />;
  }
  if (AUTH_PATHS.has(r.path)) return <Redirect to="/" />;
  return (
    <div onClick={linkClick}>
      <Nav s={s} />
      <Pages />
    </div>
  );
}

render(<App />, document.getElementById('app')!);
