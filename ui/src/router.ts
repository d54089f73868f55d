/**
 * URL state: the page, its parameters and its query (target, range, points A/B, filters, focus)
 * live in the URL, so every view can be linked and reloaded and the back button works. Pages
 * read `route()` and change the URL with `navigate` (a new history entry) or `replaceQuery`
 * (typing in a filter box: no entry per keystroke).
 */
import { useEffect, useState } from 'preact/hooks';

/** The current location, parsed. */
export interface Route {
  path: string;
  parts: string[];
  q: URLSearchParams;
  hash: string;
}

function parse(): Route {
  const path = location.pathname.replace(/\/+$/, '') || '/';
  return { path, parts: path.split('/').filter(Boolean), q: new URLSearchParams(location.search), hash: location.hash };
}

const listeners = new Set<() => void>();
function emit(): void {
  for (const l of listeners) l();
}
addEventListener('popstate', emit);

/** Goes to `url` (path and query), adding a history entry. */
export function navigate(url: string, replace = false): void {
  if (url === location.pathname + location.search) return;
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  scrollTo(0, 0);
  emit();
}

/** Sets or clears query parameters of the current page. */
export function withQuery(changes: Record<string, string | number | null | undefined>, base: URLSearchParams = new URLSearchParams(location.search)): string {
  const q = new URLSearchParams(base);
  for (const [k, v] of Object.entries(changes)) {
    if (v === null || v === undefined || v === '') q.delete(k);
    else q.set(k, String(v));
  }
  const s = q.toString();
  return location.pathname + (s ? '?' + s : '');
}

/** Changes query parameters in place (no new history entry). */
export function replaceQuery(changes: Record<string, string | number | null | undefined>): void {
  navigate(withQuery(changes), true);
}

/** Changes query parameters with a history entry (points A/B, range: the back button undoes them). */
export function pushQuery(changes: Record<string, string | number | null | undefined>): void {
  navigate(withQuery(changes));
}

/** The current route; re-renders on every URL change. */
export function useRoute(): Route {
  const [r, setR] = useState(parse);
  useEffect(() => {
    const l = () => setR(parse());
    listeners.add(l);
    return () => void listeners.delete(l);
  }, []);
  return r;
}

/** Click handler for in-app links: plain clicks navigate without reloading. */
export function linkClick(e: MouseEvent): void {
  const a = (e.target as Element).closest('a');
  if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const href = a.getAttribute('href');
  if (!href || !href.startsWith('/') || href.startsWith('/api/') || a.hasAttribute('download') || a.target) return;
  e.preventDefault();
  navigate(href);
}
