import { useEffect, useState } from 'preact/hooks';
import { type Query, queryString } from './api';

/** Hash routes (`#/province/19?x=1`): the gateway serves one index.html and nothing shadows the API. */
export interface Route {
  segments: string[];
  query: URLSearchParams;
}

export function parseHash(hash: string): Route {
  const raw = hash.replace(/^#/, '');
  const [path = '', search = ''] = raw.split('?', 2);
  return {
    segments: path
      .split('/')
      .filter(Boolean)
      .map((s) => decodeURIComponent(s)),
    query: new URLSearchParams(search),
  };
}

export const href = (path: string, query: Query = {}) => `#${path}${queryString(query)}`;

export function navigate(path: string, query: Query = {}): void {
  const target = href(path, query);
  if (location.hash !== target) location.hash = target;
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseHash(location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
