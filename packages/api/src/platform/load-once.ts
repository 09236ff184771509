/** A load run at most once at a time, its result kept; see `loadOnce`. */
export interface Loader<T> {
  (): Promise<T>;
  /** The load under way or done, if one was started: for clean-up that must not start one. */
  started(): Promise<T> | undefined;
}

/**
 * Runs `load` on the first call and keeps its result for every later one; a load that
 * failed is run again by the next call instead of failing it for the process's life. For
 * a module a process may never need (`import()` on first use).
 */
export function loadOnce<T>(load: () => Promise<T>): Loader<T> {
  let loading: Promise<T> | undefined;
  const loader = (): Promise<T> => {
    loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return loading;
  };
  loader.started = () => loading;
  return loader;
}
