import { ErrorNotice, Loading, PageTitle, ScrollRegion } from '../components/ui';
import { answer, client } from '../lib/api';
import { useAuth } from '../lib/auth';
import { useI18n } from '../lib/i18n';
import { useLoad } from '../lib/load';
import { type ClusterSite, treatmentLabel, treatmentOf } from '../lib/programme';
import { provinceName, provinces } from '../lib/reference';
import { href, navigate, type Route } from '../lib/router';

/** A province's industrial cluster sites and the state of their shared wastewater treatment. */
export function ProgrammeSitesPage({ route }: { route: Route }) {
  const { t, number } = useI18n();
  const { session } = useAuth();
  const province = route.query.get('province') ?? (session?.provinceCode || '19');
  const loaded = useLoad(
    async (signal) =>
      (
        (await answer(
          client.GET('/v1/programme/sites', { params: { query: { province, page_size: 100 } }, signal }),
        )) as { sites?: ClusterSite[] }
      ).sites ?? [],
    [province],
  );
  const sites = loaded.data ?? [];
  const treated = sites.filter((s) => treatmentOf(s.treatment) === 'operating').length;
  return (
    <>
      <p class="eyebrow">
        <a href={href('/programme')}>{t('prog.title')}</a>
      </p>
      <PageTitle>{t('prog.sites')}</PageTitle>
      <div class="field">
        <label for="sites-province">{t('prog.site.province')}</label>
        <select
          id="sites-province"
          value={province}
          onChange={(e) => navigate('/programme/sites', { province: e.currentTarget.value })}
        >
          {provinces.map((p) => (
            <option key={p.code} value={p.code}>
              {p.name}
            </option>
          ))}
        </select>
      </div>
      {loaded.error ? (
        <ErrorNotice error={loaded.error} retry={loaded.reload} />
      ) : loaded.loading && !loaded.data ? (
        <Loading />
      ) : sites.length === 0 ? (
        <p class="muted">{t('prog.site.none')}</p>
      ) : (
        <>
          <p class="lead">{t('prog.site.summary', { treated, total: sites.length })}</p>
          <ScrollRegion label={`${t('prog.sites')}: ${provinceName(province)}`}>
            <table data-testid="site-table">
              <thead>
                <tr>
                  <th scope="col">{t('prog.site.name')}</th>
                  <th scope="col">{t('prog.site.treatment')}</th>
                  <th scope="col">{t('prog.site.operator')}</th>
                  <th scope="col">{t('prog.site.area')}</th>
                  <th scope="col">{t('prog.site.occupancy')}</th>
                </tr>
              </thead>
              <tbody>
                {sites.map((s) => (
                  <tr key={s.siteId}>
                    <th scope="row">{s.name}</th>
                    <td>
                      <span class={`badge treatment-${treatmentOf(s.treatment)}`}>
                        {treatmentLabel(t, s.treatment)}
                      </span>
                    </td>
                    <td>{s.operator}</td>
                    <td>{number(s.areaHectares ?? 0, 1)}</td>
                    <td>{number(s.occupancyPercent ?? 0)}%</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
        </>
      )}
    </>
  );
}
