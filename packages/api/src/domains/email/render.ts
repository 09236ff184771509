import { invalid } from '@phoenix/errors';
import Handlebars from 'handlebars';
import type { TemplateSource } from './defaults.ts';
import { assertSecretsPlacedSafely } from './secret-placement.ts';
import { type Trigger, triggers, variableNames } from './triggers.ts';

/** Handlebars' block helpers a template may use; no custom helpers exist. */
const BUILT_IN_HELPERS = new Set(['if', 'unless', 'each', 'with']);
const COMPILE = { strict: true, knownHelpersOnly: true } as const;

/** The variable names a template source refers to (the heads of its paths). */
function referencedNames(source: string): Set<string> {
  const names = new Set<string>();
  class Collector extends Handlebars.Visitor {
    override PathExpression(path: hbs.AST.PathExpression): void {
      const head = path.parts[0];
      if (!path.data && head && !BUILT_IN_HELPERS.has(path.original)) names.add(head);
    }
  }
  new Collector().accept(Handlebars.parse(source));
  return names;
}

/**
 * Refuses a template that does not parse, or that uses a variable its trigger does not
 * give, naming the field and the variable.
 */
export function assertTemplate(trigger: Trigger, source: TemplateSource): void {
  const known = new Set(variableNames(trigger));
  for (const field of ['subject', 'html', 'text'] as const) {
    let names: Set<string>;
    try {
      names = referencedNames(source[field]);
      Handlebars.precompile(source[field], COMPILE);
    } catch (error) {
      throw invalid(`The ${field} template does not parse: ${(error as Error).message}`, {
        field,
        reason: 'EMAIL_TEMPLATE_INVALID',
      });
    }
    for (const name of names) {
      if (!known.has(name)) {
        throw invalid(
          `Unknown variable "${name}" in the ${field} template; ${trigger} gives ${[...known].join(', ')}`,
          { field, reason: 'EMAIL_TEMPLATE_UNKNOWN_VARIABLE' },
        );
      }
    }
  }
  assertSecretsPlacedSafely(trigger, source);
}

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

/** Renders with the trigger's checked variables: HTML escaped, subject and text as written. */
export function renderTemplate(
  trigger: Trigger,
  source: TemplateSource,
  variables: unknown,
): RenderedEmail {
  const data = triggers[trigger].variables.parse(variables);
  const plain = (template: string) =>
    Handlebars.compile(template, { ...COMPILE, noEscape: true })(data);
  return {
    subject: plain(source.subject)
      .replace(/[\r\n]+/g, ' ')
      .trim(),
    html: Handlebars.compile(source.html, COMPILE)(data),
    text: plain(source.text),
  };
}
