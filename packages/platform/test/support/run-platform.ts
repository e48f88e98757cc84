// Runs a platform in its own process (so a test can kill -9 it): options as JSON in argv[2];
// prints one JSON line { url, proxyUrl, token } when it listens.
import { startPlatform } from '@bim-pack/platform';

const options = JSON.parse(process.argv[2] ?? '{}') as Parameters<typeof startPlatform>[0];
const platform = await startPlatform(options);
process.stdout.write(`${JSON.stringify({ url: platform.url, proxyUrl: platform.proxyUrl, token: platform.token, reconciled: platform.reconciled })}\n`);
process.on('SIGTERM', () => void platform.stop().then(() => process.exit(0)));
