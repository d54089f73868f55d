/**
 * @fileoverview Hand-written summaries of the standard library, as far as the program
 * model needs them: which types are concurrency objects, which methods are operations on
 * them, which functions run a function argument (now, later, or on a new goroutine),
 * which return channels the runtime sends on or closes, and which functions only read
 * their channel arguments (so passing a channel to them is not an escape).
 *
 * Every entry is a fact of the Go standard library (the doc comment of the function in
 * `$GOROOT/src` is the source); anything not listed is unknown code, and a concurrency
 * object handed to it escapes.
 */
import { deref, underlying, type Type } from '../../go/types.js';

/** The kinds of concurrency objects the model tracks. */
export type ObjKind = 'chan' | 'mutex' | 'rwmutex' | 'waitgroup' | 'cond' | 'once' | 'context' | 'cancel' | 'timer' | 'ticker';

/** The concurrency kind of a value of type `t` (through pointers and named types), if any. */
export function objKindOf(t: Type): ObjKind | undefined {
  const d = deref(t);
  if (d.kind === 'named') {
    // By package, then name: asked for the type of nearly every expression the model
    // meets, so no `pkg.Name` string is built per question.
    const k = NAMED_KINDS.get(d.pkg)?.get(d.name);
    if (k) return k;
  }
  const u = underlying(d);
  if (u.kind === 'chan') return 'chan';
  return undefined;
}

const NAMED_KINDS = new Map<string, Map<string, ObjKind>>([
  [
    'sync',
    new Map<string, ObjKind>([
      ['Mutex', 'mutex'],
      ['RWMutex', 'rwmutex'],
      ['WaitGroup', 'waitgroup'],
      ['Cond', 'cond'],
      ['Once', 'once'],
    ]),
  ],
  [
    'context',
    new Map<string, ObjKind>([
      ['Context', 'context'],
      ['CancelFunc', 'cancel'],
      ['CancelCauseFunc', 'cancel'],
    ]),
  ],
  [
    'time',
    new Map<string, ObjKind>([
      ['Timer', 'timer'],
      ['Ticker', 'ticker'],
    ]),
  ],
]);

/** True when values of type `t` may hold concurrency objects the model follows (chans, sync values, pointers to them, slices/maps/arrays of them). */
export function carriesObjects(t: Type, depth = 0): boolean {
  if (depth > 4) return false;
  if (objKindOf(t)) return true;
  const u = underlying(deref(t));
  if (u.kind === 'slice' || u.kind === 'array') return carriesObjects(u.elem, depth + 1);
  if (u.kind === 'map') return carriesObjects(u.value, depth + 1);
  if (u.kind === 'chan') return true;
  return false;
}

/** What an operation does to its object. */
export type OpKind =
  | 'send'
  | 'recv'
  | 'range'
  | 'close'
  | 'lock'
  | 'unlock'
  | 'rlock'
  | 'runlock'
  | 'add'
  | 'done'
  | 'wait'
  | 'signal'
  | 'broadcast'
  | 'do'
  | 'cancel'
  | 'stop'
  | 'reset';

/**
 * Methods of the sync, time and context types that are operations, by `pkg.Type.Method`
 * (Go doc: sync.Mutex, sync.RWMutex, sync.WaitGroup, sync.Cond, sync.Once, time.Timer,
 * time.Ticker). `WaitGroup.Go` (Go 1.25) is Add(1) + a goroutine that calls Done.
 */
export const METHOD_OPS = new Map<string, OpKind>([
  ['sync.Mutex.Lock', 'lock'],
  ['sync.Mutex.TryLock', 'lock'],
  ['sync.Mutex.Unlock', 'unlock'],
  ['sync.RWMutex.Lock', 'lock'],
  ['sync.RWMutex.TryLock', 'lock'],
  ['sync.RWMutex.Unlock', 'unlock'],
  ['sync.RWMutex.RLock', 'rlock'],
  ['sync.RWMutex.TryRLock', 'rlock'],
  ['sync.RWMutex.RUnlock', 'runlock'],
  ['sync.WaitGroup.Add', 'add'],
  ['sync.WaitGroup.Done', 'done'],
  ['sync.WaitGroup.Wait', 'wait'],
  ['sync.WaitGroup.Go', 'add'],
  ['sync.Cond.Wait', 'wait'],
  ['sync.Cond.Signal', 'signal'],
  ['sync.Cond.Broadcast', 'broadcast'],
  ['sync.Once.Do', 'do'],
  ['sync.Locker.Lock', 'lock'],
  ['sync.Locker.Unlock', 'unlock'],
  ['time.Timer.Stop', 'stop'],
  ['time.Timer.Reset', 'reset'],
  ['time.Ticker.Stop', 'stop'],
  ['time.Ticker.Reset', 'reset'],
]);

/** How a standard-library function runs one of its function arguments. */
export interface CallbackModel {
  /** Index of the function argument (-1: the receiver is a func value, e.g. http.HandlerFunc). */
  arg: number;
  /** `sync`: before the call returns; `later`: on another goroutine (timer, server); `go`: a new goroutine per call. */
  when: 'sync' | 'later' | 'go';
  /** For goroutine starters: how many goroutines may run it. */
  multiplicity?: 'one' | 'many';
}

/**
 * Standard-library (and x/sync) functions and methods that call a function argument, by
 * `importpath.Name` or `importpath.Type.Method`.
 */
export const CALLBACKS = new Map<string, CallbackModel>([
  ['sync.Once.Do', { arg: 0, when: 'sync' }],
  ['sync.OnceFunc', { arg: 0, when: 'later' }],
  ['sync.WaitGroup.Go', { arg: 0, when: 'go', multiplicity: 'one' }],
  ['time.AfterFunc', { arg: 1, when: 'go', multiplicity: 'one' }],
  ['context.AfterFunc', { arg: 1, when: 'go', multiplicity: 'one' }],
  ['sort.Slice', { arg: 1, when: 'sync' }],
  ['sort.SliceStable', { arg: 1, when: 'sync' }],
  ['sort.Search', { arg: 1, when: 'sync' }],
  ['slices.SortFunc', { arg: 1, when: 'sync' }],
  ['slices.SortStableFunc', { arg: 1, when: 'sync' }],
  ['slices.IndexFunc', { arg: 1, when: 'sync' }],
  ['slices.ContainsFunc', { arg: 1, when: 'sync' }],
  ['slices.DeleteFunc', { arg: 1, when: 'sync' }],
  ['strings.Map', { arg: 0, when: 'sync' }],
  ['strings.FieldsFunc', { arg: 1, when: 'sync' }],
  ['strings.IndexFunc', { arg: 1, when: 'sync' }],
  ['sync.Map.Range', { arg: 0, when: 'sync' }],
  ['path/filepath.Walk', { arg: 1, when: 'sync' }],
  ['path/filepath.WalkDir', { arg: 1, when: 'sync' }],
  ['io/fs.WalkDir', { arg: 2, when: 'sync' }],
  ['net/http.HandleFunc', { arg: 1, when: 'go', multiplicity: 'many' }],
  ['net/http.ServeMux.HandleFunc', { arg: 1, when: 'go', multiplicity: 'many' }],
  ['net/http.HandlerFunc', { arg: 0, when: 'go', multiplicity: 'many' }],
  ['golang.org/x/sync/errgroup.Group.Go', { arg: 0, when: 'go', multiplicity: 'one' }],
  ['golang.org/x/sync/errgroup.Group.TryGo', { arg: 0, when: 'go', multiplicity: 'one' }],
  ['runtime.SetFinalizer', { arg: 1, when: 'later' }],
  ['testing.T.Run', { arg: 1, when: 'go', multiplicity: 'one' }],
  ['testing.T.Cleanup', { arg: 0, when: 'later' }],
  ['testing.B.Run', { arg: 1, when: 'go', multiplicity: 'one' }],
]);

/** Why a channel obtained from the standard library is woken without program code. */
export type StdChanSource = 'timer' | 'context-done' | 'signal';

/**
 * Functions and methods whose (first) result is a channel the runtime sends on or closes
 * (`time.After`: one send after d; `Context.Done`: closed on cancel or deadline).
 */
export const CHAN_RESULTS = new Map<string, StdChanSource>([
  ['time.After', 'timer'],
  ['time.Tick', 'timer'],
  ['context.Context.Done', 'context-done'],
]);

/**
 * Standard-library functions that receive a channel argument and send on it
 * (`signal.Notify(c, ...)` sends each incoming signal without blocking).
 */
export const CHAN_ARG_SENDERS = new Map<string, { arg: number; source: StdChanSource }>([['os/signal.Notify', { arg: 0, source: 'signal' }]]);

/**
 * Standard-library functions that only read the length, capacity or identity of a
 * channel argument or stop using it: passing a channel to them is not an escape.
 */
export const CHAN_ARG_HARMLESS = new Set(['os/signal.Stop', 'os/signal.Reset', 'fmt.Sprintf', 'fmt.Printf', 'fmt.Println', 'fmt.Sprint', 'fmt.Print', 'fmt.Sprintln', 'log.Printf', 'log.Println', 'log.Print']);

/**
 * `fmt` and `errors` functions that call `String()` / `Error()` (and `Format`) on their
 * operands (fmt/print.go `handleMethods`): a call to them may run those methods of the
 * arguments' types.
 */
export const CALLS_STRINGER = new Set([
  'fmt.Sprintf',
  'fmt.Printf',
  'fmt.Fprintf',
  'fmt.Sprint',
  'fmt.Print',
  'fmt.Fprint',
  'fmt.Sprintln',
  'fmt.Println',
  'fmt.Fprintln',
  'fmt.Errorf',
  'fmt.Appendf',
  'log.Printf',
  'log.Println',
  'log.Print',
  'log.Fatalf',
  'log.Panicf',
]);

/** `io` helpers that call the Read/Write methods of their arguments until done (io.Copy: Write of dst, Read of src). */
export const CALLS_READ_WRITE = new Map<string, string[]>([
  ['io.Copy', ['Write', 'Read']],
  ['io.CopyN', ['Write', 'Read']],
  ['io.CopyBuffer', ['Write', 'Read']],
  ['io.ReadFull', ['Read']],
  ['io.ReadAll', ['Read']],
  ['io.ReadAtLeast', ['Read']],
  ['io.WriteString', ['Write']],
]);

/**
 * The context constructors: which results are the child context and its cancel function
 * (context package: WithCancel, WithTimeout, WithDeadline, WithCancelCause; the child's
 * Done channel is closed by the cancel function, the deadline, or the parent's cancel).
 */
export const CONTEXT_CTORS = new Map<string, { ctx: number; cancel?: number; deadline: boolean }>([
  ['context.WithCancel', { ctx: 0, cancel: 1, deadline: false }],
  ['context.WithCancelCause', { ctx: 0, cancel: 1, deadline: false }],
  ['context.WithTimeout', { ctx: 0, cancel: 1, deadline: true }],
  ['context.WithTimeoutCause', { ctx: 0, cancel: 1, deadline: true }],
  ['context.WithDeadline', { ctx: 0, cancel: 1, deadline: true }],
  ['context.WithDeadlineCause', { ctx: 0, cancel: 1, deadline: true }],
  ['context.WithValue', { ctx: 0, deadline: false }],
  ['context.WithoutCancel', { ctx: 0, deadline: false }],
  ['signal.NotifyContext', { ctx: 0, cancel: 1, deadline: false }],
  ['os/signal.NotifyContext', { ctx: 0, cancel: 1, deadline: false }],
]);

/** Constructors returning a timer or ticker whose `.C` the runtime sends on (time.NewTimer, time.NewTicker). */
export const TIMER_CTORS = new Set(['time.NewTimer', 'time.NewTicker']);

/**
 * Servers whose serving call returns a sentinel error once the server is stopped:
 * `http.Server.Serve`, `ServeTLS`, `ListenAndServe` and `ListenAndServeTLS` "always return
 * a non-nil error. After Shutdown or Close, the returned error is ErrServerClosed"
 * (net/http/server.go). Keyed by `pkg.Type`.
 */
export const STOPPABLE_SERVERS = new Map<string, { serve: ReadonlySet<string>; stop: ReadonlySet<string>; closedErr: string }>([
  ['net/http.Server', { serve: new Set(['Serve', 'ServeTLS', 'ListenAndServe', 'ListenAndServeTLS']), stop: new Set(['Shutdown', 'Close']), closedErr: 'net/http.ErrServerClosed' }],
]);
