/** `npm start` on a machine without an Electron binary ends with the browser shell serving the app. */
import { afterEach, describe, expect, it } from 'vitest';
import { probeElectron } from '../../scripts/electron.mjs';
import { launchApp, type RunningApp } from './launch';

const electron = probeElectron();
const apps: RunningApp[] = [];
afterEach(async () => {
  for (const a of apps.splice(0)) await a.stop();
});

describe.skipIf(electron.ok)('npm start without Electron', () => {
  it('says why in one line and serves the app from the browser shell', async () => {
    const app = await launchApp({ args: ['--port', '0', '--no-open'] });
    apps.push(app);
    const lines = app.stdout().split('\n');
    expect(lines[0]).toMatch(/^Electron is not available on this machine \(.+\): starting the browser shell instead\.$/);
    expect(app.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{20,}$/);
    const launch = await fetch(app.url, { redirect: 'manual' });
    const cookie = launch.headers.get('set-cookie')?.split(';')[0] ?? '';
    const page = await fetch(new URL('/', app.url), { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root"></div>');
  });
});
