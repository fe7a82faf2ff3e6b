/**
 * Records every connection state the badge shows, in order, as "state|label" strings in
 * globalThis.__connectionSeen, with the time each appeared in globalThis.__connectionSeenAt. Installed
 * before the page loads (page.addInitScript): a drain's "Switching server…" may last a few hundred
 * milliseconds, faster than a test could poll, and a mutation observer sees every rendered state.
 * Plain JS: it runs in the browser, and the root tsconfig has no DOM lib.
 */
(() => {
  const seen = [];
  const at = [];
  globalThis.__connectionSeen = seen;
  globalThis.__connectionSeenAt = at;
  new MutationObserver(() => {
    const badge = document.querySelector('[data-connection]');
    if (!badge) return;
    const entry = `${badge.getAttribute('data-connection')}|${badge.textContent ?? ''}`;
    if (seen.at(-1) !== entry) {
      seen.push(entry);
      at.push(Date.now());
    }
  }).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
})();
