import { createEventStreamParser, readEventStream } from '@lienket/api-client';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ErrorNotice, Field, PageTitle } from '../components/ui';
import { ApiError, authHeader, type Problem, queryString } from '../lib/api';
import { useI18n } from '../lib/i18n';
import { provinceName, provinces, regionName, regions } from '../lib/reference';
import type { Route } from '../lib/router';
import type { CloudEvent } from '../lib/types';

const KEEP = 200;
const RETRY_MS = 3_000;

const TYPES = [
  ['', 'events.typeAll'],
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
  lastId: string | undefined,
  signal: AbortSignal,
  on: { open(): void; id(id: string): void; event(event: CloudEvent): void },
): Promise<void> {
  const response = await fetch(`/v1/events/stream${queryString({ ...filter })}`, {
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

export function EventsPage(_: { route: Route }) {
  const { t, lang, dateTime } = useI18n();
  const [draft, setDraft] = useState<StreamFilter>({ type: '', province: '', region: '', sector: '' });
  const [filter, setFilter] = useState<StreamFilter>(draft);
  const [events, setEvents] = useState<CloudEvent[]>([]);
  const [paused, setPaused] = useState(false);
  const [status, setStatus] = useState<Status>('connecting');
  const [error, setError] = useState<unknown>();
  const lastId = useRef<string | undefined>(undefined);

  useEffect(() => {
    if (paused) {
      setStatus('paused');
      return;
    }
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const connect = () => {
      setStatus('connecting');
      readStream(filter, lastId.current, controller.signal, {
        open: () => {
          setStatus('live');
          setError(undefined);
        },
        id: (id) => {
          lastId.current = id;
        },
        event: (event) =>
          setEvents((list) => [event, ...list.filter((e) => e.id !== event.id)].slice(0, KEEP)),
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
          // A new filter starts from now: the old cursor belongs to the old question.
          lastId.current = undefined;
          setEvents([]);
          setFilter({ ...draft, sector: draft.sector.trim() });
        }}
      >
        <h2 id="events-filters">{t('events.filters')}</h2>
        <div class="field-row">
          <Field label={t('events.type')}>
            {({ id }) => (
              <select
                id={id}
                value={draft.type}
                onChange={(e) => setDraft({ ...draft, type: e.currentTarget.value })}
              >
                {TYPES.map(([value, label]) => (
                  <option key={value} value={value}>
                    {t(label)}
                  </option>
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
        <h2 id="events-list">{events.length ? t('events.count', { n: events.length }) : t('events.none')}</h2>
        <ol class="events" reversed>
          {events.map((event) => {
            const places = provincesIn(event.data);
            const title = headline(event.data, lang);
            return (
              <li key={event.id} class="event" data-type={event.type}>
                <p class="event-head">
                  <time dateTime={event.time}>{dateTime(event.time)}</time>{' '}
                  <code class="event-type">
                    {event.type.replace(/^vn\.lienket\./, '').replace(/\.v\d+$/, '')}
                  </code>
                </p>
                {title && <p class="event-title">{title}</p>}
                {places.length > 0 && <p class="muted">{places.map(provinceName).join(', ')}</p>}
                <details>
                  <summary>{t('events.payload')}</summary>
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
