/** A minimal browser for the tests: a cookie jar, manual redirects, form fields read from pages. */
export class Browser {
  private readonly cookies = new Map<string, string>();

  constructor(private readonly origin: string) {}

  private remember(response: Response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  setCookies(): Map<string, string> {
    return new Map(this.cookies);
  }

  async request(
    url: string,
    init: { method?: string; form?: Record<string, string>; headers?: Record<string, string> } = {},
  ) {
    const target = new URL(url, this.origin);
    const sameOrigin = target.origin === this.origin;
    const response = await fetch(target, {
      method: init.method ?? (init.form ? 'POST' : 'GET'),
      redirect: 'manual',
      headers: {
        ...(sameOrigin && this.cookies.size > 0 ? { cookie: this.cookieHeader() } : {}),
        ...(init.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        ...init.headers,
      },
      ...(init.form ? { body: new URLSearchParams(init.form).toString() } : {}),
    });
    if (sameOrigin) this.remember(response);
    return response;
  }

  /** Follows redirects on this origin; stops at the first answer that is not one, or one that leaves. */
  async follow(response: Response): Promise<{ response: Response; url: string; body: string }> {
    let current = response;
    let url = current.url;
    for (let hops = 0; hops < 20; hops++) {
      const location = current.headers.get('location');
      if (current.status < 300 || current.status >= 400 || !location) break;
      url = new URL(location, url || this.origin).toString();
      if (!url.startsWith(this.origin)) return { response: current, url, body: '' };
      current = await this.request(url);
    }
    return { response: current, url, body: await current.text() };
  }
}

/** The value of a hidden or text input named `name` in a page. */
export function inputValue(html: string, name: string): string {
  const match = new RegExp(`name="${name}"[^>]*value="([^"]*)"`).exec(html);
  if (!match) throw new Error(`no input ${name} in the page:\n${html.slice(0, 2000)}`);
  return match[1] as string;
}

/** The action of the first form in a page. */
export function formAction(html: string): string {
  const match = /<form method="post" action="([^"]+)"/.exec(html);
  if (!match) throw new Error(`no form in the page:\n${html.slice(0, 2000)}`);
  return match[1] as string;
}
