import { refuse, type PolicyContext } from './policy-context';
import type { Decision, TemplatePolicyState } from './policy-types';

export interface TemplateRef {
  name: string;
  language: string;
}

/** How `AccountPolicyState.templates` is keyed. */
export const templateKey = (template: TemplateRef): string => `${template.name}#${template.language}`;

/** Only a known, APPROVED template can be sent; other statuses say why not. */
export const templateRefusal = (ctx: PolicyContext, ref: TemplateRef, template: TemplatePolicyState | undefined): Decision | undefined => {
  const rule = ctx.rules.get('template.status');
  const label = `"${templateKey(ref)}"`;
  if (template === undefined) {
    return refuse('template_unknown', rule.id, `Template ${label} is not known for this account: create it or sync the templates.`);
  }
  const status = template.status.toUpperCase();
  const row = rule.params.statuses[status] ?? rule.params.otherwise;
  if (row.sendable) return undefined;
  const remedy = row.remedy === undefined ? '' : `: ${row.remedy}`;
  return refuse(row.refusal ?? 'template_not_approved', rule.id, `Template ${label} is ${status}, which Meta does not send${remedy}.`);
};
