/** App names: every name the plan carries is a DNS label (Backend.im and nginx use it as a host part). */

/** Makes a DNS label from a package or folder name: scope stripped, lower-case, [a-z0-9-], at most 63. */
export function toDnsLabel(raw: string): string {
  const unscoped = raw.replace(/^@[^/]+\//, '');
  const label = unscoped
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return label || 'app';
}
