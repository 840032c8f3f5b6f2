/** Opaque page tokens: the last id of a page, base64url-encoded so callers do not build them. */
export const encodePageToken = (lastId: string): string =>
  lastId ? Buffer.from(lastId).toString('base64url') : '';

export const decodePageToken = (token: string): string =>
  token ? Buffer.from(token, 'base64url').toString('utf8') : '';
