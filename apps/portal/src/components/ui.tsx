import type { ComponentChildren } from 'preact';
import { useId } from 'preact/hooks';
import { problemMessage } from '../lib/api';
import { useI18n } from '../lib/i18n';

export function Loading() {
  const { t } = useI18n();
  return (
    <p class="muted" role="status">
      {t('app.loading')}
    </p>
  );
}

export function ErrorNotice({ error, retry }: { error: unknown; retry?: () => void }) {
  const { t, lang } = useI18n();
  return (
    <div class="notice notice-error" role="alert">
      <p>{t('app.error', { message: problemMessage(error, lang) })}</p>
      {retry && (
        <button type="button" class="button" onClick={retry}>
          {t('app.retry')}
        </button>
      )}
    </div>
  );
}

export function Notice({ children, kind = 'info' }: { children: ComponentChildren; kind?: 'info' | 'ok' }) {
  return (
    <p class={`notice notice-${kind}`} role="status">
      {children}
    </p>
  );
}

/** The page's one h1; the shell moves focus to it when the page changes. */
export function PageTitle({ children }: { children: ComponentChildren }) {
  return (
    <h1 id="page-title" tabIndex={-1}>
      {children}
    </h1>
  );
}

/**
 * A wide table's horizontal scroller: a named region keyboard users can focus and scroll with the arrows
 * (axe scrollable-region-focusable), named after the table it holds.
 */
export function ScrollRegion({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolled region must take focus to be scrolled by keyboard
    <section class="table-scroll" aria-label={label} tabIndex={0}>
      {children}
    </section>
  );
}

interface FieldProps {
  label: string;
  hint?: string;
  errors?: string[] | undefined;
  children: (ids: { id: string; describedBy: string | undefined; invalid: boolean }) => ComponentChildren;
}

/** A labelled control with its hint and its field errors, wired for screen readers. */
export function Field({ label, hint, errors, children }: FieldProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = errors?.length ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div class={`field${errors?.length ? ' field-invalid' : ''}`}>
      <label for={id}>{label}</label>
      {hint && (
        <p class="hint" id={hintId}>
          {hint}
        </p>
      )}
      {children({ id, describedBy, invalid: Boolean(errors?.length) })}
      {errorId && (
        <p class="field-error" id={errorId}>
          {errors?.join(' ')}
        </p>
      )}
    </div>
  );
}

export function Pager({
  page,
  hasPrevious,
  hasNext,
  onPrevious,
  onNext,
}: {
  page: number;
  hasPrevious: boolean;
  hasNext: boolean;
  onPrevious(): void;
  onNext(): void;
}) {
  const { t } = useI18n();
  if (!hasPrevious && !hasNext) return null;
  return (
    <nav class="pager" aria-label={t('search.paging')}>
      <button type="button" class="button" disabled={!hasPrevious} onClick={onPrevious}>
        {t('search.prev')}
      </button>
      <span>{t('search.page', { n: page })}</span>
      <button type="button" class="button" disabled={!hasNext} onClick={onNext}>
        {t('search.next')}
      </button>
    </nav>
  );
}

export const codesOf = (item: { hsCodes?: string[]; vsicCodes?: string[] }) => [
  ...(item.hsCodes ?? []).map((c) => `HS ${c}`),
  ...(item.vsicCodes ?? []).map((c) => `VSIC ${c}`),
];
