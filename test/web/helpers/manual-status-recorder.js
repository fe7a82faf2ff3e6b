/**
 * Records every manual status the product card shows, in order, as "status|label" strings in
 * globalThis.__manualSeen. Installed before the page loads (page.addInitScript): the demo manual goes
 * from queued to ready in well under a second, faster than a test could poll, and a mutation observer
 * sees every rendered state. Plain JS: it runs in the browser, and the root tsconfig has no DOM lib.
 */
(() => {
  const seen = [];
  globalThis.__manualSeen = seen;
  new MutationObserver(() => {
    const card = document.querySelector('[data-testid=manual-status]');
    if (!card) return;
    const entry = `${card.getAttribute('data-status')}|${card.querySelector('#manual-label')?.textContent ?? ''}`;
    if (seen.at(-1) !== entry) seen.push(entry);
  }).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
})();
