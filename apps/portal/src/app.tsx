import type { ComponentType } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ErrorNotice, Loading, PageTitle } from './components/ui';
import { setApiToken } from './lib/api';
import { type Auth, AuthContext, loadSession, type Role, type Session, saveSession } from './lib/auth';
import { useEnterpriseNames } from './lib/enterprises';
import {
  I18nContext,
  initialLang,
  type Lang,
  type MessageKey,
  makeI18n,
  rememberLang,
  useI18n,
} from './lib/i18n';
import { provinceName } from './lib/reference';
import { href, type Route, useRoute } from './lib/router';
import { EnterprisePage } from './pages/enterprise';
import { ProposalsPage } from './pages/proposals';
import { SearchPage } from './pages/search';
import { SignInPage } from './pages/sign-in';

type PageComponent = ComponentType<{ route: Route }>;

/** A page loaded on first use, so the first view stays small. */
function lazyPage(load: () => Promise<PageComponent>): PageComponent {
  let loaded: PageComponent | undefined;
  return function LazyPage(props: { route: Route }) {
    const [Page, setPage] = useState<PageComponent | undefined>(() => loaded);
    const [error, setError] = useState<unknown>();
    const [attempt, setAttempt] = useState(0);
    useEffect(() => {
      if (loaded) return;
      load().then(
        (component) => {
          loaded = component;
          setPage(() => component);
        },
        (e: unknown) => setError(e),
      );
    }, [attempt]);
    if (error) return <ErrorNotice error={error} retry={() => setAttempt((a) => a + 1)} />;
    return Page ? <Page {...props} /> : <Loading />;
  };
}

const ProvincePage = lazyPage(() => import('./pages/province').then((m) => m.ProvincePage));
const MyPostingsPage = lazyPage(() => import('./pages/my-postings').then((m) => m.MyPostingsPage));
const TechPage = lazyPage(() => import('./pages/tech').then((m) => m.TechPage));
const EventsPage = lazyPage(() => import('./pages/events').then((m) => m.EventsPage));

interface NavItem {
  path: string;
  label: MessageKey;
  roles?: readonly Role[];
}

const NAV: readonly NavItem[] = [
  { path: '/search', label: 'nav.search' },
  { path: '/province', label: 'nav.province' },
  { path: '/my/postings', label: 'nav.myPostings', roles: ['enterprise'] },
  { path: '/my/proposals', label: 'nav.proposals', roles: ['enterprise', 'province', 'admin'] },
  { path: '/tech', label: 'nav.tech' },
  { path: '/events', label: 'nav.events', roles: ['enterprise', 'province', 'analyst', 'admin'] },
];

function pageFor(route: Route): { Page: PageComponent; roles?: readonly Role[] } | undefined {
  const [first = 'search', second] = route.segments;
  switch (first) {
    case 'search':
      return { Page: SearchPage };
    case 'province':
      return { Page: ProvincePage };
    case 'enterprise':
      return { Page: EnterprisePage };
    case 'my':
      if (second === 'postings') return { Page: MyPostingsPage, roles: ['enterprise'] };
      if (second === 'proposals') return { Page: ProposalsPage, roles: ['enterprise', 'province', 'admin'] };
      return undefined;
    case 'tech':
      return { Page: TechPage };
    case 'events':
      return { Page: EventsPage, roles: ['enterprise', 'province', 'analyst', 'admin'] };
    case 'signin':
      return { Page: SignInPage };
    default:
      return undefined;
  }
}

function Who({ session }: { session: Session }) {
  const { t } = useI18n();
  const names = useEnterpriseNames(session.enterpriseId ? [session.enterpriseId] : []);
  const who =
    session.role === 'enterprise'
      ? t('who.enterprise', { id: names[session.enterpriseId] ?? session.enterpriseId })
      : session.role === 'province'
        ? t('who.province', { name: provinceName(session.provinceCode) })
        : t(`role.${session.role}`);
  return (
    <span class="who" data-role={session.role}>
      <span class="badge">{t(`role.${session.role}`)}</span> <span class="who-name">{who}</span>
    </span>
  );
}

export function App() {
  const [lang, setLang] = useState<Lang>(initialLang);
  const [session, setSession] = useState<Session | undefined>(loadSession);
  const [sessionEnded, setSessionEnded] = useState(false);
  const route = useRoute();
  const mainRef = useRef<HTMLElement>(null);
  const i18n = useMemo(() => makeI18n(lang, setLang), [lang]);
  const { t } = i18n;

  const auth = useMemo<Auth>(
    () => ({
      session,
      signIn(next) {
        saveSession(next);
        setSession(next);
        setSessionEnded(false);
      },
      signOut() {
        saveSession(undefined);
        setSession(undefined);
      },
    }),
    [session],
  );
  setApiToken(session?.token, () => {
    saveSession(undefined);
    setSession(undefined);
    setSessionEnded(true);
  });

  useEffect(() => rememberLang(lang), [lang]);

  // A new page (not a new filter on the same page) moves focus to its heading, for screen readers and keyboards.
  const pageKey = route.segments.slice(0, 2).join('/');
  const firstRender = useRef(true);
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    const focusHeading = () => {
      const heading = document.getElementById('page-title');
      if (heading) heading.focus();
      else mainRef.current?.focus();
    };
    requestAnimationFrame(focusHeading);
  }, [pageKey]);

  const found = pageFor(route);
  const allowed = !found?.roles || (session && found.roles.includes(session.role));
  useEffect(() => {
    document.title = `${t('app.name')} · ${t('app.tagline')}`;
  }, [t]);

  const current = `/${route.segments[0] ?? 'search'}${route.segments[0] === 'my' ? `/${route.segments[1] ?? ''}` : ''}`;

  return (
    <I18nContext.Provider value={i18n}>
      <AuthContext.Provider value={auth}>
        {/* biome-ignore lint/a11y/useValidAnchor: the address holds the route, so the link moves focus instead */}
        <a
          class="skip-link"
          href="#main"
          onClick={(e) => {
            e.preventDefault();
            mainRef.current?.focus();
          }}
        >
          {t('app.skip')}
        </a>
        <header class="site-header">
          <div class="header-row">
            <a class="brand" href={href('/search')}>
              <span class="brand-mark" aria-hidden="true">
                LK
              </span>
              <span>
                <span class="brand-name">{t('app.name')}</span>
                <span class="brand-tagline">{t('app.tagline')}</span>
              </span>
            </a>
            <div class="header-tools">
              <button
                type="button"
                class="button button-ghost"
                lang={lang === 'vi' ? 'en' : 'vi'}
                aria-label={t('lang.switchLabel')}
                data-testid="lang-switch"
                onClick={() => setLang(lang === 'vi' ? 'en' : 'vi')}
              >
                {t('lang.switch')}
              </button>
              {session ? (
                <div class="account">
                  <Who session={session} />
                  <button type="button" class="button button-ghost" onClick={auth.signOut}>
                    {t('auth.signOut')}
                  </button>
                </div>
              ) : (
                <a class="button button-primary" href={href('/signin')}>
                  {t('nav.signIn')}
                </a>
              )}
            </div>
          </div>
          <nav aria-label={t('nav.label')}>
            <ul class="nav-list">
              {NAV.filter((item) => !item.roles || (session && item.roles.includes(session.role))).map(
                (item) => (
                  <li key={item.path}>
                    <a href={href(item.path)} aria-current={current === item.path ? 'page' : undefined}>
                      {t(item.label)}
                    </a>
                  </li>
                ),
              )}
            </ul>
          </nav>
        </header>
        <main id="main" ref={mainRef} tabIndex={-1}>
          {sessionEnded && !session && (
            <p class="notice notice-error" role="alert">
              {t('auth.sessionEnded')}
            </p>
          )}
          {!found ? (
            <>
              <PageTitle>{t('app.notFound')}</PageTitle>
              <p>
                <a href={href('/search')}>{t('nav.search')}</a>
              </p>
            </>
          ) : allowed ? (
            <found.Page route={route} />
          ) : (
            <>
              <PageTitle>{t(NAV.find((n) => n.path === current)?.label ?? 'auth.title')}</PageTitle>
              <p>
                {session
                  ? t('auth.needRole', { roles: (found.roles ?? []).map((r) => t(`role.${r}`)).join(', ') })
                  : t('auth.needed')}
              </p>
              {!session && (
                <p>
                  <a class="button button-primary" href={href('/signin', { next: location.hash.slice(1) })}>
                    {t('nav.signIn')}
                  </a>
                </p>
              )}
            </>
          )}
        </main>
        <footer class="site-footer">
          <p>
            {t('app.footer')} <a href="/docs">/docs</a>
          </p>
        </footer>
      </AuthContext.Provider>
    </I18nContext.Provider>
  );
}
