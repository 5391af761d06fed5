/**
 * Wraps an environment so that every variable a configuration loader looks up is noted,
 * whether it is set or not. Loaders read variables by name, so the names read while
 * loading a valid configuration are the variables the service understands.
 */
export function recordingEnv(env: NodeJS.ProcessEnv): { env: NodeJS.ProcessEnv; read: Set<string> } {
  const read = new Set<string>();
  const proxy = new Proxy(env, {
    get(target, key) {
      if (typeof key === 'string') read.add(key);
      return Reflect.get(target, key);
    },
    has(target, key) {
      if (typeof key === 'string') read.add(key);
      return Reflect.has(target, key);
    },
  });
  return { env: proxy, read };
}
