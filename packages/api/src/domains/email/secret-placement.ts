import { invalid } from '@phoenix/errors';
import Handlebars from 'handlebars';
import type { TemplateSource } from './defaults.ts';
import { secretRulesOf, type Trigger } from './triggers.ts';

interface Use {
  name: string;
  /** The template text before and after the mustache, as written (blocks flattened). */
  before: string;
  after: string;
}

type Token = { content: string } | { output: string };

/** Every `{{name}}` a template outputs, with the literal text around it, in order. */
function usesOf(source: string): Use[] {
  const tokens: Token[] = [];
  class Flatten extends Handlebars.Visitor {
    override ContentStatement(content: hbs.AST.ContentStatement): void {
      tokens.push({ content: content.value });
    }
    override MustacheStatement(mustache: hbs.AST.MustacheStatement): void {
      const path = mustache.path as hbs.AST.PathExpression;
      tokens.push({ output: path.parts?.[0] ?? '' });
    }
  }
  new Flatten().accept(Handlebars.parse(source));
  const uses: Use[] = [];
  let before = '';
  tokens.forEach((token, index) => {
    if ('content' in token) {
      before += token.content;
      return;
    }
    const next = tokens[index + 1];
    uses.push({ name: token.output, before, after: next && 'content' in next ? next.content : '' });
  });
  return uses;
}

const insideTag = (before: string) => before.lastIndexOf('<') > before.lastIndexOf('>');
const insideRawElement = (before: string) =>
  /<(style|script)\b[^>]*>(?:(?!<\/\1>)[\s\S])*$/i.test(before);
const isWholeHref = (use: Use) => /\shref\s*=\s*"$/i.test(use.before) && use.after.startsWith('"');

/**
 * Refuses a template that could send a secret (a reset code) anywhere but to the reader:
 * see `SECRET_VARIABLES`.
 */
export function assertSecretsPlacedSafely(trigger: Trigger, source: TemplateSource): void {
  const rules = secretRulesOf(trigger);
  if (!rules) return;
  const secret = new Set<string>(rules.anywhereInText);
  const hrefOnly = new Set<string>(rules.asWholeHref);
  const refuse = (field: keyof TemplateSource, name: string, where: string) =>
    invalid(`"${name}" is a secret and may not appear ${where} of the ${field} template`, {
      field,
      reason: 'EMAIL_TEMPLATE_SECRET_PLACEMENT',
    });
  for (const use of usesOf(source.subject)) {
    if (secret.has(use.name)) throw refuse('subject', use.name, 'in the subject');
  }
  for (const use of usesOf(source.html)) {
    if (!secret.has(use.name)) continue;
    if (insideRawElement(use.before)) throw refuse('html', use.name, 'in a style or script');
    if (insideTag(use.before) && !(hrefOnly.has(use.name) && isWholeHref(use))) {
      throw refuse('html', use.name, 'inside a tag, except as a whole href="..."');
    }
  }
}
