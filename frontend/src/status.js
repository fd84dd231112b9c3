// The connection/save indicator's words, from the client's state. Pure.

export const FINAL_REASONS = {
  4403: "Your access to this document was removed",
  4404: "This document was deleted",
  4429: "Disconnected: too many rejected messages",
  not_found: "This document was deleted or is no longer shared with you",
  signed_out: "You are signed out — sign in again to keep editing",
};

// state: {connection: "connecting" | "online" | "offline", synchronized,
// retryInMs (null unless a reconnect is scheduled), final (a close reason or null)}.
// Return {text, tone} with tone one of "ok", "busy", "warn", "error".
export function statusLabel({ connection, synchronized, retryInMs = null, final = null }) {
  if (final !== null) {
    const lost = synchronized ? "" : " (unsaved edits could not be sent)";
    return { text: `${FINAL_REASONS[final] ?? "Disconnected"}${lost}`, tone: "error" };
  }
  if (connection === "online") {
    return synchronized ? { text: "Saved", tone: "ok" } : { text: "Saving…", tone: "busy" };
  }
  const retry =
    retryInMs === null ? null : `Reconnecting in ${Math.max(1, Math.ceil(retryInMs / 1000))}s`;
  if (!synchronized) {
    const text = "Offline — edits kept and will sync";
    return { text: retry ? `${text} · ${retry}` : text, tone: "warn" };
  }
  if (retry) return { text: retry, tone: "warn" };
  return connection === "offline"
    ? { text: "Offline", tone: "warn" }
    : { text: "Connecting…", tone: "busy" };
}
