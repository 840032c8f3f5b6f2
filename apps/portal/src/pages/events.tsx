import { createEventStreamParser, readEventStream } from '@lienket/api-client';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ErrorNotice, Field, PageTitle } from '../components/ui';
import { ApiError, authHeader, type Problem, queryString } from '../lib/api';
import { eventGroups, eventLabel, type FirmMention, firmRoleLabels, firmsIn } from '../lib/event-labels';
import { type FirmNames, rememberFirmName, useFirmNames } from '../lib/firm-names';
import { type Lang, useI18n } from '../lib/i18n';
import { provinceName, provinces, regionName, regions } from '../lib/reference';
import type { Route } from '../lib/router';
import type { CloudEvent } from '../lib/types';

const KEEP = 200;
const RETRY_MS = 3_000;
/** On opening, and after a new filter, the stream replays this far back, so the list is never empty for nothing. */
const REPLAY_MS = 60 * 60_000;

const CONTEXTS = [
  ['vn.lienket.registry.', 'events.typeRegistry'],
  ['vn.lienket.matchmaking.', 'events.typeMatchmaking'],
  ['vn.lienket.techtransfer.', 'events.typeTech'],
] as const;

interface StreamFilter {
  type: string;
  province: string;
  region: string;
  sector: string;
}

type Status = 'connecting' | 'live' | 'paused' | 'retrying' | 'failed';

/**
 * Reads `GET /v1/events/stream` with fetch (EventSource cannot send the bearer token): every frame's id is
 * a cursor, so a pause or a lost connection resumes from the last one without gaps.
 */
async function readStream(
  filter: StreamFilter,
  from: { lastId: string | undefined; since: string },
  signal: AbortSignal,
  on: { open(): void; id(id: string): void; event(event: CloudEvent): void },
): Promise<void> {
  const { lastId } = from;
  // A cursor resumes exactly; without one the stream replays from `since`.
  const query = queryString({ ...filter, ...(lastId ? {} : { since: from.since }) });
  const response = await fetch(`/v1/events/stream${query}`, {
    headers: { accept: 'text/event-stream', ...authHeader(), ...(lastId ? { 'last-event-id': lastId } : {}) },
    signal,
    cache: 'no-store',
  });
  if (!response.ok || !response.body) {
    const problem = (await response.json().catch(() => ({}))) as Partial<Problem>;
    throw new ApiError({ status: response.status, ...problem });
  }
  on.open();
  // Every id moves the resume point: events', the stream's start position's and heartbeats'.
  const parser = createEventStreamParser(
    {
      onEvent: ({ id, data }) => {
        try {
          on.event(JSON.parse(data) as CloudEvent);
        } catch {
          // not JSON: not one of ours
        }
        if (id) on.id(id);
      },
      onId: (id) => {
        if (id) on.id(id);
      },
    },
    lastId,
  );
  await readEventStream(response.body, parser, { signal });
}

function headline(data: unknown, lang: 'vi' | 'en', depth = 0): string | undefined {
  if (depth > 3 || data === null || typeof data !== 'object') return undefined;
  const record = data as Record<string, unknown>;
  for (const key of ['title', 'name', 'offerTitle', lang === 'vi' ? 'reasonVi' : 'reason', 'reason']) {
    const value = record[key];
    if (typeof value === 'string' && value) return value;
  }
  for (const value of Object.values(record)) {
    const found = headline(value, lang, depth + 1);
    if (found) return found;
  }
  return undefined;
}

function provincesIn(data: unknown): string[] {
  const found = new Set<string>();
  const walk = (value: unknown, key: string, depth: number) => {
    if (depth > 6 || value === null || value === undefined) return;
    if (Array.isArray(value)) for (const item of value) walk(item, key, depth + 1);
    else if (typeof value === 'object') {
      const record = value as Record<string, unknown>;
      if (/province$/i.test(key) && typeof record.code === 'string') found.add(record.code);
      for (const [k, v] of Object.entries(record)) walk(v, k, depth + 1);
    } else if (typeof value === 'string' && /province$/i.test(key) && /^\d{2}$/.test(value)) found.add(value);
  };
  walk(data, '', 0);
  return [...found];
}

const regionOfProvince = new Map(provinces.map((p) => [p.code, p.region as string]));

function codesIn(data: unknown): string[] {
  const found: string[] = [];
  const walk = (value: unknown, key: string, depth: number) => {
    if (depth > 6 || value === null || value === undefined) return;
    if (Array.isArray(value)) for (const item of value) walk(item, key, depth + 1);
    else if (typeof value === 'object')
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) walk(v, k, depth + 1);
    else if (typeof value === 'string' && /^(vsicCodes|hsCodes|primaryVsic)$/.test(key)) found.push(value);
  };
  walk(data, '', 0);
  return found;
}

/** The stream's own filter rule, for the events already shown when a new filter is applied. */
function matchesFilter(event: CloudEvent, filter: StreamFilter): boolean {
  if (filter.type && !event.type.startsWith(filter.type)) return false;
  const places = provincesIn(event.data);
  if (filter.province && !places.includes(filter.province)) return false;
  if (filter.region && !places.some((p) => regionOfProvince.get(p) === filter.region)) return false;
  if (filter.sector && !codesIn(event.data).some((c) => c.startsWith(filter.sector))) return false;
  return true;
}

const newestFirst = (a: CloudEvent, b: CloudEvent) => b.time.localeCompare(a.time);

function Firms({ firms, names, lang }: { firms: FirmMention[]; names: FirmNames; lang: Lang }) {
  const { t } = useI18n();
  if (firms.length === 0) return null;
  return (
    <p class="event-firms">
      {firms.map((firm, index) => {
        const name = firm.name ?? names[firm.id];
        return (
          <span key={firm.id} class="event-firm" data-enterprise={firm.id}>
            {index > 0 ? ' · ' : ''}
            <span class="event-firm-role">{firmRoleLabels[firm.role][lang]}: </span>
            {name ? (
              <a href={`#/enterprise/${encodeURIComponent(firm.id)}`}>{name}</a>
            ) : name === null ? (
              <span class="muted">{t('events.firmUnknown')}</span>
            ) : (
              <span class="placeholder" aria-busy="true">
                {t('events.firmLoading')}
              </span>
            )}
          </span>
        );
      })}
    </p>
  );
}

export function EventsPage(_: { route: Route }) {
  const { t, lang, dateTime } = useI18n();
  const [draft, setDraft] = useState<StreamFilter>({ type: '', province: '', region: '', sector: '' });
  const [filter, setFilter] = useState<StreamFilter>(draft);
  const [events, setEvents] = useState<CloudEvent[]>([]);
  const [paused, setPaused] = useState(false);
  const [status, setStatus] = useState<Status>('connecting');
  const [error, setError] = useState<unknown>();
  const lastId = useRef<string | undefined>(undefined);
  const [filtersOpen, setFiltersOpen] = useState(() => window.matchMedia('(min-width: 48rem)').matches);
  const chosen = Object.values(filter).filter(Boolean).length;
  // Replays start an hour before the page opened: a new filter shows what matched it since then too.
  const since = useRef(new Date(Date.now() - REPLAY_MS).toISOString());
  const mentions = events.map((event) => ({ event, firms: firmsIn(event.data) }));
  const names = useFirmNames(mentions.flatMap((m) => m.firms.filter((f) => !f.name).map((f) => f.id)));

  useEffect(() => {
    if (paused) {
      setStatus('paused');
      return;
    }
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const connect = () => {
      setStatus('connecting');
      readStream(filter, { lastId: lastId.current, since: since.current }, controller.signal, {
        open: () => {
          setStatus('live');
          setError(undefined);
        },
        id: (id) => {
          lastId.current = id;
        },
        event: (event) => {
          for (const firm of firmsIn(event.data)) if (firm.name) rememberFirmName(firm.id, firm.name);
          setEvents((list) =>
            [event, ...list.filter((e) => e.id !== event.id)].sort(newestFirst).slice(0, KEEP),
          );
        },
      }).then(
        () => {
          if (!controller.signal.aborted) retry();
        },
        (e: unknown) => {
          if (controller.signal.aborted) return;
          if (e instanceof ApiError && e.status >= 400 && e.status < 500) {
            setError(e);
            setStatus('failed');
          } else retry();
        },
      );
    };
    const retry = () => {
      setStatus('retrying');
      timer = setTimeout(connect, RETRY_MS);
    };
    connect();
    return () => {
      controller.abort();
      if (timer) clearTimeout(timer);
    };
  }, [filter, paused]);

  const statusText =
    status === 'live'
      ? t('events.live')
      : status === 'paused'
        ? t('events.paused')
        : status === 'retrying'
          ? t('events.reconnecting', { s: RETRY_MS / 1000 })
          : status === 'connecting'
            ? t('events.connecting')
            : '';

  return (
    <>
      <PageTitle>{t('events.title')}</PageTitle>
      <form
        class="card form filters-inline"
        aria-labelledby="events-filters"
        onSubmit={(e) => {
          e.preventDefault();
          // The old cursor belongs to the old question: the new one replays from the same start, and the
          // events shown already stay if they match it (they used to be dropped, leaving an empty list).
          const next = { ...draft, sector: draft.sector.trim() };
          lastId.current = undefined;
          setEvents((list) => list.filter((event) => matchesFilter(event, next)));
          setFilter(next);
        }}
      >
        {/* On a phone the filters fold away, so the events come first. */}
        <details
          class="event-filter-fields"
          open={filtersOpen}
          onToggle={(e) => setFiltersOpen(e.currentTarget.open)}
        >
          <summary>
            <h2 id="events-filters">
              {t('events.filters')}
              {chosen > 0 ? ` (${chosen})` : ''}
            </h2>
          </summary>
          <div class="field-row">
            <Field label={t('events.type')}>
              {({ id }) => (
                <select
                  id={id}
                  value={draft.type}
                  onChange={(e) => setDraft({ ...draft, type: e.currentTarget.value })}
                >
                  <option value="">{t('events.typeAll')}</option>
                  {CONTEXTS.map(([prefix, label]) => (
                    <optgroup key={prefix} label={t(label)}>
                      <option value={prefix}>{t('events.typeAllOf', { group: t(label) })}</option>
                      {eventGroups
                        .filter((g) => g.prefix.startsWith(prefix))
                        .flatMap((g) => [
                          <option key={g.prefix} value={g.prefix}>
                            {g[lang]}
                          </option>,
                          ...g.types.map((type) => (
                            <option key={type.type} value={type.type}>
                              {`\u00a0\u00a0${type[lang]}`}
                            </option>
                          )),
                        ])}
                    </optgroup>
                  ))}
                </select>
              )}
            </Field>
            <Field label={t('events.province')}>
              {({ id }) => (
                <select
                  id={id}
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
            <Field label={t('events.region')}>
              {({ id }) => (
                <select
                  id={id}
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
            <Field label={t('events.sector')}>
              {({ id }) => (
                <input
                  id={id}
                  inputMode="numeric"
                  pattern="[0-9]{2,8}"
                  maxLength={8}
                  value={draft.sector}
                  onInput={(e) => setDraft({ ...draft, sector: e.currentTarget.value })}
                />
              )}
            </Field>
          </div>
        </details>
        <div class="actions">
          <button type="submit" class="button button-primary">
            {t('events.apply')}
          </button>
          <button type="button" class="button" aria-pressed={paused} onClick={() => setPaused((p) => !p)}>
            {paused ? t('events.resume') : t('events.pause')}
          </button>
        </div>
      </form>
      <p class={`stream-status stream-${status}`} role="status" data-status={status}>
        {statusText}
      </p>
      {error ? <ErrorNotice error={error} retry={() => setFilter({ ...filter })} /> : null}
      <section aria-labelledby="events-list">
        <h2 id="events-list">
          {events.length ? t('events.count', { n: events.length }) : t('events.noneRecent')}
        </h2>
        <ol class="events" reversed>
          {mentions.map(({ event, firms }) => {
            const places = provincesIn(event.data);
            const title = headline(event.data, lang);
            return (
              <li key={event.id} class="event" data-type={event.type}>
                <p class="event-head">
                  <strong class="event-label">{eventLabel(event.type, lang)}</strong>{' '}
                  <time class="muted" dateTime={event.time}>
                    {dateTime(event.time)}
                  </time>
                </p>
                {title && <p class="event-title">{title}</p>}
                <Firms firms={firms} names={names} lang={lang} />
                {places.length > 0 && <p class="muted">{places.map(provinceName).join(', ')}</p>}
                <details>
                  <summary>{t('events.payload')}</summary>
                  <p>
                    <code class="event-type">{event.type}</code>
                  </p>
                  <pre>{JSON.stringify(event.data, null, 2)}</pre>
                </details>
              </li>
            );
          })}
        </ol>
      </section>
    </>
  );
}
