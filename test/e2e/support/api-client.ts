// biome-ignore lint/suspicious/noExplicitAny: journeys read JSON answers loosely, as a caller's code would
type Json = any;

/** What a call answered: status, headers and the parsed JSON body. */
export interface Answer<T = Json> {
  status: number;
  headers: Headers;
  body: T;
}

export interface ApiClient {
  get<T = Json>(path: string): Promise<Answer<T>>;
  post<T = Json>(path: string, body?: unknown, headers?: Record<string, string>): Promise<Answer<T>>;
}

/** A JSON client for the running service, sending the bearer token on every call. */
export function apiClient(baseUrl: string, token: string): ApiClient {
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
  };
  return {
    get: (path) => call('GET', path),
    post: (path, body, headers) => call('POST', path, body, headers),
  };
}
