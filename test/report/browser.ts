/**
 * Debian's Chromium driven by playwright-core (which never downloads a browser of its own). The
 * browser is looked for at RUBRICATE_CHROMIUM, then /usr/bin/chromium; `chromiumMissing` says why
 * the browser tests cannot run (they are then reported as skipped with that reason).
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, BrowserContext } from "playwright-core";

export const CHROMIUM = process.env.RUBRICATE_CHROMIUM ?? "/usr/bin/chromium";

export const chromiumMissing: string | false = existsSync(CHROMIUM)
  ? false
  : `no Chromium at ${CHROMIUM} (apt-get install chromium, or set RUBRICATE_CHROMIUM)`;

export interface Launched {
  browser: BrowserContext;
  close(): Promise<void>;
}

/** A headless Chromium with a fresh profile and no background networking. */
export async function launch(): Promise<Launched> {
  const { chromium } = await import("playwright-core");
  const profile = mkdtempSync(join(tmpdir(), "rubricate-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  return {
    browser: context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export type { Browser };
