import { describeCode, unitName } from '@lienket/reference';
import type { ComponentChildren } from 'preact';
import { enumLabel, useI18n } from '../lib/i18n';
import { provinceName } from '../lib/reference';
import { href } from '../lib/router';
import type { Posting } from '../lib/types';
import { codesOf } from './ui';

/** One need or capability in a list. */
export function PostingCard({
  posting,
  enterpriseName,
  children,
}: {
  posting: Posting;
  enterpriseName?: string | undefined;
  /** Actions on the posting, at the end of the card. */
  children?: ComponentChildren;
}) {
  const { t, lang, date, number } = useI18n();
  const item = posting.need ?? posting.capability;
  const quantity = posting.need ? posting.need.quantityPerMonth : posting.capability?.monthlyCapacity;
  // Each code with its name, so "HS 4804" reads "HS 4804 · Giấy và bìa kraft".
  const codes = codesOf(item).map((label) => {
    const [system, code = ''] = label.split(' ');
    const described = describeCode(system === 'HS' ? 'hs' : 'vsic', code);
    // A chapter's official title runs on after its first semicolon; the part before names it.
    const name = (lang === 'vi' ? described?.nameVi : described?.name)?.split(';')[0];
    return name ? `${label} · ${name}` : label;
  });
  return (
    <article class="card posting" aria-labelledby={`posting-${item.id}`}>
      <p class="badges">
        <span class={`badge ${posting.need ? 'badge-need' : 'badge-capability'}`}>
          {posting.need ? t('posting.need') : t('posting.capability')}
        </span>
        {posting.need?.category && (
          <span class="badge">{enumLabel(t, 'category', posting.need.category, 'NEED_CATEGORY_')}</span>
        )}
        {item.status && !item.status.endsWith('_OPEN') && (
          <span class="badge badge-muted">{enumLabel(t, 'status', item.status)}</span>
        )}
      </p>
      <h3 id={`posting-${item.id}`}>{item.title}</h3>
      {item.description && <p class="description">{item.description}</p>}
      <dl class="facts">
        <div>
          <dt>{t('posting.province')}</dt>
          <dd>
            {item.province ? (
              <a href={href(`/province/${item.province}`)}>{provinceName(item.province)}</a>
            ) : (
              '—'
            )}
          </dd>
        </div>
        {quantity?.value ? (
          <div>
            <dt>{posting.need ? t('posting.quantity') : t('posting.capacity')}</dt>
            <dd>
              {number(quantity.value, 2)} {unitName(quantity.unit ?? '', lang, quantity.value)}
            </dd>
          </div>
        ) : null}
        {codes.length > 0 && (
          <div>
            <dt>{t('posting.codes')}</dt>
            <dd>{codes.join('; ')}</dd>
          </div>
        )}
        {posting.capability?.leadTimeDays ? (
          <div>
            <dt class="sr-only">{t('posting.leadTime', { n: '' })}</dt>
            <dd>{t('posting.leadTime', { n: posting.capability.leadTimeDays })}</dd>
          </div>
        ) : null}
        {item.validUntil && (
          <div>
            <dt class="sr-only">{t('posting.validUntil', { date: '' })}</dt>
            <dd>{t('posting.validUntil', { date: date(item.validUntil) })}</dd>
          </div>
        )}
      </dl>
      <p>
        <a href={href(`/enterprise/${item.enterpriseId}`)}>
          {enterpriseName ? `${t('posting.by')}: ${enterpriseName}` : t('posting.enterprise')}
        </a>
      </p>
      {children}
    </article>
  );
}
