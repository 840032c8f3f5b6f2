import { useI18n } from '../lib/i18n';

export interface Contact {
  person?: string;
  phone?: string;
  email?: string;
}

/** What a dialler accepts: digits and a leading +, without the spaces, dots and dashes people write. */
export const telHref = (phone: string) => `tel:${phone.trim().replace(/(?!^\+)[^\d]/g, '')}`;

/** A partner's contact: the phone number taps to call, the address opens a mail. */
export function ContactLinks({ contact }: { contact: Contact }) {
  const { t } = useI18n();
  const phone = contact.phone?.trim();
  const email = contact.email?.trim();
  return (
    <dl class="facts contact" data-testid="contact">
      {contact.person && (
        <div>
          <dt>{t('contact.person')}</dt>
          <dd>{contact.person}</dd>
        </div>
      )}
      {phone && (
        <div>
          <dt>{t('contact.phone')}</dt>
          <dd>
            <a class="contact-link" href={telHref(phone)} aria-label={t('contact.call', { phone })}>
              {phone}
            </a>
          </dd>
        </div>
      )}
      {email && (
        <div>
          <dt>{t('contact.email')}</dt>
          <dd>
            <a class="contact-link" href={`mailto:${email}`} aria-label={t('contact.mail', { email })}>
              {email}
            </a>
          </dd>
        </div>
      )}
    </dl>
  );
}
