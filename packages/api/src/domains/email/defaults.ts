import type { Locale, Trigger } from './triggers.ts';

export interface TemplateSource {
  subject: string;
  html: string;
  text: string;
}

const layout = (body: string) =>
  `<!doctype html><html><body style="font-family:sans-serif;line-height:1.5">${body}</body></html>`;

/**
 * The templates `phoenix seed` writes, and what a trigger falls back to while no template
 * is stored for it. Admins edit the stored copies.
 */
export const defaultTemplates: Record<Trigger, Record<Locale, TemplateSource>> = {
  welcome: {
    en: {
      subject: 'Welcome to Phoenix, {{displayName}}',
      html: layout(
        '<p>Hello {{displayName}},</p><p>Your account ({{email}}) is ready.</p><p><a href="{{appUrl}}">Open Phoenix</a></p>',
      ),
      text: 'Hello {{displayName}},\n\nYour account ({{email}}) is ready.\n\nOpen Phoenix: {{appUrl}}\n',
    },
    fr: {
      subject: 'Bienvenue sur Phoenix, {{displayName}}',
      html: layout(
        '<p>Bonjour {{displayName}},</p><p>Votre compte ({{email}}) est prêt.</p><p><a href="{{appUrl}}">Ouvrir Phoenix</a></p>',
      ),
      text: 'Bonjour {{displayName}},\n\nVotre compte ({{email}}) est prêt.\n\nOuvrir Phoenix : {{appUrl}}\n',
    },
  },
  password_reset: {
    en: {
      subject: 'Reset your Phoenix password',
      html: layout(
        '<p>Hello {{displayName}},</p><p>Someone asked to reset the password of this account. The code below works once, for {{expiresInMinutes}} minutes:</p><p><code>{{token}}</code></p>{{#if resetUrl}}<p><a href="{{resetUrl}}">Reset the password</a></p>{{/if}}<p>If it was not you, ignore this email: your password stays as it is.</p>',
      ),
      text: 'Hello {{displayName}},\n\nSomeone asked to reset the password of this account. The code below works once, for {{expiresInMinutes}} minutes:\n\n  {{token}}\n\n{{#if resetUrl}}Or open {{resetUrl}}\n{{/if}}If it was not you, ignore this email: your password stays as it is.\n',
    },
    fr: {
      subject: 'Réinitialisez votre mot de passe Phoenix',
      html: layout(
        '<p>Bonjour {{displayName}},</p><p>Quelqu’un a demandé à réinitialiser le mot de passe de ce compte. Le code ci-dessous sert une fois, pendant {{expiresInMinutes}} minutes :</p><p><code>{{token}}</code></p>{{#if resetUrl}}<p><a href="{{resetUrl}}">Réinitialiser le mot de passe</a></p>{{/if}}<p>Si ce n’était pas vous, ignorez ce message : votre mot de passe ne change pas.</p>',
      ),
      text: 'Bonjour {{displayName}},\n\nQuelqu’un a demandé à réinitialiser le mot de passe de ce compte. Le code ci-dessous sert une fois, pendant {{expiresInMinutes}} minutes :\n\n  {{token}}\n\n{{#if resetUrl}}Ou ouvrez {{resetUrl}}\n{{/if}}Si ce n’était pas vous, ignorez ce message : votre mot de passe ne change pas.\n',
    },
  },
  credits_low: {
    en: {
      subject: 'Your Phoenix credits are running low',
      html: layout(
        '<p>Hello {{displayName}},</p><p>Your balance is {{balance}} credits, under {{threshold}}.</p><p><a href="{{appUrl}}">Top up</a></p>',
      ),
      text: 'Hello {{displayName}},\n\nYour balance is {{balance}} credits, under {{threshold}}.\n\nTop up: {{appUrl}}\n',
    },
    fr: {
      subject: 'Vos crédits Phoenix s’épuisent',
      html: layout(
        '<p>Bonjour {{displayName}},</p><p>Votre solde est de {{balance}} crédits, sous {{threshold}}.</p><p><a href="{{appUrl}}">Recharger</a></p>',
      ),
      text: 'Bonjour {{displayName}},\n\nVotre solde est de {{balance}} crédits, sous {{threshold}}.\n\nRecharger : {{appUrl}}\n',
    },
  },
  subscription_changed: {
    en: {
      subject: 'Your Phoenix plan is now {{tier}}',
      html: layout(
        '<p>Hello {{displayName}},</p><p>Your plan changed from {{previousTier}} to {{tier}}.</p><p><a href="{{appUrl}}">Open Phoenix</a></p>',
      ),
      text: 'Hello {{displayName}},\n\nYour plan changed from {{previousTier}} to {{tier}}.\n\nOpen Phoenix: {{appUrl}}\n',
    },
    fr: {
      subject: 'Votre offre Phoenix est maintenant {{tier}}',
      html: layout(
        '<p>Bonjour {{displayName}},</p><p>Votre offre est passée de {{previousTier}} à {{tier}}.</p><p><a href="{{appUrl}}">Ouvrir Phoenix</a></p>',
      ),
      text: 'Bonjour {{displayName}},\n\nVotre offre est passée de {{previousTier}} à {{tier}}.\n\nOuvrir Phoenix : {{appUrl}}\n',
    },
  },
  product_news: {
    en: {
      subject: '{{headline}}',
      html: layout(
        '<p>Hello {{displayName}},</p><p>{{headline}}</p><p><a href="{{appUrl}}">Open Phoenix</a></p>',
      ),
      text: 'Hello {{displayName}},\n\n{{headline}}\n\nOpen Phoenix: {{appUrl}}\n',
    },
    fr: {
      subject: '{{headline}}',
      html: layout(
        '<p>Bonjour {{displayName}},</p><p>{{headline}}</p><p><a href="{{appUrl}}">Ouvrir Phoenix</a></p>',
      ),
      text: 'Bonjour {{displayName}},\n\n{{headline}}\n\nOuvrir Phoenix : {{appUrl}}\n',
    },
  },
  gdpr_export_ready: {
    en: {
      subject: 'Your Phoenix data export is ready',
      html: layout(
        '<p>Hello {{displayName}},</p><p>The archive of your data is ready. This link works until {{expiresAt}}:</p><p><a href="{{downloadUrl}}">Download my data</a></p><p>If you did not ask for it, change your password.</p>',
      ),
      text: 'Hello {{displayName}},\n\nThe archive of your data is ready. This link works until {{expiresAt}}:\n\n{{downloadUrl}}\n\nIf you did not ask for it, change your password.\n',
    },
    fr: {
      subject: 'L’export de vos données Phoenix est prêt',
      html: layout(
        '<p>Bonjour {{displayName}},</p><p>L’archive de vos données est prête. Ce lien fonctionne jusqu’au {{expiresAt}} :</p><p><a href="{{downloadUrl}}">Télécharger mes données</a></p><p>Si vous ne l’avez pas demandée, changez votre mot de passe.</p>',
      ),
      text: 'Bonjour {{displayName}},\n\nL’archive de vos données est prête. Ce lien fonctionne jusqu’au {{expiresAt}} :\n\n{{downloadUrl}}\n\nSi vous ne l’avez pas demandée, changez votre mot de passe.\n',
    },
  },
  gdpr_export_failed: {
    en: {
      subject: 'Your Phoenix data export could not be prepared',
      html: layout(
        '<p>Hello {{displayName}},</p><p>We could not prepare the archive of your data you asked for. Please ask for a new one in your account: <a href="{{appUrl}}">{{appUrl}}</a>. If it fails again, contact support.</p>',
      ),
      text: 'Hello {{displayName}},\n\nWe could not prepare the archive of your data you asked for. Please ask for a new one in your account: {{appUrl}}\n\nIf it fails again, contact support.\n',
    },
    fr: {
      subject: 'L’export de vos données Phoenix n’a pas pu être préparé',
      html: layout(
        '<p>Bonjour {{displayName}},</p><p>Nous n’avons pas pu préparer l’archive de vos données que vous avez demandée. Demandez-en une nouvelle depuis votre compte : <a href="{{appUrl}}">{{appUrl}}</a>. Si cela échoue encore, contactez le support.</p>',
      ),
      text: 'Bonjour {{displayName}},\n\nNous n’avons pas pu préparer l’archive de vos données que vous avez demandée. Demandez-en une nouvelle depuis votre compte : {{appUrl}}\n\nSi cela échoue encore, contactez le support.\n',
    },
  },
  gdpr_erasure_scheduled: {
    en: {
      subject: 'Your Phoenix account will be erased',
      html: layout(
        '<p>Hello {{displayName}},</p><p>Your account and its data will be erased on {{erasesAt}}. To cancel, sign in and confirm: <a href="{{appUrl}}">{{appUrl}}</a></p>',
      ),
      text: 'Hello {{displayName}},\n\nYour account and its data will be erased on {{erasesAt}}. To cancel, sign in and confirm: {{appUrl}}\n',
    },
    fr: {
      subject: 'Votre compte Phoenix va être effacé',
      html: layout(
        '<p>Bonjour {{displayName}},</p><p>Votre compte et ses données seront effacés le {{erasesAt}}. Pour annuler, connectez-vous et confirmez : <a href="{{appUrl}}">{{appUrl}}</a></p>',
      ),
      text: 'Bonjour {{displayName}},\n\nVotre compte et ses données seront effacés le {{erasesAt}}. Pour annuler, connectez-vous et confirmez : {{appUrl}}\n',
    },
  },
};
