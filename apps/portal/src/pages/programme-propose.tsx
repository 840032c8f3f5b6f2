import type { Schemas } from '@lienket/api-client';
import { useState } from 'preact/hooks';
import { ErrorNotice, Field, Loading, Notice, PageTitle } from '../components/ui';
import { answer, client, fieldErrors, problemMessage } from '../lib/api';
import { useAuth } from '../lib/auth';
import { type MessageKey, useI18n } from '../lib/i18n';
import { useLoad } from '../lib/load';
import {
  formatVnd,
  lineLabel,
  lineOf,
  millionsToVnd,
  mixProblems,
  type Scheme,
  SUPPORT_LINES,
  type SupportLineRule,
  vnd,
} from '../lib/programme';
import { href, navigate } from '../lib/router';

type Source = 'provincial' | 'national';
type Proposal = Schemas['lienket.programme.v1.ProposeSchemeRequest'];
type Kind = NonNullable<Proposal['beneficiaryKind']>;

interface Draft {
  line: string;
  title: string;
  year: number;
  source: Source;
  cost: string;
  state: string;
  counterpart: string;
  sponsor: string;
}

const FIELDS = [
  'line',
  'title',
  'year',
  'stateSource',
  'costVnd',
  'stateVnd',
  'counterpartVnd',
  'sponsorVnd',
  'beneficiaryKind',
];

/**
 * An establishment proposes a scheme in three steps: the support line (its rules shown: what it pays for,
 * the cap, the counterpart share), the scheme, the money (sums checked as it is typed; the service has
 * the last word and its field errors are shown at the fields).
 */
export function ProgrammeProposePage() {
  const { t, lang, number } = useI18n();
  const { session } = useAuth();
  const enterpriseId = session?.enterpriseId ?? '';
  const [step, setStep] = useState(1);
  const [draft, setDraft] = useState<Draft>({
    line: '',
    title: '',
    year: new Date().getFullYear(),
    source: 'provincial',
    cost: '',
    state: '',
    counterpart: '',
    sponsor: '',
  });
  const [error, setError] = useState<unknown>();
  const [sending, setSending] = useState(false);
  const [proposed, setProposed] = useState<Scheme>();

  const firm = useLoad(
    async (signal) =>
      (await answer(
        client.GET('/v1/enterprises/{enterpriseId}', { params: { path: { enterpriseId } }, signal }),
      )) as { enterprise?: { kind?: string; province?: { code?: string } } },
    [enterpriseId],
  );
  const rules = useLoad(
    async (signal) =>
      (
        (await answer(
          client.GET('/v1/programme/support-lines', {
            params: { query: { year: draft.year, source: draft.source } },
            signal,
          }),
        )) as { rules?: SupportLineRule[] }
      ).rules ?? [],
    [draft.year, draft.source],
  );
  const kind = firm.data?.enterprise?.kind ?? '';
  const province = firm.data?.enterprise?.province?.code ?? '';
  const rule = rules.data?.find((r) => lineOf(r.line) === draft.line);
  const money = (n: number) => formatVnd(n, lang, number);
  const set = (change: Partial<Draft>) => setDraft((d) => ({ ...d, ...change }));

  const mix = {
    cost: millionsToVnd(draft.cost),
    state: millionsToVnd(draft.state),
    counterpart: millionsToVnd(draft.counterpart),
    sponsor: millionsToVnd(draft.sponsor),
  };
  const typed = Object.values(mix).every((n) => Number.isFinite(n));
  const check = mixProblems(mix, rule);
  const errors = fieldErrors(error, lang, FIELDS);

  const submit = async () => {
    setSending(true);
    setError(undefined);
    try {
      const result = (await answer(
        client.POST('/v1/programme/schemes', {
          body: {
            title: draft.title,
            line: `SUPPORT_LINE_${draft.line.toUpperCase()}` as NonNullable<Proposal['line']>,
            year: draft.year,
            province,
            beneficiaryEnterpriseId: enterpriseId,
            beneficiaryKind: kind as Kind,
            funding: {
              cost: { vnd: mix.cost },
              state: { vnd: mix.state },
              stateSource:
                draft.source === 'national' ? 'FUNDING_SOURCE_NATIONAL' : 'FUNDING_SOURCE_PROVINCIAL',
              counterpart: { vnd: mix.counterpart },
              sponsor: { vnd: mix.sponsor },
            },
          },
        }),
      )) as { scheme?: Scheme };
      setProposed(result.scheme);
    } catch (caught) {
      setError(caught);
      // A refusal about the line or the scheme's text sends the person back to that step.
      const fields = fieldErrors(caught, lang, FIELDS);
      if (fields.line) setStep(1);
      else if (fields.title || fields.year) setStep(2);
    } finally {
      setSending(false);
    }
  };

  if (proposed)
    return (
      <>
        <PageTitle>{t('prog.propose')}</PageTitle>
        <Notice kind="ok">{t('prog.proposed', { title: proposed.title })}</Notice>
        <p>
          <a class="button button-primary" href={href(`/programme/scheme/${proposed.schemeId}`)}>
            {proposed.title}
          </a>{' '}
          <a class="button" href={href('/programme')}>
            {t('prog.title')}
          </a>
        </p>
      </>
    );

  const stepTitle = t(`prog.step${step}` as MessageKey);
  return (
    <>
      <PageTitle>{t('prog.propose')}</PageTitle>
      <p class="eyebrow">{t('prog.step', { n: step })}</p>
      {firm.error ? <ErrorNotice error={firm.error} retry={firm.reload} /> : null}
      <form
        class="form"
        aria-label={stepTitle}
        onSubmit={(e) => {
          e.preventDefault();
          if (step < 3) setStep(step + 1);
          else void submit();
        }}
      >
        <h2>{stepTitle}</h2>
        {step === 1 &&
          (rules.error ? (
            <ErrorNotice error={rules.error} retry={rules.reload} />
          ) : !rules.data ? (
            <Loading />
          ) : (
            <fieldset class="checks">
              <legend class="sr-only">{stepTitle}</legend>
              {errors.line && <p class="field-error">{errors.line.join(' ')}</p>}
              {SUPPORT_LINES.map((line) => {
                const r = rules.data?.find((x) => lineOf(x.line) === line);
                const eligible = !kind || (r?.eligibleKinds ?? []).includes(kind as Kind);
                return (
                  <label key={line} class="card check" data-line={line}>
                    <input
                      type="radio"
                      name="line"
                      value={line}
                      required
                      checked={draft.line === line}
                      onChange={() => set({ line })}
                    />
                    <span>
                      <strong>{lineLabel(t, line)}</strong>
                      {r && (
                        <span class="small">
                          <br />
                          {t('prog.rule.cap', { cap: money(vnd(r.cap)) })}
                          {' · '}
                          {t('prog.rule.counterpart', { pct: r.minCounterpartPercent ?? 0 })}
                          {/* The service words what a line pays for in English only (its rules carry no Vietnamese). */}
                          {lang === 'en' && (
                            <>
                              <br />
                              {t('prog.rule.funds', { funds: (r.funds ?? []).join('; ') })}
                            </>
                          )}
                        </span>
                      )}
                      {!eligible && (
                        <span class="small field-error">
                          <br />
                          {t('prog.rule.notEligible')}
                        </span>
                      )}
                    </span>
                  </label>
                );
              })}
            </fieldset>
          ))}
        {step === 2 && (
          <>
            <Field label={t('prog.field.title')} hint={t('prog.field.titleHint')} errors={errors.title}>
              {({ id, describedBy, invalid }) => (
                <input
                  id={id}
                  aria-describedby={describedBy}
                  aria-invalid={invalid}
                  value={draft.title}
                  required
                  minLength={3}
                  maxLength={200}
                  onInput={(e) => set({ title: e.currentTarget.value })}
                />
              )}
            </Field>
            <Field label={t('prog.field.year')} errors={errors.year}>
              {({ id, describedBy, invalid }) => (
                <input
                  id={id}
                  type="number"
                  inputMode="numeric"
                  min={2000}
                  max={2100}
                  aria-describedby={describedBy}
                  aria-invalid={invalid}
                  value={draft.year}
                  onInput={(e) => set({ year: Number(e.currentTarget.value) || draft.year })}
                />
              )}
            </Field>
            <Field label={t('prog.field.source')} errors={errors.stateSource}>
              {({ id, describedBy }) => (
                <select
                  id={id}
                  aria-describedby={describedBy}
                  value={draft.source}
                  onChange={(e) => set({ source: e.currentTarget.value as Source })}
                >
                  <option value="provincial">{t('prog.source.provincial')}</option>
                  <option value="national">{t('prog.source.national')}</option>
                </select>
              )}
            </Field>
          </>
        )}
        {step === 3 && (
          <>
            <p class="muted">
              {lineLabel(t, draft.line)}
              {rule &&
                ` · ${t('prog.rule.cap', { cap: money(vnd(rule.cap)) })} · ${t('prog.rule.counterpart', { pct: rule.minCounterpartPercent ?? 0 })}`}
            </p>
            {(
              [
                ['cost', 'prog.field.cost', 'costVnd'],
                ['state', 'prog.field.state', 'stateVnd'],
                ['counterpart', 'prog.field.counterpart', 'counterpartVnd'],
                ['sponsor', 'prog.field.sponsor', 'sponsorVnd'],
              ] as const
            ).map(([key, label, field]) => (
              <Field
                key={key}
                label={t(label)}
                hint={key === 'cost' ? t('prog.money.hint') : undefined}
                errors={errors[field]}
              >
                {({ id, describedBy, invalid }) => (
                  <input
                    id={id}
                    name={key}
                    inputMode="decimal"
                    autoComplete="off"
                    required={key !== 'sponsor'}
                    aria-describedby={describedBy}
                    aria-invalid={invalid}
                    value={draft[key]}
                    onInput={(e) => set({ [key]: e.currentTarget.value })}
                  />
                )}
              </Field>
            ))}
            <div class="notice" role="status" aria-live="polite" data-testid="mix-check">
              {typed && mix.cost > 0 ? (
                <>
                  <p>{t('prog.sum.parts', { sum: money(mix.state + mix.counterpart + mix.sponsor) })}</p>
                  <p>
                    {check.gap === 0
                      ? t('prog.sum.ok')
                      : check.gap < 0
                        ? t('prog.sum.short', { gap: money(-check.gap) })
                        : t('prog.sum.over', { gap: money(check.gap) })}
                  </p>
                  {check.overCap && <p>{t('prog.sum.overCap', { cap: money(vnd(rule?.cap)) })}</p>}
                  {mix.counterpart < check.minCounterpart && (
                    <p>{t('prog.sum.lowCounterpart', { min: money(check.minCounterpart) })}</p>
                  )}
                </>
              ) : (
                <p>{t('prog.money.hint')}</p>
              )}
            </div>
          </>
        )}
        {error && Object.keys(errors).length === 0 && (
          <p class="notice notice-error" role="alert">
            {problemMessage(error, lang)}
          </p>
        )}
        {errors[''] && (
          <p class="notice notice-error" role="alert">
            {errors[''].join(' ')}
          </p>
        )}
        <p class="actions">
          {step > 1 && (
            <button type="button" class="button" onClick={() => setStep(step - 1)}>
              {t('prog.back')}
            </button>
          )}
          {step === 1 && (
            <button type="button" class="button" onClick={() => navigate('/programme')}>
              {t('prog.back')}
            </button>
          )}
          <button
            type="submit"
            class="button button-primary"
            disabled={sending || (step === 1 && !draft.line)}
          >
            {step < 3 ? t('prog.next') : t('prog.submit')}
          </button>
        </p>
      </form>
    </>
  );
}
