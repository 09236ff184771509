import { z } from 'zod';

const squash = (key: string) => key.toLowerCase().replace(/[-_]/g, '');

/**
 * An input object that refuses unknown keys (zod strips them by default, so `timezone`
 * for `timeZone` would succeed and be ignored). The message names the key and, when a
 * known key differs only in case or separators, suggests it.
 */
export function input<Shape extends z.ZodRawShape>(shape: Shape) {
  const known = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code !== 'unrecognized_keys') return undefined;
      return issue.keys
        .map((key) => {
          const near = known.find((k) => squash(k) === squash(key));
          return near ? `unknown key "${key}" (did you mean "${near}"?)` : `unknown key "${key}"`;
        })
        .join('; ');
    },
  });
}
