import { shade, TileMap } from '../components/tile-map';
import { ErrorNotice, Field, Loading, PageTitle, ScrollRegion } from '../components/ui';
import { UnmetNeeds } from '../components/unmet-needs';
import { useAuth } from '../lib/auth';
import { enumLabel, useI18n } from '../lib/i18n';
import { useLoad } from '../lib/load';
import { type LinkageCell, loadProvinceFigures, type ProvinceFigures } from '../lib/province-figures';
import { provinceName, provinces, regionName } from '../lib/reference';
import { href, navigate, type Route } from '../lib/router';

function Figure({
  label,
  value,
  name,
  hint,
}: {
  label: string;
  value: number | undefined;
  name: string;
  hint?: string;
}) {
  const { number } = useI18n();
  return (
    <div class="figure">
      <dt>{label}</dt>
      <dd data-figure={name}>{value === undefined ? '—' : number(value)}</dd>
      {hint && <dd class="hint">{hint}</dd>}
    </div>
  );
}

/** Buyer provinces down, supplier provinces across; only provinces with a linkage, the selected one first. */
function Heatmap({ cells, selected }: { cells: LinkageCell[]; selected: string }) {
  const { t, number } = useI18n();
  const order = (codes: Set<string>) =>
    [...codes].sort((a, b) =>
      a === selected ? -1 : b === selected ? 1 : provinceName(a).localeCompare(provinceName(b), 'vi'),
    );
  const buyers = order(new Set(cells.map((c) => c.buyer)));
  const suppliers = order(new Set(cells.map((c) => c.supplier)));
  const value = new Map(cells.map((c) => [`${c.buyer}>${c.supplier}`, c.count]));
  const max = Math.max(1, ...cells.map((c) => c.count));
  return (
    <ScrollRegion label={t('province.heatmapCaption')}>
      <table class="heatmap" data-testid="heatmap">
        <caption>{t('province.heatmapCaption')}</caption>
        <thead>
          <tr>
            <th scope="col">
              {t('province.buyer')} \ {t('province.supplier')}
            </th>
            {suppliers.map((s) => (
              <th key={s} scope="col" class={s === selected ? 'selected' : undefined}>
                {provinceName(s)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {buyers.map((b) => (
            <tr key={b}>
              <th scope="row" class={b === selected ? 'selected' : undefined}>
                {provinceName(b)}
              </th>
              {suppliers.map((s) => {
                const n = value.get(`${b}>${s}`) ?? 0;
                return (
                  <td
                    key={s}
                    class="num"
                    data-cell={`${b}>${s}`}
                    style={{ background: shade(n, max), color: n / max > 0.6 ? '#fff' : undefined }}
                    title={t('province.cell', { buyer: provinceName(b), supplier: provinceName(s), n })}
                  >
                    {n ? number(n) : ''}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}

function Linkages({ figures, code }: { figures: ProvinceFigures; code: string }) {
  const { t, number } = useI18n();
  const { linkages } = figures;
  if (!linkages) return <p>{t('province.restricted')}</p>;
  const partners = new Map<string, { buys: number; supplies: number }>();
  for (const cell of linkages.cells) {
    if (cell.buyer === code) {
      const row = partners.get(cell.supplier) ?? { buys: 0, supplies: 0 };
      row.buys += cell.count;
      partners.set(cell.supplier, row);
    }
    if (cell.supplier === code && cell.buyer !== code) {
      const row = partners.get(cell.buyer) ?? { buys: 0, supplies: 0 };
      row.supplies += cell.count;
      partners.set(cell.buyer, row);
    }
  }
  const flows = Object.fromEntries([...partners].map(([p, r]) => [p, r.buys + r.supplies]));
  return (
    <>
      <p data-figure="linkages" data-value={linkages.total}>
        {linkages.total
          ? t('province.linkagesTotal', { n: number(linkages.total) })
          : t('province.linkagesNone')}
      </p>
      <div class="two-columns">
        <figure class="map-figure">
          <figcaption id="tile-map-caption">
            <strong>{t('province.map')}</strong>. {t('province.mapCaption', { name: provinceName(code) })}
          </figcaption>
          <TileMap selected={code} flows={flows} labelledBy="tile-map-caption" />
        </figure>
        <div>
          {partners.size > 0 && (
            <ScrollRegion label={t('province.partners')}>
              <table>
                <caption>{t('province.partners')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('province.partner')}</th>
                    <th scope="col" class="num">
                      {t('province.buysFrom', { name: provinceName(code) })}
                    </th>
                    <th scope="col" class="num">
                      {t('province.suppliesTo', { name: provinceName(code) })}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {[...partners]
                    .sort((a, b) => b[1].buys + b[1].supplies - (a[1].buys + a[1].supplies))
                    .map(([p, r]) => (
                      <tr key={p} data-partner={p}>
                        <th scope="row">
                          <a href={href(`/province/${p}`)}>{provinceName(p)}</a>
                        </th>
                        <td class="num">{number(r.buys)}</td>
                        <td class="num">{number(r.supplies)}</td>
                      </tr>
                    ))}
                </tbody>
              </table>
            </ScrollRegion>
          )}
          {linkages.cells.length > 0 && (
            <>
              <h3>{t('province.heatmap')}</h3>
              <Heatmap cells={linkages.cells} selected={code} />
            </>
          )}
        </div>
      </div>
    </>
  );
}

export function ProvincePage({ route }: { route: Route }) {
  const { t, lang, number } = useI18n();
  const { session } = useAuth();
  const code =
    route.segments[1] ?? (session?.role === 'province' && session.provinceCode ? session.provinceCode : '01');
  const province = provinces.find((p) => p.code === code);
  const loaded = useLoad((signal) => loadProvinceFigures(code, session, signal), [code, session?.token]);
  const figures = loaded.data;
  return (
    <>
      <PageTitle>{province ? province.name : t('province.title')}</PageTitle>
      <div class="toolbar">
        <Field label={t('province.pick')}>
          {({ id }) => (
            <select id={id} value={code} onChange={(e) => navigate(`/province/${e.currentTarget.value}`)}>
              {provinces.map((p) => (
                <option key={p.code} value={p.code}>
                  {p.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        {province && <p class="muted">{t('province.region', { name: regionName(province.region, lang) })}</p>}
      </div>
      {loaded.error ? <ErrorNotice error={loaded.error} retry={loaded.reload} /> : null}
      {!figures && loaded.loading && <Loading />}
      {figures && (
        <div aria-busy={loaded.loading}>
          <dl class="figures">
            <Figure label={t('province.openNeeds')} value={figures.openNeeds} name="open-needs" />
            <Figure
              label={t('province.openCapabilities')}
              value={figures.openCapabilities}
              name="open-capabilities"
            />
            <Figure label={t('province.enterprises')} value={figures.enterprises} name="enterprises" />
            <Figure
              label={t('province.unmet')}
              value={figures.unmetNeeds}
              name="unmet-needs"
              hint={figures.source === 'insights' ? t('province.unmetHintInsights') : t('province.unmetHint')}
            />
          </dl>
          {figures.funnel && (
            <section aria-labelledby="funnel">
              <h2 id="funnel">{t('province.funnel')}</h2>
              <dl class="figures figures-small funnel">
                <Figure
                  label={t('province.proposed')}
                  value={figures.funnel.proposed}
                  name="funnel-proposed"
                />
                <Figure
                  label={t('province.accepted')}
                  value={figures.funnel.accepted}
                  name="funnel-accepted"
                />
                <Figure
                  label={t('province.established')}
                  value={figures.funnel.established}
                  name="funnel-established"
                />
              </dl>
            </section>
          )}
          <section aria-labelledby="unmet-needs">
            <h2 id="unmet-needs">{t('province.unmet')}</h2>
            <UnmetNeeds code={code} session={session} />
          </section>
          <p>
            <a href={href('/search', { kind: 'need', province: code })}>{t('province.openNeeds')}</a> ·{' '}
            <a href={href('/search', { kind: 'capability', province: code })}>
              {t('province.openCapabilities')}
            </a>
          </p>
          <div class="two-columns">
            <section class="card" aria-labelledby="lead-firms">
              <h2 id="lead-firms">{t('province.leadFirms')}</h2>
              {figures.leadFirms.length === 0 ? (
                <p>{t('province.noLeadFirms')}</p>
              ) : (
                <ul class="lead-firms" data-figure="lead-firms" data-value={figures.leadFirms.length}>
                  {figures.leadFirms.map((f) => (
                    <li key={f.id}>
                      <a href={href(`/enterprise/${f.id}`)}>{f.name}</a>
                    </li>
                  ))}
                </ul>
              )}
              {figures.topFirms && figures.topFirms.length > 0 && (
                <>
                  <h3>{t('province.topFirms')}</h3>
                  <ol class="top-firms" data-figure="top-firms">
                    {figures.topFirms.map((f) => (
                      <li key={f.id} data-enterprise={f.id} data-linkages={f.linkages}>
                        <a href={href(`/enterprise/${f.id}`)}>{f.name}</a> · {t('province.count')}:{' '}
                        {number(f.linkages)}
                        {f.leadFirm && <span class="badge badge-lead">{t('enterprise.leadFirm')}</span>}
                      </li>
                    ))}
                  </ol>
                </>
              )}
              {figures.needsByCategory.length > 0 && (
                <>
                  <h3>{t('province.byCategory')}</h3>
                  <ul class="bars">
                    {figures.needsByCategory.map((c) => (
                      <li key={c.value}>
                        <span>{enumLabel(t, 'category', c.value, 'NEED_CATEGORY_')}</span>
                        <span
                          class="bar"
                          style={{ width: `${(c.count / (figures.openNeeds || 1)) * 100}%` }}
                        />
                        <span class="num">{number(c.count)}</span>
                      </li>
                    ))}
                  </ul>
                </>
              )}
            </section>
            <section class="card" aria-labelledby="tech-uptake">
              <h2 id="tech-uptake">{t('province.tech')}</h2>
              <dl class="figures figures-small">
                <Figure label={t('province.techOffers')} value={figures.tech.offers} name="tech-offers" />
                <Figure
                  label={t('province.techCleanerOffers')}
                  value={figures.tech.cleanerOffers}
                  name="tech-cleaner-offers"
                />
                {figures.tech.interests !== undefined && (
                  <Figure
                    label={t('province.techInterests')}
                    value={figures.tech.interests}
                    name="tech-interests"
                  />
                )}
                {figures.tech.agreements !== undefined && (
                  <Figure
                    label={t('province.techAgreed')}
                    value={figures.tech.agreements}
                    name="tech-agreements"
                  />
                )}
                {figures.tech.cleanerAgreements !== undefined && (
                  <Figure
                    label={t('province.techCleaner')}
                    value={figures.tech.cleanerAgreements}
                    name="tech-cleaner-agreements"
                  />
                )}
              </dl>
            </section>
          </div>
          <section aria-labelledby="linkages">
            <h2 id="linkages">{t('province.linkages')}</h2>
            <Linkages figures={figures} code={code} />
          </section>
          <p class="muted">
            {t('province.source', {
              source: figures.source === 'insights' ? t('province.sourceInsights') : t('province.sourceRest'),
            })}
          </p>
        </div>
      )}
    </>
  );
}
