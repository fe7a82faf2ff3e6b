/** Headless Chromium from Debian's `chromium` package, driven by playwright-core (which brings no browser of its own). */
import { chromium, type Browser, type LaunchOptions } from 'playwright-core';
import { requireBinary } from './binaries.js';

const FLAGS = [
  '--no-sandbox', // tests run as root, where Chromium's sandbox cannot start
  '--disable-gpu',
  '--disable-background-networking', // no traffic to anything but the pages a test opens
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

/** Launches /usr/bin/chromium (or `chromium` on PATH) headless; close it with browser.close(). */
export async function launchChromium(options: { args?: string[]; timeoutMs?: number } = {}): Promise<Browser> {
  const executablePath = requireBinary('chromium', 'chromium');
  const launch: LaunchOptions = {
    executablePath,
    headless: true,
    args: [...FLAGS, ...(options.args ?? [])],
    timeout: options.timeoutMs ?? 30_000,
  };
  return chromium.launch(launch);
}
