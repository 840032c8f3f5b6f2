/** Small server-rendered pages, Vietnamese first with English beneath; no script, phone-friendly. */
export const escapeHtml = (value: unknown) =>
  String(value ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

const style = `
body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#f5f7f6;color:#1b2a24}
main{max-width:28rem;margin:0 auto;padding:1.25rem}
h1{font-size:1.35rem;margin:.5rem 0 1rem}
.en{color:#5b6b64;font-size:.85em;display:block}
button .en{color:#e6f2ec}
label{display:block;margin:.75rem 0 .25rem;font-weight:600}
input,select{width:100%;box-sizing:border-box;font-size:1rem;padding:.65rem;border:1px solid #9aa8a2;border-radius:.4rem}
button{margin-top:1rem;width:100%;padding:.75rem;font-size:1rem;border:0;border-radius:.4rem;background:#0b6b4f;color:#fff}
.notice{background:#fff4d6;border-left:4px solid #c98a00;padding:.6rem .8rem;margin:.75rem 0}
.error{background:#fde8e8;border-left:4px solid #b42318;padding:.6rem .8rem;margin:.75rem 0}
a{color:#0b6b4f}
`;

export function page(title: { vi: string; en: string }, body: string): string {
  return `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title.vi)} · LienKet</title><style>${style}</style></head>
<body><main><h1>${escapeHtml(title.vi)}<span class="en" lang="en">${escapeHtml(title.en)}</span></h1>
${body}</main></body></html>`;
}

export const bilingual = (vi: string, en: string) =>
  `${escapeHtml(vi)}<span class="en" lang="en">${escapeHtml(en)}</span>`;

export const message = (kind: 'notice' | 'error', vi: string, en: string) =>
  `<p class="${kind}" role="${kind === 'error' ? 'alert' : 'status'}">${bilingual(vi, en)}</p>`;

export const field = (
  name: string,
  label: { vi: string; en: string },
  options: {
    type?: string;
    value?: string;
    autocomplete?: string;
    required?: boolean;
    inputmode?: string;
  } = {},
) => `<label for="${name}">${bilingual(label.vi, label.en)}</label>
<input id="${name}" name="${name}" type="${options.type ?? 'text'}"${options.value ? ` value="${escapeHtml(options.value)}"` : ''}${
  options.autocomplete ? ` autocomplete="${options.autocomplete}"` : ''
}${options.inputmode ? ` inputmode="${options.inputmode}"` : ''}${options.required === false ? '' : ' required'}>`;

export const hidden = (name: string, value: string) =>
  `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`;
