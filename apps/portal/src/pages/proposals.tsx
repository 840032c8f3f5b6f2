import { useEffect, useState } from 'preact/hooks';
import { ContactLinks } from '../components/contact-links';
import { ErrorNotice, Field, Loading, Notice, Pager, PageTitle, ScrollRegion } from '../components/ui';
import { answer, client } from '../lib/api';
import { useAuth } from '../lib/auth';
import { useEnterpriseNames } from '../lib/enterprises';
import { enumLabel, shortEnum, useI18n } from '../lib/i18n';
import { useLoad } from '../lib/load';
import { provinceName } from '../lib/reference';
import { href, navigate, type Route } from '../lib/router';
import type { ListProposalsResponse, Proposal } from '../lib/types';

const STATUSES = ['proposed', 'accepted_by_one', 'established', 'declined', 'expired', 'retracted'] as const;

// Posting titles for the proposals on screen; postings are public.
const titles = new Map<string, Promise<string>>();
function postingTitle(id: string): Promise<string> {
  let pending = titles.get(id);
  if (!pending) {
    pending = answer(client.GET('/v1/postings/{postingId}', { params: { path: { postingId: id } } })).then(
      (p) => (p?.need ?? p?.capability)?.title ?? id,
      () => {
        titles.delete(id);
        return id;
      },
    );
    titles.set(id, pending);
  }
  return pending;
}

function usePostingTitles(ids: string[]): Record<string, string> {
  const [known, setKnown] = useState<Record<string, string>>({});
  const key = [...new Set(ids)].sort().join(',');
  useEffect(() => {
    let live = true;
    for (const id of key ? key.split(',') : [])
      void postingTitle(id).then((title) => {
        if (live) setKnown((k) => (k[id] === title ? k : { ...k, [id]: title }));
      });
    return () => {
      live = false;
    };
  }, [key]);
  return known;
}

function ProposalCard({
  proposal,
  names,
  titles: postingTitles,
  onChange,
}: {
  proposal: Proposal;
  names: Record<string, string>;
  titles: Record<string, string>;
  onChange(p: Proposal, message: string): void;
}) {
  const { t, lang, number, date } = useI18n();
  const { session } = useAuth();
  const [declining, setDeclining] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [contact, setContact] = useState<{ person?: string; phone?: string; email?: string }>();
  const p = proposal;
  const mine = session?.enterpriseId ?? '';
  const side =
    mine === p.buyerEnterpriseId ? 'buyer' : mine === p.supplierEnterpriseId ? 'supplier' : undefined;
  const myAcceptance =
    side === 'buyer' ? p.buyerAcceptedAt : side === 'supplier' ? p.supplierAcceptedAt : undefined;
  const status = shortEnum(p.status ?? '', 'PROPOSAL_STATUS_');
  const open = status === 'proposed' || status === 'accepted_by_one';
  const counterpart = side === 'buyer' ? p.supplierEnterpriseId : p.buyerEnterpriseId;
  const top = Math.max(0.001, ...(p.components ?? []).map((c) => c.contribution ?? 0));

  const act = async (action: 'acceptance' | 'decline') => {
    setBusy(true);
    setError(undefined);
    try {
      const onProposal = { params: { path: { proposalId: p.id } } };
      const result = await answer(
        action === 'decline'
          ? client.POST('/v1/proposals/{proposalId}/decline', {
              ...onProposal,
              body: { reason: reason.trim() },
            })
          : client.POST('/v1/proposals/{proposalId}/acceptance', onProposal),
      );
      const proposal = { ...p, ...result?.proposal } as Proposal;
      const next = shortEnum(proposal.status ?? '', 'PROPOSAL_STATUS_');
      onChange(
        proposal,
        action === 'decline'
          ? t('proposals.declined')
          : next === 'established'
            ? t('proposals.established')
            : t('proposals.accepted'),
      );
      setDeclining(false);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const showContact = async () => {
    setError(undefined);
    try {
      const result = await answer(
        client.GET('/v1/enterprises/{enterpriseId}/contact', {
          params: { path: { enterpriseId: counterpart }, query: { match_id: p.id } },
        }),
      );
      setContact(result?.contact ?? {});
    } catch (e) {
      setError(e);
    }
  };

  const party = (id: string, province: string | undefined) => (
    <>
      <a href={href(`/enterprise/${id}`)}>{names[id] ?? '…'}</a>
      {province ? ` · ${provinceName(province)}` : ''}
    </>
  );

  return (
    <article class="card proposal" aria-labelledby={`proposal-${p.id}`} data-proposal={p.id}>
      <p class="badges">
        <span class={`badge badge-status-${status}`}>
          {enumLabel(t, 'pstatus', p.status, 'PROPOSAL_STATUS_')}
        </span>
        <span class="badge badge-score">
          {t('proposals.score', { score: `${number((p.score ?? 0) * 100)}%` })}
        </span>
        {p.category && <span class="badge">{enumLabel(t, 'category', p.category, 'NEED_CATEGORY_')}</span>}
      </p>
      <h3 id={`proposal-${p.id}`}>{postingTitles[p.needId] ?? t('proposals.need')}</h3>
      <dl class="facts">
        <div>
          <dt>{t('proposals.buyer')}</dt>
          <dd>{party(p.buyerEnterpriseId, p.buyerProvince)}</dd>
        </div>
        <div>
          <dt>{t('proposals.supplier')}</dt>
          <dd>{party(p.supplierEnterpriseId, p.supplierProvince)}</dd>
        </div>
        <div>
          <dt>{t('proposals.capability')}</dt>
          <dd>{postingTitles[p.capabilityId] ?? '…'}</dd>
        </div>
        {open && p.expiresAt && (
          <div>
            <dt class="sr-only">{t('proposals.expires', { date: '' })}</dt>
            <dd>{t('proposals.expires', { date: date(p.expiresAt) })}</dd>
          </div>
        )}
      </dl>
      <p class="reason">{(lang === 'vi' ? p.reasonVi : p.reason) || p.reason}</p>
      {(p.components ?? []).length > 0 && (
        <ScrollRegion label={t('proposals.why')}>
          <table class="components">
            <caption>{t('proposals.why')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('proposals.component')}</th>
                <th scope="col" class="num">
                  {t('proposals.value')}
                </th>
                <th scope="col" class="num">
                  {t('proposals.weight')}
                </th>
                <th scope="col" class="num">
                  {t('proposals.contribution')}
                </th>
                <th scope="col">{t('proposals.detail')}</th>
              </tr>
            </thead>
            <tbody>
              {(p.components ?? []).map((c) => (
                <tr key={c.name}>
                  <th scope="row">{enumLabel(t, 'component', c.name)}</th>
                  <td class="num">{number(c.value ?? 0, 2)}</td>
                  <td class="num">{number(c.weight ?? 0, 2)}</td>
                  <td class="num">
                    <span class="bar" style={{ width: `${((c.contribution ?? 0) / top) * 3}rem` }} />
                    {number(c.contribution ?? 0, 3)}
                  </td>
                  <td>{(lang === 'vi' ? c.detailVi : c.detail) || c.detail}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
      {p.declineReason && <p>{t('proposals.declineReasonShown', { reason: p.declineReason })}</p>}
      {error ? <ErrorNotice error={error} /> : null}
      {side && open && !myAcceptance && !declining && (
        <div class="actions">
          <button
            type="button"
            class="button button-primary"
            disabled={busy}
            onClick={() => act('acceptance')}
          >
            {t('proposals.accept')}
          </button>
          <button type="button" class="button" disabled={busy} onClick={() => setDeclining(true)}>
            {t('proposals.decline')}
          </button>
        </div>
      )}
      {side && open && myAcceptance && <p class="muted">{t('proposals.waiting')}</p>}
      {declining && (
        <form
          class="form decline"
          onSubmit={(e) => {
            e.preventDefault();
            void act('decline');
          }}
        >
          <Field label={t('proposals.declineReason')}>
            {({ id, describedBy }) => (
              <textarea
                id={id}
                rows={2}
                maxLength={500}
                aria-describedby={describedBy}
                value={reason}
                onInput={(e) => setReason(e.currentTarget.value)}
              />
            )}
          </Field>
          <div class="actions">
            <button type="submit" class="button button-danger" disabled={busy}>
              {t('proposals.declineConfirm')}
            </button>
            <button type="button" class="button" onClick={() => setDeclining(false)}>
              {t('proposals.cancel')}
            </button>
          </div>
        </form>
      )}
      {side && status === 'established' && !contact && (
        <button type="button" class="button" onClick={showContact}>
          {t('proposals.contact')}
        </button>
      )}
      {contact && <ContactLinks contact={contact} />}
    </article>
  );
}

export function ProposalsPage({ route }: { route: Route }) {
  const { t } = useI18n();
  const status = route.query.get('status') ?? '';
  const token = route.query.get('page') ?? '';
  const [previous, setPrevious] = useState<string[]>([]);
  const [message, setMessage] = useState<string>();
  const [updated, setUpdated] = useState<Record<string, Proposal>>({});
  const loaded = useLoad(
    (signal) =>
      answer(
        client.GET('/v1/proposals', {
          // The status comes from the link; the gateway refuses one it does not know.
          params: {
            query: {
              status: status ? [status as (typeof STATUSES)[number]] : undefined,
              page_size: 20,
              page_token: token,
            },
          },
          signal,
        }),
      ) as Promise<ListProposalsResponse | undefined>,
    [status, token],
  );
  const proposals = (loaded.data?.proposals ?? []).map((p) => updated[p.id] ?? p);
  const names = useEnterpriseNames(proposals.flatMap((p) => [p.buyerEnterpriseId, p.supplierEnterpriseId]));
  const postingTitles = usePostingTitles(proposals.flatMap((p) => [p.needId, p.capabilityId]));
  const next = loaded.data?.page?.nextPageToken ?? '';

  return (
    <>
      <PageTitle>{t('proposals.title')}</PageTitle>
      <div class="toolbar">
        <Field label={t('proposals.status')}>
          {({ id }) => (
            <select
              id={id}
              value={status}
              onChange={(e) => {
                setPrevious([]);
                navigate('/my/proposals', { status: e.currentTarget.value });
              }}
            >
              <option value="">{t('proposals.all')}</option>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {enumLabel(t, 'pstatus', s)}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      {message && <Notice kind="ok">{message}</Notice>}
      {loaded.error ? <ErrorNotice error={loaded.error} retry={loaded.reload} /> : null}
      {!loaded.data && loaded.loading && <Loading />}
      {loaded.data && proposals.length === 0 && <p>{t('proposals.none')}</p>}
      <ul class="cards">
        {proposals.map((p) => (
          <li key={p.id}>
            <ProposalCard
              proposal={p}
              names={names}
              titles={postingTitles}
              onChange={(changed, text) => {
                setUpdated((u) => ({ ...u, [changed.id]: changed }));
                setMessage(text);
              }}
            />
          </li>
        ))}
      </ul>
      <Pager
        page={previous.length + 1}
        hasPrevious={previous.length > 0}
        hasNext={Boolean(next)}
        onPrevious={() => {
          const back = previous[previous.length - 1] ?? '';
          setPrevious(previous.slice(0, -1));
          navigate('/my/proposals', { status, page: back });
        }}
        onNext={() => {
          setPrevious([...previous, token]);
          navigate('/my/proposals', { status, page: next });
        }}
      />
    </>
  );
}
