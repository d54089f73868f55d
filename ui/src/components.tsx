/** Small shared pieces: loading/error states (never a blank page), data hook, tables. */
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from './api';

/** A data request bound to its dependencies: `{data, error, loading, reload}`. */
export function useData<T>(load: () => Promise<T>, deps: unknown[]): { data: T | undefined; error: ApiError | Error | undefined; loading: boolean; reload: () => void } {
  const [state, setState] = useState<{ data?: T; error?: Error; loading: boolean }>({ loading: true });
  const [n, setN] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ data: s.data, loading: true }));
    load().then(
      (data) => live && setState({ data, loading: false }),
      (error: Error) => live && setState({ error, loading: false }),
    );
    return () => void (live = false);
  }, [...deps, n]);
  return { data: state.data, error: state.error, loading: state.loading, reload: () => setN((x) => x + 1) };
}

/** A clear message for a failed request (the server's own words). */
export function ErrorBox({ error, title }: { error: Error; title?: string }) {
  const code = error instanceof ApiError ? error.code : 'error';
  return (
    <div class="msg error" role="alert" data-code={code}>
      <strong>{title ?? 'Something went wrong'}</strong>
      <p>{error.message}</p>
    </div>
  );
}

/** An informational notice (no data yet, nothing found). */
export function Notice({ children, title }: { children: ComponentChildren; title?: string }) {
  return (
    <div class="msg info" role="status">
      {title && <strong>{title}</strong>}
      <p>{children}</p>
    </div>
  );
}

/** Loading placeholder. */
export function Loading({ what }: { what: string }) {
  return (
    <p class="loading" role="status" aria-live="polite">
      Loading {what}…
    </p>
  );
}

/** Wraps a page's data states: loading, error, or the content. */
export function Loaded<T>({ d, what, children }: { d: { data: T | undefined; error: Error | undefined; loading: boolean }; what: string; children: (data: T) => ComponentChildren }) {
  if (d.error) return <ErrorBox error={d.error} title={`Could not load ${what}`} />;
  if (d.data === undefined) return <Loading what={what} />;
  return <>{children(d.data)}</>;
}

/** Page heading with optional actions on the right. */
export function PageHead({ title, children }: { title: ComponentChildren; children?: ComponentChildren }) {
  return (
    <div class="pagehead">
      <h1>{title}</h1>
      {children && <div class="actions">{children}</div>}
    </div>
  );
}

/**
 * A data table with column headers (`scope="col"`, as WCAG H63 asks); a falsy column is left out
 * (a column only some viewers see). The children are the body rows.
 */
export function Grid({ cols, className, caption, children }: { cols: readonly (string | false | undefined)[]; className?: string; caption?: string; children: ComponentChildren }) {
  return (
    <table class={className ? `grid ${className}` : 'grid'}>
      {caption && <caption class="sr">{caption}</caption>}
      <thead>
        <tr>
          {cols.map((c, i) =>
            c ? (
              <th scope="col" key={i}>
                {c}
              </th>
            ) : null,
          )}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}

/** A labelled text input. */
export function Field(p: { label: string; name: string; type?: string; value: string; onInput: (v: string) => void; autocomplete?: string; required?: boolean; inputmode?: string; hint?: string; pattern?: string; minLength?: number }) {
  const id = `f-${p.name}`;
  return (
    <div class="field">
      <label for={id}>{p.label}</label>
      <input
        id={id}
        name={p.name}
        type={(p.type ?? 'text') as 'text'}
        value={p.value}
        onInput={(e) => p.onInput((e.target as HTMLInputElement).value)}
        autocomplete={p.autocomplete}
        required={p.required}
        inputMode={p.inputmode as 'numeric' | undefined}
        pattern={p.pattern}
        minLength={p.minLength}
        aria-describedby={p.hint ? `${id}-hint` : undefined}
      />
      {p.hint && (
        <small id={`${id}-hint`} class="hint">
          {p.hint}
        </small>
      )}
    </div>
  );
}
