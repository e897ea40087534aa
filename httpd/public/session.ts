// Who the page works as: a client signed in with its id and token, or (without one) a demo
// sandbox client the server hands this browser (POST /playground/session), limited and
// expiring, so Try, Compile and Save work at once. Kept in this tab's session storage; a demo
// that expired or was refused is replaced by a new one, at most once per RENEW_MS.

import { isFailure, type Session, startDemoSession } from "./api.ts";
import { h } from "./dom.ts";

const KEY = "kplug.session";
const RENEW_MS = 10_000;

export function storedSession(): Session | undefined {
  try {
    const s = JSON.parse(sessionStorage.getItem(KEY) ?? "null");
    if (!s || typeof s.id !== "string" || typeof s.token !== "string") return undefined;
    if (s.demo && typeof s.expiresAt === "number" && s.expiresAt <= Date.now()) return undefined;
    return s;
  } catch {
    return undefined;
  }
}

export function storeSession(s: Session | undefined): void {
  if (s) sessionStorage.setItem(KEY, JSON.stringify(s));
  else sessionStorage.removeItem(KEY);
}

let lastDemo = 0;

/** A new demo session, or undefined when the server has none (or one was just made). */
export async function newDemoSession(): Promise<Session | undefined> {
  if (Date.now() - lastDemo < RENEW_MS) return undefined;
  lastDemo = Date.now();
  try {
    const r = await startDemoSession();
    return isFailure(r) ? undefined : r;
  } catch {
    return undefined;
  }
}

function minutesLeft(s: Session): string {
  if (s.expiresAt === undefined || !Number.isFinite(s.expiresAt)) return "";
  const min = Math.max(0, Math.round((s.expiresAt - Date.now()) / 60_000));
  return min >= 120 ? ` · ${Math.round(min / 60)} h left` : ` · ${min} min left`;
}

/** The header's session area: who the page works as, and sign in / sign out. */
export function sessionBadge(
  s: Session | undefined,
  actions: { signIn(): void; signOut(): void },
): HTMLElement[] {
  const signIn = h(
    "button",
    { type: "button", class: "primary small", id: "signin-open", onclick: () => actions.signIn() },
    "Sign in",
  );
  if (!s) return [signIn];
  if (s.demo)
    return [
      h(
        "span",
        {
          class: "who demo",
          title: `A sandbox client for this browser (${s.id}): limited, and it expires. Sign in to keep your plugins.`,
        },
        h("span", { class: "live-dot" }),
        "demo sandbox",
        h("span", { class: "muted" }, minutesLeft(s)),
      ),
      signIn,
    ];
  return [
    h("span", { class: "who" }, h("span", { class: "live-dot" }), "client ", h("strong", {}, s.id)),
    h(
      "button",
      { type: "button", class: "ghost small", id: "signout", onclick: () => actions.signOut() },
      "Sign out",
    ),
  ];
}
