// What decides which routes the access policies deny (lib/access-levels.ts): whether an IAM resource pattern can match a request to a route.
import { iamPatternReachesTemplate } from '../../lib/iam-wildcards';

/** IAM: `*` any run of characters, `/` included; `?` one character. */
const iamRegex = (pattern: string): RegExp => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
/** The router: `{name}` one segment. */
const templateRegex = (template: string): RegExp => new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);

describe('iamPatternReachesTemplate', () => {
  it.each([
    ['GET/admin/contacts/*/*/*', 'GET/admin/contacts/{channel}/{accountId}/{userId}/export', true],
    ['GET/admin/contacts/*/*', 'GET/admin/contacts/{channel}/{accountId}/{userId}/export', true],
    ['GET/admin/contacts/*/*/*/export', 'GET/admin/contacts/{channel}/{accountId}/{userId}', false],
    ['GET/admin/contacts/*/*/*/export', 'GET/admin/contacts/{channel}/{accountId}/{userId}/sends', false],
    ['DELETE/admin/contacts/*/*/*', 'DELETE/admin/contacts/{channel}/{accountId}/{userId}/handoff', true],
    ['DELETE/admin/contacts/*/*/*/handoff', 'DELETE/admin/contacts/{channel}/{accountId}/{userId}', false],
    ['*/GET/admin/health', '{stage}/DELETE/admin/contacts/{channel}/{accountId}/{userId}', true],
    ['*/GET/admin/health', '{stage}/DELETE/admin/contacts/whatsapp/{accountId}/{userId}', false],
    ['GET/admin/sends/?', 'GET/admin/sends/{outboxId}', true],
    ['GET/admin/sends/??', 'GET/admin/sends/{outboxId}/x', false],
  ])('%s reaches %s: %s', (pattern, template, expected) => {
    // Assess
    expect(iamPatternReachesTemplate(pattern, template)).toBe(expected);
  });

  it('agrees with matching every short path against both, for small patterns and templates', () => {
    // Prepare
    const strings = (alphabet: readonly string[], maxLength: number): string[] => {
      const all = [''];
      for (let at = 0; all[at] !== undefined; at += 1) {
        const s = all[at] as string;
        if (s.length < maxLength) for (const c of alphabet) all.push(s + c);
      }
      return all;
    };
    const paths = strings(['a', 'b', '/'], 8);
    const patterns = strings(['a', '/', '*', '?'], 4);
    const templates = strings(['a', '/', '{x}'], 3);
    const disagreements: string[] = [];

    // Act
    for (const template of templates) {
      const served = paths.filter((path) => templateRegex(template).test(path));
      for (const pattern of patterns) {
        const matched = served.some((path) => iamRegex(pattern).test(path));
        if (iamPatternReachesTemplate(pattern, template) !== matched) disagreements.push(`${pattern} ~ ${template}: ${String(matched)}`);
      }
    }

    // Assess
    expect(disagreements).toEqual([]);
  });
});
