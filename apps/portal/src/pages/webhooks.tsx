import type { Schemas } from '@lienket/api-client';
import { useEffect, useState } from 'preact/hooks';
import { ErrorNotice, Field, Loading, PageTitle } from '../components/ui';
import { answer, client, fieldErrors, problemMessage } from '../lib/api';
import { eventGroups, eventLabel, prefixLabel } from '../lib/event-labels';
import { type MessageKey, useI18n } from '../lib/i18n';
import { useLoad } from '../lib/load';
import { provinceName, provinces, regionName, regions } from '../lib/reference';
import type { Route } from '../lib/router';

type Subscription = Schemas['WebhookSubscription'];
type Delivery = Schemas['WebhookDelivery'];

const FIELDS = ['target_url', 'description', 'type', 'province', 'region', 'sector'] as const;
/** Deliveries shown per subscription, newest first. */
const RECENT = 10;
/** While a delivery is pending, its log is read again this often. */
const REFRESH_MS = 2_000;

const statusKey = (status: Delivery['status']): MessageKey =>
  `webhooks.status.${status ?? 'pending'}` as MessageKey;

interface Draft {
  target_url: string;
  description: string;
  types: string[];
  province: string;
  region: string;
  sector: string;
}

const emptyDraft: Draft = {
  target_url: '',
  description: '',
  types: [],
  province: '',
  region: '',
  sector: '',
};

function CreateForm({ onCreated }: { onCreated(subscription: Subscription, secret: string): void }) {
  const { t, lang } = useI18n();
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const labels = {
    target_url: t('webhooks.url'),
    description: t('webhooks.description'),
    type: t('webhooks.types'),
    province: t('events.province'),
    region: t('events.region'),
    sector: t('events.sector'),
  };
  const errors = fieldErrors(error, lang, FIELDS, labels);
  const toggle = (prefix: string, on: boolean) =>
    setDraft({ ...draft, types: on ? [...draft.types, prefix] : draft.types.filter((p) => p !== prefix) });

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const created = await answer(
        client.POST('/v1/subscriptions', {
          body: {
            target_url: draft.target_url.trim(),
            ...(draft.description.trim() ? { description: draft.description.trim() } : {}),
            filter: {
              type: draft.types,
              province: draft.province ? [draft.province] : [],
              region: draft.region ? [draft.region] : [],
              sector: draft.sector.trim() ? [draft.sector.trim()] : [],
            },
          },
        }),
      );
      setDraft(emptyDraft);
      onCreated(created, created.secret ?? '');
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  const general = errors[''];
  return (
    <form class="card form" aria-labelledby="webhook-new" noValidate onSubmit={submit}>
      <h2 id="webhook-new">{t('webhooks.new')}</h2>
      {general?.length ? (
        <p class="notice notice-error" role="alert">
          {general.join(' ')}
        </p>
      ) : error && Object.keys(errors).length === 0 ? (
        <p class="notice notice-error" role="alert">
          {problemMessage(error, lang)}
        </p>
      ) : null}
      <Field label={labels.target_url} hint={t('webhooks.urlHint')} errors={errors.target_url}>
        {({ id, describedBy, invalid }) => (
          <input
            id={id}
            name="target_url"
            type="url"
            inputMode="url"
            autoComplete="url"
            required
            maxLength={2000}
            placeholder="https://"
            aria-describedby={describedBy}
            aria-invalid={invalid}
            value={draft.target_url}
            onInput={(e) => setDraft({ ...draft, target_url: e.currentTarget.value })}
          />
        )}
      </Field>
      <Field label={labels.description} hint={t('webhooks.descriptionHint')} errors={errors.description}>
        {({ id, describedBy, invalid }) => (
          <input
            id={id}
            name="description"
            maxLength={500}
            aria-describedby={describedBy}
            aria-invalid={invalid}
            value={draft.description}
            onInput={(e) => setDraft({ ...draft, description: e.currentTarget.value })}
          />
        )}
      </Field>
      <fieldset
        class={`field webhook-types${errors.type?.length ? ' field-invalid' : ''}`}
        aria-describedby="webhook-types-hint"
      >
        <legend>{labels.type}</legend>
        <p class="hint" id="webhook-types-hint">
          {t('webhooks.typesHint')}
        </p>
        <ul class="checks">
          {eventGroups.map((group) => (
            <li key={group.prefix}>
              <label>
                <input
                  type="checkbox"
                  name="type"
                  value={group.prefix}
                  checked={draft.types.includes(group.prefix)}
                  onChange={(e) => toggle(group.prefix, e.currentTarget.checked)}
                />{' '}
                <span>{group[lang]}</span>
                <span class="hint check-detail">{group.types.map((type) => type[lang]).join('; ')}</span>
              </label>
            </li>
          ))}
        </ul>
        {errors.type?.length ? <p class="field-error">{errors.type.join(' ')}</p> : null}
      </fieldset>
      <div class="field-row">
        <Field label={labels.province} errors={errors.province}>
          {({ id, describedBy }) => (
            <select
              id={id}
              name="province"
              aria-describedby={describedBy}
              value={draft.province}
              onChange={(e) => setDraft({ ...draft, province: e.currentTarget.value })}
            >
              <option value="">{t('events.any')}</option>
              {provinces.map((p) => (
                <option key={p.code} value={p.code}>
                  {p.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={labels.region} errors={errors.region}>
          {({ id, describedBy }) => (
            <select
              id={id}
              name="region"
              aria-describedby={describedBy}
              value={draft.region}
              onChange={(e) => setDraft({ ...draft, region: e.currentTarget.value })}
            >
              <option value="">{t('events.any')}</option>
              {regions.map((r) => (
                <option key={r.code} value={r.code}>
                  {regionName(r.code, lang)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={labels.sector} hint={t('webhooks.sectorHint')} errors={errors.sector}>
          {({ id, describedBy, invalid }) => (
            <input
              id={id}
              name="sector"
              inputMode="numeric"
              maxLength={8}
              aria-describedby={describedBy}
              aria-invalid={invalid}
              value={draft.sector}
              onInput={(e) => setDraft({ ...draft, sector: e.currentTarget.value })}
            />
          )}
        </Field>
      </div>
      <div class="actions">
        <button type="submit" class="button button-primary" disabled={busy}>
          {busy ? t('webhooks.creating') : t('webhooks.create')}
        </button>
      </div>
    </form>
  );
}

/** What a subscription listens to, in words. */
function filterText(subscription: Subscription, t: ReturnType<typeof useI18n>['t'], lang: 'vi' | 'en') {
  const f = subscription.filter ?? {};
  const list = (value: string | string[] | undefined) =>
    (Array.isArray(value) ? value : value ? value.split(',') : []).filter(Boolean);
  const parts = [
    list(f.type).length
      ? list(f.type)
          .map((p) => prefixLabel(p, lang))
          .join(', ')
      : t('webhooks.allTypes'),
    ...list(f.province).map(provinceName),
    ...list(f.region).map((r) => regionName(r, lang)),
    ...list(f.sector).map((s) => t('webhooks.sectorIs', { code: s })),
  ];
  return parts.join(' · ');
}

function Deliveries({ subscription, version }: { subscription: Subscription; version: number }) {
  const { t, lang, dateTime } = useI18n();
  const [tick, setTick] = useState(0);
  const loaded = useLoad(
    (signal) =>
      answer(
        client.GET('/v1/subscriptions/{id}/deliveries', {
          params: { path: { id: subscription.id ?? '' }, query: { page_size: RECENT } },
          signal,
        }),
      ),
    [subscription.id, version, tick],
  );
  const list = loaded.data?.deliveries ?? [];
  const pending = list.some((d) => d.status === 'pending');
  // A delivery on its way: read the log again shortly, until it has an outcome.
  useEffect(() => {
    if (!pending || loaded.loading) return;
    const timer = setTimeout(() => setTick((n) => n + 1), REFRESH_MS);
    return () => clearTimeout(timer);
  }, [pending, loaded.loading, loaded.data]);

  const headingId = `deliveries-${subscription.id}`;
  return (
    <section class="deliveries" aria-labelledby={headingId}>
      <h4 id={headingId}>{t('webhooks.deliveries')}</h4>
      {loaded.error ? <ErrorNotice error={loaded.error} retry={loaded.reload} /> : null}
      {!loaded.data && loaded.loading ? <Loading /> : null}
      {loaded.data && list.length === 0 ? <p class="muted">{t('webhooks.noDeliveries')}</p> : null}
      {list.length > 0 && (
        <ol class="delivery-list">
          {list.map((d) => (
            <li key={d.id} class="delivery" data-status={d.status} data-event-type={d.event_type}>
              <p>
                <span class={`badge delivery-${d.status}`}>{t(statusKey(d.status))}</span>{' '}
                <strong>{eventLabel(d.event_type ?? '', lang)}</strong>
              </p>
              <p class="muted">
                {d.created_at ? <time dateTime={d.created_at}>{dateTime(d.created_at)}</time> : null}
                {' · '}
                {t('webhooks.attempts', { n: d.attempts ?? 0 })}
                {typeof d.last_status_code === 'number' ? ` · HTTP ${d.last_status_code}` : ''}
              </p>
              {d.last_error && d.status !== 'delivered' ? <p class="delivery-error">{d.last_error}</p> : null}
            </li>
          ))}
        </ol>
      )}
      <button type="button" class="button" onClick={loaded.reload}>
        {t('webhooks.refresh')}
      </button>
    </section>
  );
}

function SubscriptionCard({
  subscription,
  onChanged,
  onDeleted,
}: {
  subscription: Subscription;
  onChanged(next: Subscription): void;
  onDeleted(): void;
}) {
  const { t, lang } = useI18n();
  const [open, setOpen] = useState(false);
  const [version, setVersion] = useState(0);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [notice, setNotice] = useState('');
  const id = subscription.id ?? '';

  async function act(run: () => Promise<void>) {
    setBusy(true);
    setError(undefined);
    setNotice('');
    try {
      await run();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  const sendTest = () =>
    act(async () => {
      await answer(client.POST('/v1/subscriptions/{id}/test', { params: { path: { id } } }));
      setNotice(t('webhooks.testQueued'));
      setOpen(true);
      setVersion((v) => v + 1);
    });
  const setActive = (active: boolean) =>
    act(async () => {
      onChanged(
        await answer(client.PATCH('/v1/subscriptions/{id}', { params: { path: { id } }, body: { active } })),
      );
    });
  const remove = () =>
    act(async () => {
      await answer(client.DELETE('/v1/subscriptions/{id}', { params: { path: { id } } }));
      onDeleted();
    });

  const titleId = `subscription-${id}`;
  return (
    <li class="card subscription" data-subscription={id} data-active={String(subscription.active)}>
      <h3 id={titleId} class="subscription-title">
        {subscription.description || t('webhooks.untitled')}
      </h3>
      <p class="subscription-url">
        <code>{subscription.target_url}</code>
      </p>
      <p>
        <span class={`badge ${subscription.active ? 'badge-ok' : 'badge-muted'}`}>
          {subscription.active ? t('webhooks.active') : t('webhooks.paused')}
        </span>{' '}
        <span class="muted">{filterText(subscription, t, lang)}</span>
      </p>
      {error ? <ErrorNotice error={error} /> : null}
      {notice ? (
        <p class="notice notice-ok" role="status">
          {notice}
        </p>
      ) : null}
      <div class="actions">
        <button
          type="button"
          class="button button-primary"
          disabled={busy || !subscription.active}
          onClick={sendTest}
          aria-describedby={titleId}
        >
          {t('webhooks.test')}
        </button>
        <button
          type="button"
          class="button"
          aria-expanded={open}
          aria-controls={`deliveries-${id}`}
          onClick={() => setOpen((o) => !o)}
        >
          {open ? t('webhooks.hideDeliveries') : t('webhooks.showDeliveries')}
        </button>
        <button
          type="button"
          class="button"
          disabled={busy}
          onClick={() => setActive(!subscription.active)}
          aria-describedby={titleId}
        >
          {subscription.active ? t('webhooks.pause') : t('webhooks.resume')}
        </button>
        {confirming ? (
          <>
            <button type="button" class="button button-danger" disabled={busy} onClick={remove}>
              {t('webhooks.confirmDelete')}
            </button>
            <button type="button" class="button" onClick={() => setConfirming(false)}>
              {t('webhooks.cancel')}
            </button>
          </>
        ) : (
          <button type="button" class="button" onClick={() => setConfirming(true)} aria-describedby={titleId}>
            {t('webhooks.delete')}
          </button>
        )}
      </div>
      <div id={`deliveries-${id}`}>
        {open ? <Deliveries subscription={subscription} version={version} /> : null}
      </div>
    </li>
  );
}

export function WebhooksPage(_: { route: Route }) {
  const { t } = useI18n();
  const loaded = useLoad(
    (signal) => answer(client.GET('/v1/subscriptions', { params: { query: { page_size: 100 } }, signal })),
    [],
  );
  const [list, setList] = useState<Subscription[] | undefined>();
  const [secret, setSecret] = useState<{ id: string; secret: string } | undefined>();
  useEffect(() => {
    if (loaded.data) setList(loaded.data.subscriptions ?? []);
  }, [loaded.data]);
  // The secret is shown once, above the list: take the reader there from the form below, ready to copy.
  useEffect(() => {
    if (!secret) return;
    const input = document.getElementById('webhook-secret') as HTMLInputElement | null;
    input?.focus();
    input?.scrollIntoView({ block: 'center' });
  }, [secret]);
  const shown = list ?? [];

  return (
    <>
      <PageTitle>{t('webhooks.title')}</PageTitle>
      <p class="lead">{t('webhooks.intro')}</p>
      {secret ? (
        <div class="notice notice-ok secret-notice" role="status" data-testid="webhook-secret">
          <p>{t('webhooks.created')}</p>
          <p>
            <label for="webhook-secret">{t('webhooks.secret')}</label>
          </p>
          <input
            id="webhook-secret"
            class="secret"
            readOnly
            value={secret.secret}
            onFocus={(e) => e.currentTarget.select()}
          />
          <p class="hint">{t('webhooks.secretHint')}</p>
          <button type="button" class="button" onClick={() => setSecret(undefined)}>
            {t('webhooks.secretDone')}
          </button>
        </div>
      ) : null}
      <section aria-labelledby="webhook-list">
        <h2 id="webhook-list">{t('webhooks.mine')}</h2>
        {loaded.error ? <ErrorNotice error={loaded.error} retry={loaded.reload} /> : null}
        {!list && loaded.loading ? <Loading /> : null}
        {list && shown.length === 0 ? <p class="muted">{t('webhooks.none')}</p> : null}
        <ul class="subscriptions">
          {shown.map((subscription) => (
            <SubscriptionCard
              key={subscription.id}
              subscription={subscription}
              onChanged={(next) => setList((l) => l?.map((s) => (s.id === next.id ? next : s)))}
              onDeleted={() => setList((l) => l?.filter((s) => s.id !== subscription.id))}
            />
          ))}
        </ul>
      </section>
      <CreateForm
        onCreated={(created, newSecret) => {
          setList((l) => [created, ...(l ?? [])]);
          setSecret({ id: created.id ?? '', secret: newSecret });
        }}
      />
    </>
  );
}
