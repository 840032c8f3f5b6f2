import type { Schemas } from '@lienket/api-client';
import { canonicalUnit } from '@lienket/reference';
import type { InputHTMLAttributes } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { CodePicker } from '../components/code-picker';
import { PostingCard } from '../components/posting-card';
import { ErrorNotice, Field, Loading, PageTitle } from '../components/ui';
import { VerificationNotice } from '../components/verification-notice';
import { answer, client, fieldErrors, problemMessage } from '../lib/api';
import { useAuth } from '../lib/auth';
import { enumLabel, useI18n } from '../lib/i18n';
import { useLoad } from '../lib/load';
import type { Route } from '../lib/router';
import type { Posting, SearchPostingsResponse } from '../lib/types';

const CATEGORIES = ['material', 'component', 'outsourcing', 'equipment', 'technology', 'service'] as const;
const FIELDS = [
  'title',
  'description',
  'category',
  'hsCodes',
  'vsicCodes',
  'quantityPerMonth',
  'monthlyCapacity',
  'leadTimeDays',
  'deadline',
  'validUntil',
] as const;
type FieldName = (typeof FIELDS)[number];

interface Draft {
  kind: 'need' | 'capability';
  title: string;
  description: string;
  category: string;
  hsCodes: string[];
  vsicCodes: string[];
  quantity: string;
  unit: string;
  leadTimeDays: string;
  deadline: string;
  validUntil: string;
}

const emptyDraft: Draft = {
  kind: 'need',
  title: '',
  description: '',
  category: '',
  hsCodes: [],
  vsicCodes: [],
  quantity: '',
  unit: '',
  leadTimeDays: '',
  deadline: '',
  validUntil: '',
};

// A date field means the end of that day, Vietnam time.
const endOfDay = (date: string) => (date ? new Date(`${date}T23:59:59+07:00`).toISOString() : undefined);

/** What a need and a capability share in the draft's body. */
function commonOf(draft: Draft, enterpriseId: string) {
  return {
    enterpriseId,
    title: draft.title,
    description: draft.description,
    hsCodes: draft.hsCodes,
    vsicCodes: draft.vsicCodes,
    ...(draft.validUntil ? { validUntil: endOfDay(draft.validUntil) } : {}),
  };
}

const quantityOf = (draft: Draft) =>
  draft.quantity.trim()
    ? { value: Number(draft.quantity.replace(',', '.')), unit: canonicalUnit(draft.unit) }
    : undefined;

/** The proto3 JSON body of a need; what is left empty is left out, and the gateway says what is missing. */
function needBodyOf(draft: Draft, enterpriseId: string): Partial<Schemas['lienket.registry.v1.NeedInput']> {
  const quantity = quantityOf(draft);
  return {
    ...commonOf(draft, enterpriseId),
    // The category is one of the form's options, named as the document names them.
    ...(draft.category ? { category: `NEED_CATEGORY_${draft.category.toUpperCase()}` as NeedCategory } : {}),
    ...(quantity ? { quantityPerMonth: quantity } : {}),
    ...(draft.deadline ? { deadline: endOfDay(draft.deadline) } : {}),
  };
}

/** The proto3 JSON body of a capability. */
function capabilityBodyOf(
  draft: Draft,
  enterpriseId: string,
): Partial<Schemas['lienket.registry.v1.CapabilityInput']> {
  const quantity = quantityOf(draft);
  return {
    ...commonOf(draft, enterpriseId),
    ...(quantity ? { monthlyCapacity: quantity } : {}),
    ...(draft.leadTimeDays.trim() ? { leadTimeDays: Math.round(Number(draft.leadTimeDays)) } : {}),
  };
}

type NeedCategory = NonNullable<Schemas['lienket.registry.v1.NeedInput']['category']>;
// A draft may lack fields the document requires; it is sent as it is, and the gateway's 400 names them.
type NeedInput = Schemas['lienket.registry.v1.NeedInput'];
type CapabilityInput = Schemas['lienket.registry.v1.CapabilityInput'];

const controlOf: Partial<Record<FieldName, keyof Draft>> = {
  quantityPerMonth: 'quantity',
  monthlyCapacity: 'quantity',
};

/** The error summary's links move focus to their field (the address holds the route, so no #fragment). */
function focusField(event: Event, field: FieldName) {
  event.preventDefault();
  const control = document.querySelector<HTMLElement>(`form [name="${controlOf[field] ?? field}"]`);
  control?.focus();
}

function PostingForm({ enterpriseId, onPosted }: { enterpriseId: string; onPosted(title: string): void }) {
  const { t, lang } = useI18n();
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const summary = useRef<HTMLDivElement>(null);
  const errors = fieldErrors(error, lang, FIELDS, {
    title: t('my.fTitle'),
    description: t('my.fDescription'),
    category: t('my.fCategory'),
    hsCodes: t('my.fHs'),
    vsicCodes: t('my.fVsic'),
    quantityPerMonth: t('my.fQuantity'),
    monthlyCapacity: t('my.fCapacity'),
    leadTimeDays: t('my.fLeadTime'),
    deadline: t('my.fDeadline'),
    validUntil: t('my.fValidUntil'),
  });
  const set =
    (name: Exclude<keyof Draft, 'hsCodes' | 'vsicCodes'>) => (e: { currentTarget: { value: string } }) =>
      setDraft((d) => ({ ...d, [name]: e.currentTarget.value }));
  const fieldsWithErrors = (Object.keys(errors) as (FieldName | '')[]).filter((f) => f !== '');

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    try {
      const posted =
        draft.kind === 'need'
          ? (await answer(client.POST('/v1/needs', { body: needBodyOf(draft, enterpriseId) as NeedInput })))
              ?.need
          : (
              await answer(
                client.POST('/v1/capabilities', {
                  body: capabilityBodyOf(draft, enterpriseId) as CapabilityInput,
                }),
              )
            )?.capability;
      setError(undefined);
      setDraft({ ...emptyDraft, kind: draft.kind });
      onPosted(posted?.title ?? draft.title);
    } catch (caught) {
      setError(caught);
      requestAnimationFrame(() => summary.current?.focus());
    } finally {
      setBusy(false);
    }
  };

  const quantityField: FieldName = draft.kind === 'need' ? 'quantityPerMonth' : 'monthlyCapacity';
  // One text-like input per draft field; `extra` carries its type and limits.
  const input = (
    name: Exclude<keyof Draft, 'kind' | 'hsCodes' | 'vsicCodes'>,
    extra: InputHTMLAttributes<HTMLInputElement> = {},
  ) =>
    function Control({
      id,
      describedBy,
      invalid,
    }: {
      id: string;
      describedBy: string | undefined;
      invalid: boolean;
    }) {
      return (
        <input
          {...extra}
          id={id}
          name={name}
          value={draft[name]}
          aria-invalid={invalid}
          aria-describedby={describedBy}
          onInput={set(name)}
        />
      );
    };

  return (
    <form class="card form" onSubmit={submit} noValidate aria-labelledby="post-title">
      <h2 id="post-title">{t('my.post')}</h2>
      {error ? (
        <div class="notice notice-error" role="alert" tabIndex={-1} ref={summary} data-testid="form-errors">
          <p>{fieldsWithErrors.length > 0 ? t('my.errors') : problemMessage(error, lang)}</p>
          {fieldsWithErrors.length > 0 && (
            <ul>
              {Object.entries(errors).map(([field, messages]) =>
                messages.map((m) => (
                  <li key={`${field}-${m}`}>
                    {field ? (
                      <a href={location.hash} onClick={(e) => focusField(e, field as FieldName)}>
                        {m}
                      </a>
                    ) : (
                      m
                    )}
                  </li>
                )),
              )}
            </ul>
          )}
        </div>
      ) : null}
      <fieldset class="segmented">
        <legend>{t('my.kind')}</legend>
        {(['need', 'capability'] as const).map((kind) => (
          <label key={kind}>
            <input
              type="radio"
              name="posting-kind"
              value={kind}
              checked={draft.kind === kind}
              onChange={() => setDraft((d) => ({ ...d, kind }))}
            />
            <span>{kind === 'need' ? t('my.postNeed') : t('my.postCapability')}</span>
          </label>
        ))}
      </fieldset>
      <Field label={t('my.fTitle')} errors={errors.title}>
        {input('title', { type: 'text', maxLength: 200, required: true })}
      </Field>
      <Field label={t('my.fDescription')} errors={errors.description}>
        {({ id, describedBy, invalid }) => (
          <textarea
            id={id}
            name="description"
            rows={3}
            maxLength={5000}
            value={draft.description}
            aria-invalid={invalid}
            aria-describedby={describedBy}
            onInput={set('description')}
          />
        )}
      </Field>
      {draft.kind === 'need' && (
        <Field label={t('my.fCategory')} errors={errors.category}>
          {({ id, describedBy, invalid }) => (
            <select
              id={id}
              name="category"
              value={draft.category}
              aria-invalid={invalid}
              aria-describedby={describedBy}
              onChange={set('category')}
            >
              <option value="">{t('my.fCategoryPick')}</option>
              {CATEGORIES.map((c) => (
                <option key={c} value={c}>
                  {enumLabel(t, 'category', c)}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      {(['hsCodes', 'vsicCodes'] as const).map((field) => (
        <Field
          key={field}
          label={field === 'hsCodes' ? t('my.fHs') : t('my.fVsic')}
          hint={field === 'hsCodes' ? t('picker.hintHs') : t('picker.hintVsic')}
          errors={errors[field]}
        >
          {({ id, describedBy, invalid }) => (
            <CodePicker
              system={field === 'hsCodes' ? 'hs' : 'vsic'}
              id={id}
              name={field}
              describedBy={describedBy}
              invalid={invalid}
              value={draft[field]}
              onChange={(chosen) => setDraft((d) => ({ ...d, [field]: chosen }))}
            />
          )}
        </Field>
      ))}
      <div class="field-row">
        <Field
          label={draft.kind === 'need' ? t('my.fQuantity') : t('my.fCapacity')}
          errors={errors[quantityField]}
        >
          {input('quantity', { type: 'text', inputMode: 'decimal' })}
        </Field>
        <Field label={t('my.fUnit')} hint={t('my.fUnitHint')}>
          {/* A known unit typed in either language is stored by its Vietnamese name (canonicalUnit). */}
          {input('unit', { type: 'text', maxLength: 20, autoComplete: 'off' })}
        </Field>
      </div>
      <div class="field-row">
        {draft.kind === 'need' ? (
          <Field label={t('my.fDeadline')} errors={errors.deadline}>
            {input('deadline', { type: 'date' })}
          </Field>
        ) : (
          <Field label={t('my.fLeadTime')} errors={errors.leadTimeDays}>
            {input('leadTimeDays', { type: 'number', min: 0, max: 3650 })}
          </Field>
        )}
        <Field label={t('my.fValidUntil')} errors={errors.validUntil}>
          {input('validUntil', { type: 'date' })}
        </Field>
      </div>
      <button type="submit" class="button button-primary" disabled={busy}>
        {t('my.submit')}
      </button>
    </form>
  );
}

function MyPosting({ posting, onDone }: { posting: Posting; onDone(message: string): void }) {
  const { t, date } = useI18n();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const item = posting.need ?? posting.capability;
  const open = item.status?.endsWith('_OPEN') ?? false;
  const act = async <T,>(
    send: () => Promise<{ data?: T; error?: unknown; response: Response }>,
    message: (r: T | undefined) => string,
  ) => {
    setBusy(true);
    setError(undefined);
    try {
      onDone(message(await answer(send())));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const onCapability = { params: { path: { capabilityId: item.id } } };
  const onNeed = { params: { path: { needId: item.id } } };
  return (
    <div class="my-posting" data-posting={item.id}>
      <PostingCard posting={posting}>
        {error ? <ErrorNotice error={error} /> : null}
        {open && (
          <div class="actions">
            {posting.capability ? (
              <>
                <button
                  type="button"
                  class="button"
                  disabled={busy}
                  onClick={() =>
                    act(
                      () => client.POST('/v1/capabilities/{capabilityId}/renewal', onCapability),
                      (r) => t('my.renewed', { date: date(r?.capability?.validUntil) }),
                    )
                  }
                >
                  {t('my.renew')}
                </button>
                <button
                  type="button"
                  class="button button-danger"
                  disabled={busy}
                  onClick={() =>
                    act(
                      () =>
                        client.POST('/v1/capabilities/{capabilityId}/withdrawal', {
                          ...onCapability,
                          body: {},
                        }),
                      () => t('my.withdrawn'),
                    )
                  }
                >
                  {t('my.withdraw')}
                </button>
              </>
            ) : (
              <>
                <button
                  type="button"
                  class="button"
                  disabled={busy}
                  onClick={() =>
                    act(
                      () => client.POST('/v1/needs/{needId}/fulfilment', onNeed),
                      () => t('my.fulfilled'),
                    )
                  }
                >
                  {t('my.fulfil')}
                </button>
                <button
                  type="button"
                  class="button button-danger"
                  disabled={busy}
                  onClick={() =>
                    act(
                      () => client.POST('/v1/needs/{needId}/closure', { ...onNeed, body: {} }),
                      () => t('my.closed'),
                    )
                  }
                >
                  {t('my.close')}
                </button>
              </>
            )}
          </div>
        )}
      </PostingCard>
    </div>
  );
}

export function MyPostingsPage(_: { route: Route }) {
  const { t } = useI18n();
  const { session } = useAuth();
  const enterpriseId = session?.enterpriseId ?? '';
  const [message, setMessage] = useState<string>();
  const [showClosed, setShowClosed] = useState(false);
  // After posting, the confirmation takes focus: on a phone the form's end is a screen below it.
  const [posted, setPosted] = useState(0);
  const confirmation = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (posted) confirmation.current?.focus();
  }, [posted]);
  const loaded = useLoad(
    async (signal) => {
      const query = { enterprise_id: enterpriseId, include_closed: showClosed || undefined, page_size: 100 };
      const [needs, capabilities] = await Promise.all([
        answer(
          client.GET('/v1/postings', { params: { query: { ...query, kind: 'need' } }, signal }),
        ) as Promise<SearchPostingsResponse | undefined>,
        answer(
          client.GET('/v1/postings', { params: { query: { ...query, kind: 'capability' } }, signal }),
        ) as Promise<SearchPostingsResponse | undefined>,
      ]);
      return [...(needs?.postings ?? []), ...(capabilities?.postings ?? [])].sort((a, b) =>
        ((b.need ?? b.capability).createdAt ?? '').localeCompare((a.need ?? a.capability).createdAt ?? ''),
      );
    },
    [enterpriseId, showClosed],
  );
  if (!enterpriseId) {
    return (
      <>
        <PageTitle>{t('my.title')}</PageTitle>
        <p>{t('my.enterpriseOnly')}</p>
      </>
    );
  }
  const done = (text: string) => {
    setMessage(text);
    loaded.reload();
  };
  return (
    <>
      <PageTitle>{t('my.title')}</PageTitle>
      <VerificationNotice />
      {message && (
        <p class="notice notice-ok" role="status" tabIndex={-1} ref={confirmation}>
          {message}
        </p>
      )}
      <div class="two-columns">
        <PostingForm
          enterpriseId={enterpriseId}
          onPosted={(title) => {
            done(t('my.posted', { title }));
            setPosted((n) => n + 1);
          }}
        />
        <section aria-labelledby="my-list">
          <h2 id="my-list">{t('my.list')}</h2>
          <label class="check">
            <input
              type="checkbox"
              checked={showClosed}
              onChange={(e) => setShowClosed(e.currentTarget.checked)}
            />
            {t('my.showClosed')}
          </label>
          {loaded.error ? <ErrorNotice error={loaded.error} retry={loaded.reload} /> : null}
          {!loaded.data && loaded.loading && <Loading />}
          {loaded.data?.length === 0 && <p>{t('my.none')}</p>}
          <ul class="cards">
            {(loaded.data ?? []).map((posting) => {
              const item = posting.need ?? posting.capability;
              return (
                <li key={item.id}>
                  <MyPosting posting={posting} onDone={done} />
                </li>
              );
            })}
          </ul>
        </section>
      </div>
    </>
  );
}
