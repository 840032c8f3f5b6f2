import { useState } from 'preact/hooks';
import { ErrorNotice, Field, Loading, Notice, PageTitle, ScrollRegion } from '../components/ui';
import { answer, client, fieldErrors, problemMessage } from '../lib/api';
import { useAuth } from '../lib/auth';
import { type MessageKey, useI18n } from '../lib/i18n';
import { useLoad } from '../lib/load';
import { formatVnd, lineLabel, type Scheme, statusLabel, statusOf, vnd } from '../lib/programme';
import { provinceName } from '../lib/reference';
import { href, type Route } from '../lib/router';

const CHECKS = ['documents', 'eligible', 'line', 'money', 'impact'] as const;
const FIELDS = ['checklist', 'score', 'reasons', 'passed', 'reason'];

/** A scheme: its funding mix (state, counterpart, sponsors; pledged against received), milestones, appraisal. */
export function ProgrammeSchemePage({ route }: { route: Route }) {
  const { t, lang, number, date } = useI18n();
  const { session } = useAuth();
  const schemeId = route.segments[2] ?? '';
  const [scheme, setScheme] = useState<Scheme>();
  const loaded = useLoad(
    async (signal) => {
      const found = (
        (await answer(
          client.GET('/v1/programme/schemes/{schemeId}', { params: { path: { schemeId } }, signal }),
        )) as { scheme?: Scheme }
      ).scheme;
      setScheme(found);
      return found;
    },
    [schemeId],
  );
  const money = (n: number) => formatVnd(n, lang, number);
  if (loaded.error) return <ErrorNotice error={loaded.error} retry={loaded.reload} />;
  if (!scheme) return <Loading />;

  const f = scheme.funding ?? {};
  const cost = vnd(f.cost);
  const state = vnd(f.state);
  const counterpart = vnd(f.counterpart);
  const sponsor = vnd(f.sponsor);
  const pct = (n: number) => (cost > 0 ? number((n / cost) * 100, 1) : '0');
  const disbursed = (source: string) =>
    (scheme.disbursements ?? [])
      .filter((d) => d.source === source)
      .reduce((sum, d) => sum + vnd(d.amount), 0);
  const pledges = scheme.pledges ?? [];
  const received = pledges
    .filter((p) => p.status === 'PLEDGE_STATUS_RECEIVED')
    .reduce((sum, p) => sum + vnd(p.amount), 0);
  const pledged = pledges.reduce((sum, p) => sum + vnd(p.amount), 0);
  const status = statusOf(scheme.status);
  const manager =
    session?.role === 'admin' || (session?.role === 'province' && session.provinceCode === scheme.province);

  return (
    <>
      <p class="eyebrow">
        <a href={href('/programme')}>{t('prog.title')}</a>
      </p>
      <PageTitle>{scheme.title}</PageTitle>
      <p class="badges">
        <span class={`badge badge-status-${status}`} data-testid="scheme-status">
          {statusLabel(t, scheme.status)}
        </span>
        <span class="badge badge-muted">{lineLabel(t, scheme.line)}</span>
        <span class="badge badge-muted">
          {provinceName(scheme.province ?? '')} · {scheme.year}
        </span>
      </p>
      {scheme.decisionReason && <p>{t('prog.decision', { reason: scheme.decisionReason })}</p>}

      <section aria-labelledby="scheme-money">
        <h2 id="scheme-money">{t('prog.money')}</h2>
        <ScrollRegion label={t('prog.money')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('prog.money.source')}</th>
                <th scope="col">{t('prog.money.planned')}</th>
                <th scope="col">%</th>
                <th scope="col">{t('prog.money.disbursed')}</th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <th scope="row">
                  {f.stateSource === 'FUNDING_SOURCE_NATIONAL'
                    ? t('prog.money.stateNational')
                    : t('prog.money.stateProvincial')}
                </th>
                <td>{money(state)}</td>
                <td>{pct(state)}</td>
                <td>{money(disbursed('state'))}</td>
              </tr>
              <tr>
                <th scope="row">{t('prog.money.counterpart')}</th>
                <td>{money(counterpart)}</td>
                <td>{pct(counterpart)}</td>
                <td>{money(disbursed('counterpart'))}</td>
              </tr>
              <tr>
                <th scope="row">{t('prog.money.sponsor')}</th>
                <td>{money(sponsor)}</td>
                <td>{pct(sponsor)}</td>
                <td>{money(received)}</td>
              </tr>
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">{t('prog.money.cost')}</th>
                <td>{money(cost)}</td>
                <td>100</td>
                <td />
              </tr>
            </tfoot>
          </table>
        </ScrollRegion>
        <p class="muted">{t('prog.money.nonState', { pct: pct(counterpart + sponsor) })}</p>
        <h3>{t('prog.pledges')}</h3>
        {pledges.length === 0 ? (
          <p class="muted">{t('prog.pledges.none')}</p>
        ) : (
          <dl class="facts-inline">
            <div>
              <dt>{t('prog.money.pledged')}</dt>
              <dd>{money(pledged)}</dd>
            </div>
            <div>
              <dt>{t('prog.money.received')}</dt>
              <dd>{money(received)}</dd>
            </div>
          </dl>
        )}
      </section>

      <section aria-labelledby="scheme-milestones">
        <h2 id="scheme-milestones">{t('prog.milestones')}</h2>
        {(scheme.milestones ?? []).length === 0 ? (
          <p class="muted">{t('prog.milestones.none')}</p>
        ) : (
          <ol>
            {(scheme.milestones ?? []).map((m) => (
              <li key={m.milestoneId}>
                {m.title} <span class="muted">{date(m.recordedAt)}</span>
              </li>
            ))}
          </ol>
        )}
      </section>

      <section aria-labelledby="scheme-appraisal">
        <h2 id="scheme-appraisal">{t('prog.appraisal')}</h2>
        {scheme.appraisal && (
          <>
            <p>
              {t('prog.appraisal.result', {
                result: scheme.appraisal.passed ? t('prog.appraisal.passed') : t('prog.appraisal.failed'),
                score: scheme.appraisal.score ?? 0,
              })}
            </p>
            {scheme.appraisal.reasons && <p>{scheme.appraisal.reasons}</p>}
            <ul class="checklist">
              {(scheme.appraisal.checklist ?? []).map((c) => (
                <li key={c.item}>
                  {c.passed ? '✓' : '✗'} {c.item}
                </li>
              ))}
            </ul>
          </>
        )}
        {manager && status === 'proposed' && <AppraisalForm scheme={scheme} onDone={setScheme} />}
        {manager && status === 'appraised' && <Decision scheme={scheme} onDone={setScheme} />}
      </section>
    </>
  );
}

function AppraisalForm({ scheme, onDone }: { scheme: Scheme; onDone(s: Scheme): void }) {
  const { t, lang } = useI18n();
  const [checks, setChecks] = useState<Record<string, boolean>>({});
  const [score, setScore] = useState('');
  const [reasons, setReasons] = useState('');
  const [error, setError] = useState<unknown>();
  const [sending, setSending] = useState(false);
  const errors = fieldErrors(error, lang, FIELDS);
  const allPassed = CHECKS.every((c) => checks[c]);
  const send = async (passed: boolean) => {
    setSending(true);
    setError(undefined);
    try {
      const result = (await answer(
        client.POST('/v1/programme/schemes/{schemeId}/appraisal', {
          params: { path: { schemeId: scheme.schemeId } },
          body: {
            checklist: CHECKS.map((c) => ({
              item: t(`prog.check.${c}` as MessageKey),
              passed: Boolean(checks[c]),
            })),
            score: Number(score),
            reasons,
            passed,
          },
        }),
      )) as { scheme?: Scheme };
      if (result.scheme) onDone(result.scheme);
    } catch (caught) {
      setError(caught);
    } finally {
      setSending(false);
    }
  };
  return (
    <form
      class="form"
      aria-label={t('prog.appraise')}
      onSubmit={(e) => {
        e.preventDefault();
        void send(allPassed);
      }}
    >
      <fieldset>
        <legend>{t('prog.appraisal.checklist')}</legend>
        {CHECKS.map((c) => (
          <label key={c} class="check">
            <input
              type="checkbox"
              name={`check-${c}`}
              checked={Boolean(checks[c])}
              onChange={(e) => setChecks({ ...checks, [c]: e.currentTarget.checked })}
            />{' '}
            {t(`prog.check.${c}` as MessageKey)}
          </label>
        ))}
      </fieldset>
      <Field label={t('prog.appraisal.score')} errors={errors.score}>
        {({ id, describedBy, invalid }) => (
          <input
            id={id}
            name="score"
            type="number"
            inputMode="numeric"
            min={0}
            max={100}
            required
            aria-describedby={describedBy}
            aria-invalid={invalid}
            value={score}
            onInput={(e) => setScore(e.currentTarget.value)}
          />
        )}
      </Field>
      <Field label={t('prog.appraisal.reasons')} errors={errors.reasons ?? errors.passed}>
        {({ id, describedBy, invalid }) => (
          <textarea
            id={id}
            name="reasons"
            required
            maxLength={2000}
            rows={3}
            aria-describedby={describedBy}
            aria-invalid={invalid}
            value={reasons}
            onInput={(e) => setReasons(e.currentTarget.value)}
          />
        )}
      </Field>
      {error && !errors.score && !errors.reasons && !errors.passed && (
        <p class="notice notice-error" role="alert">
          {problemMessage(error, lang)}
        </p>
      )}
      <p class="actions">
        <button type="submit" class="button button-primary" disabled={sending}>
          {allPassed ? t('prog.appraisal.passed') : t('prog.appraisal.failed')}: {t('prog.appraise')}
        </button>
      </p>
    </form>
  );
}

function Decision({ scheme, onDone }: { scheme: Scheme; onDone(s: Scheme): void }) {
  const { t, lang } = useI18n();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<string>();
  const path = { params: { path: { schemeId: scheme.schemeId } } };
  const act = async (call: () => Promise<{ scheme?: Scheme }>) => {
    setError(undefined);
    try {
      const result = await call();
      if (result.scheme) {
        setDone(t('prog.decided', { status: statusLabel(t, result.scheme.status) }));
        onDone(result.scheme);
      }
    } catch (caught) {
      setError(caught);
    }
  };
  const errors = fieldErrors(error, lang, FIELDS);
  return (
    <div class="form">
      {done && <Notice kind="ok">{done}</Notice>}
      <p class="actions">
        <button
          type="button"
          class="button button-primary"
          onClick={() =>
            void act(
              async () =>
                (await answer(client.POST('/v1/programme/schemes/{schemeId}/approval', path))) as {
                  scheme?: Scheme;
                },
            )
          }
        >
          {t('prog.approve')}
        </button>
      </p>
      <form
        class="reject-form"
        onSubmit={(e) => {
          e.preventDefault();
          void act(
            async () =>
              (await answer(
                client.POST('/v1/programme/schemes/{schemeId}/rejection', { ...path, body: { reason } }),
              )) as { scheme?: Scheme },
          );
        }}
      >
        <Field label={t('prog.reject.reason')} errors={errors.reason}>
          {({ id, describedBy, invalid }) => (
            <input
              id={id}
              required
              maxLength={2000}
              aria-describedby={describedBy}
              aria-invalid={invalid}
              value={reason}
              onInput={(e) => setReason(e.currentTarget.value)}
            />
          )}
        </Field>
        <button type="submit" class="button button-danger">
          {t('prog.reject')}
        </button>
      </form>
      {error && !errors.reason && (
        <p class="notice notice-error" role="alert">
          {problemMessage(error, lang)}
        </p>
      )}
    </div>
  );
}
