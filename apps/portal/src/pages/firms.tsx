import { useState } from 'preact/hooks';
import { ErrorNotice, Field, Loading, PageTitle } from '../components/ui';
import { answer, client, problemMessage } from '../lib/api';
import { useAuth } from '../lib/auth';
import { downloadCsv } from '../lib/csv';
import { enumLabel, useI18n } from '../lib/i18n';
import { useLoad } from '../lib/load';
import { provinceName, provinces, vsicName } from '../lib/reference';
import { href, navigate, type Route } from '../lib/router';
import { type Enterprise, num, type SearchEnterprisesResponse } from '../lib/types';

type Status = 'all' | 'pending' | 'verified';
const STATUSES: readonly Status[] = ['pending', 'verified', 'all'];
const PAGE_SIZE = 25;

const statusOf = (e: Enterprise) =>
  e.verification?.status === 'VERIFICATION_STATUS_VERIFIED'
    ? 'verified'
    : e.verification?.status === 'VERIFICATION_STATUS_REJECTED'
      ? 'rejected'
      : 'unverified';

const verifiedQuery = (status: Status) =>
  status === 'pending' ? { verified: false } : status === 'verified' ? { verified: true } : {};

async function loadFirms(
  province: string,
  status: Status,
  text: string,
  pageToken: string,
  signal: AbortSignal,
): Promise<SearchEnterprisesResponse> {
  return (await answer(
    client.GET('/v1/enterprises', {
      params: {
        query: {
          province: [province],
          ...verifiedQuery(status),
          text,
          facet: ['verified'],
          page_size: PAGE_SIZE,
          page_token: pageToken,
        },
      },
      signal,
    }),
  )) as SearchEnterprisesResponse;
}

/** Every firm of the filter, page by page (for the CSV), up to a bound a spreadsheet takes easily. */
async function allFirms(province: string, status: Status, text: string): Promise<Enterprise[]> {
  const out: Enterprise[] = [];
  for (let token = ''; out.length < 5_000; ) {
    const page = (await answer(
      client.GET('/v1/enterprises', {
        params: {
          query: { province: [province], ...verifiedQuery(status), text, page_size: 100, page_token: token },
        },
      }),
    )) as SearchEnterprisesResponse;
    out.push(...(page.enterprises ?? []));
    token = page.page?.nextPageToken ?? '';
    if (!token) break;
  }
  return out;
}

/**
 * The officer's list of the province's firms: filtered by verification (awaiting, verified, all) and by
 * name; verify, reject with a reason, designate or withdraw a lead firm; the list as CSV. An admin reads
 * any province (deciding is for the province's officers).
 */
export function FirmsPage({ route }: { route: Route }) {
  const { t, number } = useI18n();
  const { session } = useAuth();
  const officer = session?.role === 'province';
  const province = officer ? session.provinceCode : (route.query.get('province') ?? '19');
  const status = (STATUSES as readonly string[]).includes(route.query.get('status') ?? '')
    ? (route.query.get('status') as Status)
    : 'pending';
  const text = route.query.get('text') ?? '';
  const [pages, setPages] = useState<string[]>(['']);
  const [textInput, setTextInput] = useState(text);
  const [message, setMessage] = useState<string>();
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<unknown>();
  const token = pages[pages.length - 1] ?? '';
  const loaded = useLoad(
    (signal) => loadFirms(province, status, text, token, signal),
    [province, status, text, token],
  );
  const go = (change: { status?: Status; text?: string; province?: string }) => {
    setPages(['']);
    setMessage(undefined);
    navigate('/firms', {
      status: change.status ?? status,
      text: change.text ?? text,
      ...(officer ? {} : { province: change.province ?? province }),
    });
  };
  const counts = new Map(
    (loaded.data?.facets?.find((f) => f.name === 'verified')?.counts ?? []).map((c) => [
      c.value ?? '',
      num(c.count),
    ]),
  );
  const countOf = (s: Status) =>
    s === 'verified'
      ? (counts.get('true') ?? 0)
      : s === 'pending'
        ? (counts.get('false') ?? 0)
        : (counts.get('true') ?? 0) + (counts.get('false') ?? 0);
  const firms = loaded.data?.enterprises ?? [];
  const next = loaded.data?.page?.nextPageToken ?? '';

  const exportCsv = async () => {
    setExporting(true);
    setExportError(undefined);
    try {
      const rows = await allFirms(province, status, text);
      downloadCsv(
        `doanh-nghiep-${province}-${status}.csv`,
        [
          t('firms.name'),
          t('enterprise.taxCode'),
          t('enterprise.kind'),
          t('enterprise.vsic'),
          t('firms.status'),
          t('firms.reason'),
          t('enterprise.leadFirm'),
          'id',
        ],
        rows.map((e) => [
          e.name,
          e.taxCode ?? '',
          enumLabel(t, 'kind', e.kind),
          e.primaryVsic ?? '',
          t(`firms.status.${statusOf(e)}`),
          e.verification?.reason ?? '',
          e.leadFirm ? t('firms.yes') : '',
          e.id,
        ]),
      );
    } catch (error) {
      setExportError(error);
    } finally {
      setExporting(false);
    }
  };

  return (
    <>
      <PageTitle>{t('firms.title', { province: provinceName(province) })}</PageTitle>
      <p class="lead">{officer ? t('firms.introOfficer') : t('firms.introAdmin')}</p>
      <search>
        <form
          class="toolbar"
          onSubmit={(e) => {
            e.preventDefault();
            go({ text: textInput.trim() });
          }}
        >
          {!officer && (
            <div class="field">
              <label for="firms-province">{t('enterprise.province')}</label>
              <select
                id="firms-province"
                value={province}
                onChange={(e) => go({ province: e.currentTarget.value })}
              >
                {provinces.map((p) => (
                  <option key={p.code} value={p.code}>
                    {p.name}
                  </option>
                ))}
              </select>
            </div>
          )}
          <div class="field grow">
            <label for="firms-text">{t('firms.search')}</label>
            <div class="inline">
              <input
                id="firms-text"
                type="search"
                value={textInput}
                maxLength={200}
                onInput={(e) => setTextInput(e.currentTarget.value)}
              />
              <button type="submit" class="button">
                {t('search.submit')}
              </button>
            </div>
          </div>
        </form>
      </search>
      <nav class="tabs" aria-label={t('firms.status')}>
        {STATUSES.map((s) => (
          <a
            key={s}
            class="tab"
            href={href('/firms', { status: s, text, ...(officer ? {} : { province }) })}
            aria-current={s === status ? 'true' : undefined}
            data-status={s}
          >
            <span>{t(`firms.filter.${s}`)}</span>
            {loaded.data && <span class="tab-count">{number(countOf(s))}</span>}
          </a>
        ))}
      </nav>
      {message && (
        <p class="notice notice-ok" role="status">
          {message}
        </p>
      )}
      <div class="table-actions">
        <button type="button" class="button" onClick={exportCsv} disabled={exporting || firms.length === 0}>
          {exporting ? t('app.loading') : t('csv.download')}
        </button>
      </div>
      {exportError !== undefined && <ErrorNotice error={exportError} />}
      {loaded.error ? (
        <ErrorNotice error={loaded.error} retry={loaded.reload} />
      ) : !loaded.data ? (
        <Loading />
      ) : firms.length === 0 ? (
        <p class="muted">{t(`firms.empty.${status}`)}</p>
      ) : (
        <ul class="firm-list" aria-busy={loaded.loading}>
          {firms.map((e) => (
            <FirmRow
              key={e.id}
              firm={e}
              mayDecide={officer}
              onChanged={(text) => {
                setMessage(text);
                loaded.reload();
              }}
            />
          ))}
        </ul>
      )}
      {(pages.length > 1 || next) && (
        <nav class="pager" aria-label={t('search.paging')}>
          <button
            type="button"
            class="button"
            disabled={pages.length <= 1}
            onClick={() => setPages((p) => p.slice(0, -1))}
          >
            {t('search.prev')}
          </button>
          <span>{t('search.page', { n: pages.length })}</span>
          <button type="button" class="button" disabled={!next} onClick={() => setPages((p) => [...p, next])}>
            {t('search.next')}
          </button>
        </nav>
      )}
    </>
  );
}

function FirmRow({
  firm: e,
  mayDecide,
  onChanged,
}: {
  firm: Enterprise;
  mayDecide: boolean;
  onChanged(message: string): void;
}) {
  const { t, lang, date } = useI18n();
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const state = statusOf(e);
  const act = async (call: () => Promise<unknown>, done: string) => {
    setBusy(true);
    setError(undefined);
    try {
      await call();
      setRejecting(false);
      onChanged(done);
    } catch (failure) {
      setError(problemMessage(failure, lang));
    } finally {
      setBusy(false);
    }
  };
  const path = { params: { path: { enterpriseId: e.id } } };
  const verify = () =>
    act(
      () =>
        answer(
          client.POST('/v1/enterprises/{enterpriseId}/verification', {
            ...path,
            body: { decision: 'VERIFICATION_DECISION_VERIFY' },
          }),
        ),
      t('firms.done.verified', { name: e.name }),
    );
  const reject = () => {
    if (reason.trim().length < 3) {
      setError(t('firms.reasonNeeded'));
      return;
    }
    void act(
      () =>
        answer(
          client.POST('/v1/enterprises/{enterpriseId}/verification', {
            ...path,
            body: { decision: 'VERIFICATION_DECISION_REJECT', reason: reason.trim() },
          }),
        ),
      t('firms.done.rejected', { name: e.name }),
    );
  };
  const lead = (leadFirm: boolean) =>
    act(
      () => answer(client.PUT('/v1/enterprises/{enterpriseId}/lead-firm', { ...path, body: { leadFirm } })),
      leadFirm ? t('firms.done.lead', { name: e.name }) : t('firms.done.unlead', { name: e.name }),
    );
  const titleId = `firm-${e.id}`;
  return (
    <li class="card firm" data-firm={e.id} data-status={state} aria-labelledby={titleId}>
      <div class="firm-head">
        <h2 id={titleId} class="firm-name">
          <a href={href(`/enterprise/${e.id}`)}>{e.name}</a>
        </h2>
        <p class="badges">
          <span
            class={`badge ${state === 'verified' ? 'badge-ok' : state === 'rejected' ? 'badge-error' : 'badge-muted'}`}
          >
            {t(`firms.status.${state}`)}
          </span>
          {e.leadFirm && <span class="badge badge-lead">{t('enterprise.leadFirm')}</span>}
        </p>
      </div>
      <dl class="facts facts-inline">
        <div>
          <dt>{t('enterprise.kind')}</dt>
          <dd>{enumLabel(t, 'kind', e.kind)}</dd>
        </div>
        {e.taxCode && (
          <div>
            <dt>{t('enterprise.taxCode')}</dt>
            <dd>{e.taxCode}</dd>
          </div>
        )}
        {e.primaryVsic && (
          <div>
            <dt>{t('enterprise.vsic')}</dt>
            <dd>{vsicName(e.primaryVsic, lang)}</dd>
          </div>
        )}
        {state === 'rejected' && e.verification?.reason && (
          <div>
            <dt>{t('firms.reason')}</dt>
            <dd>{e.verification.reason}</dd>
          </div>
        )}
        {state !== 'unverified' && e.verification?.decidedAt && (
          <div>
            <dt>{t('firms.decidedAt')}</dt>
            <dd>{date(e.verification.decidedAt)}</dd>
          </div>
        )}
      </dl>
      {mayDecide && (
        <div class="firm-actions">
          {state !== 'verified' && (
            <button type="button" class="button button-primary" disabled={busy} onClick={verify}>
              {t('firms.verify')}
            </button>
          )}
          {state === 'unverified' && !rejecting && (
            <button type="button" class="button" disabled={busy} onClick={() => setRejecting(true)}>
              {t('firms.reject')}
            </button>
          )}
          {state === 'verified' && (
            <button type="button" class="button" disabled={busy} onClick={() => lead(!e.leadFirm)}>
              {e.leadFirm ? t('firms.unlead') : t('firms.lead')}
            </button>
          )}
        </div>
      )}
      {rejecting && (
        <form
          class="reject-form"
          onSubmit={(event) => {
            event.preventDefault();
            reject();
          }}
        >
          <Field label={t('firms.reasonLabel')} hint={t('firms.reasonHint')}>
            {({ id, describedBy }) => (
              <textarea
                id={id}
                rows={2}
                maxLength={500}
                required
                aria-describedby={describedBy}
                value={reason}
                onInput={(event) => setReason(event.currentTarget.value)}
              />
            )}
          </Field>
          <div class="firm-actions">
            <button type="submit" class="button button-danger" disabled={busy}>
              {t('firms.confirmReject')}
            </button>
            <button type="button" class="button button-ghost" onClick={() => setRejecting(false)}>
              {t('firms.cancel')}
            </button>
          </div>
        </form>
      )}
      {error && (
        <p class="field-error" role="alert">
          {error}
        </p>
      )}
    </li>
  );
}
