const KEY = 'ecs-state-token';

/** The bearer token lives in the tab's session only: closing the tab forgets it. */
export const tokenStore = {
  get(): string | null {
    return sessionStorage.getItem(KEY);
  },
  set(token: string): void {
    sessionStorage.setItem(KEY, token);
  },
  clear(): void {
    sessionStorage.removeItem(KEY);
  },
};
