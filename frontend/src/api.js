// The REST API of PROTOCOL.md as the signed-in browser calls it: the session
// cookie, plus Django's CSRF token on every write.

export class ApiError extends Error {
  constructor(status, detail, body) {
    super(detail);
    this.status = status;
    this.body = body;
  }
}

function csrfToken() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  if (meta && meta.content) return meta.content;
  const cookie = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  return cookie ? decodeURIComponent(cookie[1]) : "";
}

// Call `/api/<path>` (or a full `next` URL the API returned); return the decoded body.
export async function api(path, { method = "GET", body } = {}) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET") headers["X-CSRFToken"] = csrfToken();
  const url = /^https?:/.test(path) ? path : `/api/${path}`;
  const response = await fetch(url, {
    method,
    headers,
    credentials: "same-origin",
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 204) return null;
  const data = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, errorText(response, data), data);
  return data;
}

function errorText(response, data) {
  if (data && data.errors && typeof data.errors === "object") {
    const messages = Object.values(data.errors).flat();
    if (messages.length) return messages.join(" ");
  }
  return (data && data.detail) || `${response.status} ${response.statusText}`;
}

// Return every item of a paginated list ({results, next}).
export async function apiList(path, limit = 1000) {
  const items = [];
  for (let url = path; url && items.length < limit;) {
    const page = await api(url);
    items.push(...page.results);
    url = page.next;
  }
  return items;
}

export const documentPath = (id, rest = "") => `documents/${id}/${rest}`;
